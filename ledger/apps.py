from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "ledger"
    verbose_name = "学时台账"

    def ready(self):
        from ledger import deadlines  # noqa: F401  (registers the hours-shortfall deadline source)
