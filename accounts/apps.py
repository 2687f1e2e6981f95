from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "账号与角色"

    def ready(self):
        from accounts import audit, second_factor  # noqa: F401  (connect the sign-in signals)
