"""Celery tasks of the API: thin wrappers around the webhook delivery service."""

from celery import shared_task

from api import webhooks


@shared_task(name="api.webhook_deliver")
def webhook_deliver(delivery_id: str) -> bool:
    return webhooks.webhook_deliver(delivery_id=delivery_id)


@shared_task(name="api.webhook_sweep")
def webhook_sweep() -> int:
    """Run by beat every minute: deliveries due for a retry (or whose first task was lost) are enqueued."""
    due = webhooks.webhooks_due()
    for pk in due:
        webhook_deliver.delay(pk)
    return len(due)
