from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = "提醒与消息"

    def ready(self):
        from notifications.deadlines import load_builtin_sources

        load_builtin_sources()
