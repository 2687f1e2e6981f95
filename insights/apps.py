from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "insights"
    verbose_name = "统计分析"
    default_auto_field = "django.db.models.BigAutoField"
