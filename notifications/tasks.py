"""Celery tasks of notifications: thin wrappers around the sweep and the delivery service."""

from celery import shared_task

from notifications.delivery import reminder_deliver
from notifications.sweep import sweep


@shared_task(name="notifications.sweep_reminders")
def sweep_reminders() -> dict:
    """Run by beat every few minutes: create due reminders, claim them, enqueue delivery."""
    return sweep().__dict__


@shared_task(name="notifications.deliver_reminders")
def deliver_reminders(reminder_ids: list[int]) -> int:
    return sum(reminder_deliver(reminder_id=pk) for pk in reminder_ids)
