from django.apps import AppConfig


class RulesConfig(AppConfig):
    name = "rules"
    verbose_name = "学时规则与审验"
