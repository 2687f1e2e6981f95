from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = "提醒与消息"

    def ready(self):
        from notifications import home  # noqa: F401  (registers the deadline radar on the home page)
        from notifications.deadlines import load_builtin_sources

        load_builtin_sources()
