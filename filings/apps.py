from django.apps import AppConfig


class FilingsConfig(AppConfig):
    name = "filings"
    verbose_name = "培训备案"

    def ready(self):
        from filings import deadlines  # noqa: F401  (registers the plan and report deadline sources)
