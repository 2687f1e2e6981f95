"""Settings of the Celery worker subprocess started by test_worker.py (same test database)."""

from config.settings.test import *  # noqa: F403

CELERY_TASK_ALWAYS_EAGER = False
SMS_PROVIDER = "tests.notifications.worker_sms.FileSMSProvider"
