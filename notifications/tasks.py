"""Celery tasks of notifications: thin wrappers around the sweep and the delivery service."""

from celery import shared_task

from notifications.delivery import reminder_deliver, reminders_take
from notifications.sweep import sweep
from notifications.workers import incarnation


@shared_task(name="notifications.sweep_reminders")
def sweep_reminders() -> dict:
    """Run by beat every few minutes: create due reminders, claim them, enqueue delivery."""
    return sweep().__dict__


@shared_task(name="notifications.deliver_reminders", bind=True)
def deliver_reminders(self, reminder_ids: list[int]) -> int:
    if not self.request.is_eager:  # on a worker: a restart gives back what it held
        reminders_take(reminder_ids=reminder_ids, worker=incarnation(self.request.hostname))
    return sum(reminder_deliver(reminder_id=pk) for pk in reminder_ids)
