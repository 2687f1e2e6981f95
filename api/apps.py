from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = "开放接口"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from api import signals  # noqa: F401  (webhook rows on plan transitions)
        from api.feed import visible_in_feed_order
        from ledger.transmission import register_visible_order

        register_visible_order(visible_in_feed_order)  # transmission batches are slices of the change feed
