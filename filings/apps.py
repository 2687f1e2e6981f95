from django.apps import AppConfig


class FilingsConfig(AppConfig):
    name = "filings"
    verbose_name = "培训备案"

    def ready(self):
        from filings import announcements, deadlines  # noqa: F401  (register the deadline sources, event kinds)
