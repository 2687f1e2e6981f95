from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = "审核与抽查"

    def ready(self):
        from filings.review_process import register_transition_listener
        from reviews import (  # noqa: F401  (registering)
            kinds,  # the report, certification, late-filing and violation task kinds
            late_exceptions,  # the late-filing decision announcement
        )
        from reviews.plan_tasks import plan_tasks_follow

        register_transition_listener(plan_tasks_follow)
        from reviews.spotchecks import (
            deadlines,  # noqa: F401  (registers the rectification deadline)
            notify,  # noqa: F401  (registers the violation notice kind)
        )
