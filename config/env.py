"""Typed access to settings from the environment.

Every helper fails loudly (ImproperlyConfigured) on a value it cannot read,
naming the variable and what it expected, instead of silently falling back.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str | None = None) -> str:
    value = os.environ.get(name)
    if value is None:
        if default is None:
            raise ImproperlyConfigured(f"Environment variable {name} is required but not set.")
        return default
    return value


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"Environment variable {name}={raw!r} is not a boolean (use 1/0, true/false).")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None:
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"Environment variable {name}={raw!r} is not an integer.") from None


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def database_from_url(url: str, *, base_dir: Path) -> dict:
    """Turn a DATABASE_URL into a Django DATABASES entry (postgres:// or sqlite:///)."""
    parsed = urlparse(url)
    if parsed.scheme in {"postgres", "postgresql", "pgsql"}:
        options = {k: v[-1] for k, v in parse_qs(parsed.query).items()}
        # PostgreSQL's JIT compiles the few large queries (a spot-check freeze over 100,000 trainings)
        # for longer than they run; a web application's queries gain nothing from it.
        options.setdefault("options", "-c jit=off")
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(parsed.path.lstrip("/")),
            "USER": unquote(parsed.username or ""),
            "PASSWORD": unquote(parsed.password or ""),
            "HOST": parsed.hostname or "",
            "PORT": str(parsed.port or ""),
            "CONN_MAX_AGE": 60,
            "CONN_HEALTH_CHECKS": True,
            "OPTIONS": options,
        }
    if parsed.scheme == "sqlite":
        path = unquote(url[len("sqlite:///"):]) if url.startswith("sqlite:///") else ""
        if not path:
            raise ImproperlyConfigured(f"DATABASE_URL={url!r}: a SQLite URL needs a file path (sqlite:///path).")
        name = path if path == ":memory:" or os.path.isabs(path) else str(base_dir / path)
        # A generous timeout lets the web process and the worker share the file.
        options = {"timeout": 20, "transaction_mode": "IMMEDIATE"}
        if name != ":memory:":
            options["init_command"] = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": name, "OPTIONS": options}
    raise ImproperlyConfigured(
        f"DATABASE_URL scheme {parsed.scheme!r} is not supported (use postgres:// or sqlite:///)."
    )


EMAIL_SCHEMES = {"smtp": (False, False), "smtp+tls": (True, False), "submission": (True, False), "smtps": (False, True)}


def email_from_url(url: str) -> dict:
    """Django's EMAIL_* settings from one EMAIL_URL.

    smtp://user:pass@host:25, smtp+tls://…:587 (STARTTLS), smtps://…:465 (implicit TLS); `?timeout=10`
    sets a timeout in seconds. User names and passwords are percent-decoded.
    """
    parsed = urlparse(url)
    if parsed.scheme not in EMAIL_SCHEMES:
        raise ImproperlyConfigured(
            f"EMAIL_URL scheme {parsed.scheme!r} is not supported (use smtp://, smtp+tls:// or smtps://)."
        )
    if not parsed.hostname:
        raise ImproperlyConfigured(f"EMAIL_URL={url!r} names no host.")
    use_tls, use_ssl = EMAIL_SCHEMES[parsed.scheme]
    try:
        port = parsed.port or (465 if use_ssl else 587 if use_tls else 25)
        timeout = {k: v[-1] for k, v in parse_qs(parsed.query).items()}.get("timeout")
        timeout = int(timeout) if timeout is not None else None
    except ValueError:
        raise ImproperlyConfigured(f"EMAIL_URL={url!r}: the port and timeout must be whole numbers.") from None
    return {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": parsed.hostname,
        "EMAIL_PORT": port,
        "EMAIL_HOST_USER": unquote(parsed.username or ""),
        "EMAIL_HOST_PASSWORD": unquote(parsed.password or ""),
        "EMAIL_USE_TLS": use_tls,
        "EMAIL_USE_SSL": use_ssl,
        "EMAIL_TIMEOUT": timeout,
    }


def secret_key_from_file(path: Path) -> str:
    """Read the embedded default's secret key, generating it once on first use."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        path.write_text(secrets.token_urlsafe(64))
        path.chmod(0o600)
    return path.read_text().strip()
