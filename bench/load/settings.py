"""Production settings for the loopback load test.

Plain HTTP on 127.0.0.1 stands in for the TLS terminator of a real deployment, so the cookies
cannot be Secure-only (a client would not send them back over http) and there is no https redirect.
Everything else (DEBUG off, manifest static files, ALLOWED_HOSTS, sessions) is production's.
"""

from config.settings.production import *  # noqa: F403

SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False

# Collecting and compressing the static files (viewflow ships 150 MB of them) takes over a minute,
# and the load test fetches no static file: whitenoise serves them from the finders instead.
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}  # noqa: F405
WHITENOISE_USE_FINDERS = True
