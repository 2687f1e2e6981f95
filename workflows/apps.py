from django.apps import AppConfig


class WorkflowsConfig(AppConfig):
    name = "workflows"
    verbose_name = "审核流程"

    def ready(self):
        from filings.review_process import register_review_process
        from ledger.review_tasks import register_task_process
        from workflows import deadlines, kinds, services  # noqa: F401  (registering the task kinds and deadline)

        register_review_process(services)
        register_task_process(services)
