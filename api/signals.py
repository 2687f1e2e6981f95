"""A plan's transition row is the event a webhook reports: rows are written in the same transaction.

A signal rather than a call in filings/services.py: every transition service writes a PlanTransition,
and the API's webhooks then follow them all without the filings app knowing about the API."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from filings.models import PlanTransition


@receiver(post_save, sender=PlanTransition, dispatch_uid="api_webhooks_on_transition")
def _plan_changed(sender, instance: PlanTransition, created: bool, raw: bool = False, **kwargs):
    if not created or raw or instance.from_state == instance.to_state:
        return
    from api.webhooks import deliveries_for_transition

    deliveries_for_transition(instance)
