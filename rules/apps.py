from django.apps import AppConfig


class RulesConfig(AppConfig):
    name = "rules"
    verbose_name = "学时规则与审验"

    def ready(self):
        from rules import deadlines  # noqa: F401  (registers the rule sets' annual deadline source)
