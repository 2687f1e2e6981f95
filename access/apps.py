from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "access"
    verbose_name = "注册、找回密码与统一身份认证"

    def ready(self):
        from access import registration  # noqa: F401  (links hours certified later at the next sign-in)
