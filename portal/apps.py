from django.apps import AppConfig, apps


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = "门户"

    def ready(self):
        # django-axes names its app only by its label ("Axes" in the admin); its records are the sign-in lockouts.
        if apps.is_installed("axes"):
            apps.get_app_config("axes").verbose_name = "登录保护"
