from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = "提醒与消息"

    def ready(self) -> None:
        from notifications import workers  # noqa: F401  (connects the worker signals)
