"""Test settings: SQLite in memory unless DATABASE_URL names a database (CI: PostgreSQL)."""

import os

os.environ.setdefault("DATABASE_URL", "sqlite:///:memory:")

from config.settings.base import *  # noqa: E402,F403

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Tasks run in-process in tests unless a test starts a real worker.
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
# Threads in tests (live server, concurrency tests) must not keep connections open past a test.
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
# Uploaded files written by tests (demo data, attachments) go to a throwaway folder.
import tempfile  # noqa: E402

MEDIA_ROOT = tempfile.mkdtemp(prefix="jxjy-test-media-")
