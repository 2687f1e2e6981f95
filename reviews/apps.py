from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = "审核与抽查"

    def ready(self):
        from reviews.spotchecks import (
            deadlines,  # noqa: F401  (registers the rectification deadline)
            notify,  # noqa: F401  (registers the violation notice kind)
        )
