from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "ledger"
    verbose_name = "学时台账"

    def ready(self):
        from ledger import (  # noqa: F401  (registering)
            announcements,  # the decision announcements of applications and amendments
            deadlines,  # the hours-shortfall deadline source
        )
