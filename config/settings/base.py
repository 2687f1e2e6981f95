"""Settings shared by every environment; values that differ come from the environment.

With nothing set, the project runs embedded: SQLite under var/, files under var/,
and a Celery broker on the local file system, so no server is needed.
"""

import datetime as _dt
from pathlib import Path

from django.utils.translation import gettext_lazy as _

from config.env import (
    database_from_url,
    email_from_url,
    env_bool,
    env_int,
    env_list,
    env_str,
    secret_key_from_file,
)

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(env_str("VAR_DIR", str(BASE_DIR / "var")))

SECRET_KEY = env_str("SECRET_KEY", "") or secret_key_from_file(VAR_DIR / "secret_key")
DEBUG = env_bool("DEBUG", True)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_static",
    "viewflow",
    "viewflow.workflow",
    # Project apps, in dependency order.
    "jurisdiction",
    "accounts",
    "rules",
    "ledger",
    "filings",
    "workflows",
    "reviews",
    "notifications",
    "portal",
    "access",
    "insights",
    "ninja",
    "api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "api.gateway.ApiGatewayMiddleware",
    "config.security.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "config.security.RejectNulCharactersMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "accounts.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "accounts.middleware.AuditRefusalsMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
# Form widgets render through the project's templates (templates/django/forms/): "请选择" for an empty
# choice instead of "---------", and a mark on required fields' labels.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "portal.context_processors.navigation",
                "notifications.context_processors.unread_notifications",
            ],
        },
    },
]

DATABASES = {
    "default": database_from_url(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}"), base_dir=BASE_DIR
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
# Every sign-in path goes through django-axes (accounts/signin.py): five failures for a name from one
# address within 15 minutes lock that pair; `manage.py axes_reset_username NAME` unlocks.
AUTHENTICATION_BACKENDS = [
    "accounts.signin.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = _dt.timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_CALLABLE = "accounts.signin.normalised_username"
AXES_CLIENT_IP_CALLABLE = "accounts.signin.client_ip"
AXES_LOCKOUT_CALLABLE = "accounts.signin.lockout_response"
AXES_HTTP_RESPONSE_CODE = 429
AXES_VERBOSE = False
# Second factor (accounts/second_factor.py): reviewers, inspectors and administrators must set up an
# authenticator when on (production); optional on the embedded demo. TOTP keys are encrypted with
# OTP_ENCRYPTION_KEYS (Fernet keys, comma-separated; derived from SECRET_KEY when unset, demo only).
SECOND_FACTOR_REQUIRED = env_bool("SECOND_FACTOR_REQUIRED", False)
OTP_ENCRYPTION_KEYS = env_list("OTP_ENCRYPTION_KEYS", [])
# Reverse proxies (addresses or networks) whose X-Forwarded-For is believed; empty: REMOTE_ADDR is the client.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES", [])
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "accounts.passwords.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Sessions end after 30 idle minutes: the cookie is renewed on every request.
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_SECONDS", 30 * 60)
SESSION_SAVE_EVERY_REQUEST = True
# Security headers (config.security): these print views still use an inline <style> and
# onclick="window.print()", and get only those two exceptions to the content security policy.
CSP_INLINE_PRINT_VIEWS = ["filings:plan_filing_form_print", "rules:card_detail"]
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

LANGUAGE_CODE = "zh-hans"
# Chinese only until a complete translation exists: an English browser must not get a mix.
LANGUAGES = [("zh-hans", _("简体中文"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "staticfiles"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# Uploaded files live outside the web root and are served only through scoped views.
MEDIA_ROOT = VAR_DIR / "uploads"
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 30 * 1024 * 1024

# Mail: EMAIL_URL (smtp://, smtp+tls://, smtps://) sets the SMTP server in one variable; without it,
# EMAIL_BACKEND (console by default on the embedded default) and Django's EMAIL_HOST family apply.
if env_str("EMAIL_URL", ""):
    globals().update(email_from_url(env_str("EMAIL_URL")))
else:
    EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
    EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
    EMAIL_PORT = env_int("EMAIL_PORT", 25)
    EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
    EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
# Where users reach the service: links in emails and SMS are absolute (https://jxjy.example.cn/plans/1/).
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
NOTIFICATIONS_SITE_URL = SITE_URL
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "jxjy@localhost")

# --- Celery -------------------------------------------------------------------------------
# Embedded default: a broker on the local file system, needing no server. Redis when
# REDIS_URL (or CELERY_BROKER_URL) is set.
_redis_url = env_str("REDIS_URL", "")
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", _redis_url or "filesystem://")
if CELERY_BROKER_URL.startswith("filesystem://"):
    _queue_dir = VAR_DIR / "celery" / "queue"
    (_queue_dir).mkdir(parents=True, exist_ok=True)
    (VAR_DIR / "celery" / "processed").mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue_dir),
        "data_folder_out": str(_queue_dir),
        "processed_folder": str(VAR_DIR / "celery" / "processed"),
        # kombu's default is a relative "control" folder in whatever directory the worker starts in.
        "control_folder": str(VAR_DIR / "celery" / "control"),
        "store_processed": False,
    }
else:
    # Tasks are short; the visibility timeout stays well above the hard time limit.
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
# On Redis, kombu keeps one list per priority step (0, 3, 6, 9) and a worker takes from step 0 first. Every
# task is sent at 6; what must not wait behind a backlog (reminders a killed worker held, re-enqueued when a
# worker comes up) is sent at 0. The file-system broker has no priorities: its one worker drains in order.
CELERY_TASK_DEFAULT_PRIORITY = 6
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 600
CELERY_TASK_SOFT_TIME_LIMIT = 540
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE: dict = {
    "api-webhook-sweep": {"task": "api.webhook_sweep", "schedule": 60.0},
    "advance-plans-by-clock": {"task": "workflows.advance_plans_by_clock", "schedule": 300.0},
    "sweep-reminders": {"task": "notifications.sweep_reminders", "schedule": 300.0},
    "refresh-statistics": {"task": "insights.refresh_statistics", "schedule": 3600.0},
    "clear-sessions": {"task": "config.clear_sessions", "schedule": 3600.0},
    "enforce-retention": {"task": "config.enforce_retention", "schedule": 24 * 3600.0},
}
# Retention (config/retention.py, README "Retention"): days unless named hours.
RETENTION_ROSTER_FILE_DAYS = env_int("RETENTION_ROSTER_FILE_DAYS", 365)
RETENTION_ATTACHMENT_DAYS = env_int("RETENTION_ATTACHMENT_DAYS", 5 * 365)
RETENTION_AUDIT_DAYS = env_int("RETENTION_AUDIT_DAYS", 3 * 365)
RETENTION_ELIGIBILITY_BATCH_HOURS = env_int("RETENTION_ELIGIBILITY_BATCH_HOURS", 24)
if RETENTION_AUDIT_DAYS < 183:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("RETENTION_AUDIT_DAYS must be at least 183 (audit rows are protected that long).")

# SMS gateway adapters (used when SMS_PROVIDER names one): credentials from the environment only.
SMS_ALIYUN_ACCESS_KEY_ID = env_str("SMS_ALIYUN_ACCESS_KEY_ID", "")
SMS_ALIYUN_ACCESS_KEY_SECRET = env_str("SMS_ALIYUN_ACCESS_KEY_SECRET", "")
SMS_ALIYUN_ENDPOINT = env_str("SMS_ALIYUN_ENDPOINT", "dysmsapi.aliyuncs.com")
SMS_TENCENT_SECRET_ID = env_str("SMS_TENCENT_SECRET_ID", "")
SMS_TENCENT_SECRET_KEY = env_str("SMS_TENCENT_SECRET_KEY", "")
SMS_TENCENT_APP_ID = env_str("SMS_TENCENT_APP_ID", "")
SMS_TENCENT_REGION = env_str("SMS_TENCENT_REGION", "ap-guangzhou")
SMS_TENCENT_ENDPOINT = env_str("SMS_TENCENT_ENDPOINT", "sms.tencentcloudapi.com")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}, "axes": {"level": "WARNING"}},
}

# --- Accounts at the region's scale (access.registration, recovery, staff_import, oidc) ------------
# SMS goes through a provider: a registered signature, a template code and its parameters
# (notifications.sms). The embedded default writes each message to the log.
SMS_PROVIDER = env_str("SMS_PROVIDER", "notifications.sms.LoggingSmsProvider")
SMS_SIGNATURE = env_str("SMS_SIGNATURE", "内蒙古继续教育")
# "verification=SMS_154950909,password_reset=SMS_154950910": the provider's code for each template.
SMS_TEMPLATE_CODES = dict(item.split("=", 1) for item in env_list("SMS_TEMPLATE_CODES", []) if "=" in item)
# One-time SMS codes and their limits (per mobile number and per client address, in the default cache).
ACCOUNTS_CODE_TTL_SECONDS = env_int("ACCOUNTS_CODE_TTL_SECONDS", 10 * 60)
ACCOUNTS_CODE_MAX_ATTEMPTS = env_int("ACCOUNTS_CODE_MAX_ATTEMPTS", 5)
ACCOUNTS_SENDS_PER_PHONE_PER_HOUR = env_int("ACCOUNTS_SENDS_PER_PHONE_PER_HOUR", 5)
ACCOUNTS_SENDS_PER_IP_PER_HOUR = env_int("ACCOUNTS_SENDS_PER_IP_PER_HOUR", 20)
ACCOUNTS_SEND_INTERVAL_SECONDS = env_int("ACCOUNTS_SEND_INTERVAL_SECONDS", 60)
# A staff member's first-sign-in link stays valid this long (and ends once a password is set).
ACCOUNTS_FIRST_SIGN_IN_DAYS = env_int("ACCOUNTS_FIRST_SIGN_IN_DAYS", 7)

# Government single sign-on (OpenID Connect, mozilla-django-oidc): off unless OIDC_ENABLED=1.
# Accounts are matched by the ID-number claim (OIDC_ID_NUMBER_CLAIM), never by name.
OIDC_ENABLED = env_bool("OIDC_ENABLED", False)
OIDC_RP_CLIENT_ID = env_str("OIDC_RP_CLIENT_ID", "")
OIDC_RP_CLIENT_SECRET = env_str("OIDC_RP_CLIENT_SECRET", "")
OIDC_RP_SIGN_ALGO = env_str("OIDC_RP_SIGN_ALGO", "RS256")
OIDC_RP_SCOPES = env_str("OIDC_RP_SCOPES", "openid profile")
OIDC_OP_ISSUER = env_str("OIDC_OP_ISSUER", "")
OIDC_OP_AUTHORIZATION_ENDPOINT = env_str("OIDC_OP_AUTHORIZATION_ENDPOINT", "")
OIDC_OP_TOKEN_ENDPOINT = env_str("OIDC_OP_TOKEN_ENDPOINT", "")
OIDC_OP_USER_ENDPOINT = env_str("OIDC_OP_USER_ENDPOINT", "")
OIDC_OP_JWKS_ENDPOINT = env_str("OIDC_OP_JWKS_ENDPOINT", "")
OIDC_ID_NUMBER_CLAIM = env_str("OIDC_ID_NUMBER_CLAIM", "id_number")
OIDC_CREATE_USER = False
OIDC_AUTHENTICATION_CALLBACK_URL = "accounts:oidc_callback"
LOGIN_REDIRECT_URL_FAILURE = "/accounts/login/?sso=failed"
if OIDC_ENABLED:
    AUTHENTICATION_BACKENDS = [*globals().get("AUTHENTICATION_BACKENDS",
                                              ["django.contrib.auth.backends.ModelBackend"]),
                               "access.oidc.IdNumberOIDCBackend"]

# The public API (api/): request body limit; rate-limit counters in their own cache ("api"), shared by
# every process through Redis when REDIS_URL is set, in local memory on the embedded default.
API_MAX_BODY_BYTES = 8 * 1024 * 1024
API_WEBHOOK_ALLOW_HTTP = False  # tests point webhooks at a local plain-HTTP server
CACHES = {**globals().get("CACHES", {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}),
          "api": ({"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": _redis_url} if _redis_url
                  else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "api"})}
