"""One-time SMS codes and the send limits shared by registration and password reset.

A code is six digits, stored only as a keyed hash (HMAC with the site's secret, bound to its row),
valid for ACCOUNTS_CODE_TTL_SECONDS, good once, and dead after ACCOUNTS_CODE_MAX_ATTEMPTS wrong tries.
Sends are limited per mobile number (one per interval, a few per hour) and per client address,
counted in the default cache.
"""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
import secrets

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from access.models import PhoneCode

HOUR = 3600


class RateLimited(Exception):
    """Too many codes asked for; the message says how long to wait."""


class CodeResult(enum.Enum):
    ACCEPTED = "accepted"
    WRONG = "wrong"
    EXPIRED = "expired"  # also: used before, or too many wrong tries


def new_code() -> str:
    return f"{secrets.randbelow(10**6):06d}"


def code_digest(row_key: str, code: str) -> str:
    return salted_hmac("accounts.phone_code", f"{row_key}:{code}", algorithm="sha256").hexdigest()


def _bump(key: str, timeout: int) -> int:
    if cache.add(key, 1, timeout):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout)
        return 1


def send_allowed(*, subject: str, ip: str | None) -> None:
    """Count one send against its subject (a mobile number, or the identifier a reset names) and the
    client address, or raise RateLimited (nothing counted then). Cache keys hold digests, not numbers."""
    interval = settings.ACCOUNTS_SEND_INTERVAL_SECONDS
    key = hashlib.sha256(f"accounts:{subject}".encode()).hexdigest()[:32]
    if not cache.add(f"sms-interval:{key}", 1, interval):
        raise RateLimited(f"验证码发送过于频繁，请 {interval} 秒后再试。")
    limits = [(f"sms-subject:{key}", settings.ACCOUNTS_SENDS_PER_PHONE_PER_HOUR),
              (f"sms-ip:{ip or '-'}", settings.ACCOUNTS_SENDS_PER_IP_PER_HOUR)]
    for key, limit in limits:
        if (cache.get(key) or 0) >= limit:
            raise RateLimited("验证码发送次数已达上限，请一小时后再试。")
    for key, _ in limits:
        _bump(key, HOUR)


def phone_code_create(*, purpose: str, phone: str, ip: str | None, now: dt.datetime | None = None,
                      **fields) -> tuple[PhoneCode, str]:
    """A row with a fresh code (returned in clear once, for the SMS); the row stores only its hash."""
    now = now or timezone.now()
    code = new_code()
    row = PhoneCode(purpose=purpose, phone=phone, ip=ip, created_at=now,
                    expires_at=now + dt.timedelta(seconds=settings.ACCOUNTS_CODE_TTL_SECONDS), code_hash="-", **fields)
    row.save()
    row.code_hash = code_digest(str(row.pk), code)
    row.save(update_fields=["code_hash"])
    return row, code


def phone_code_check(*, pk: int, purpose: str, code: str, now: dt.datetime | None = None) -> tuple[CodeResult, PhoneCode | None]:
    """Check a code against its row under a row lock; a right code is used up, a wrong one counted.

    Call inside transaction.atomic(): the caller's follow-up (creating the account, setting the
    password) commits with the use of the code or not at all.
    """
    now = now or timezone.now()
    row = PhoneCode.objects.select_for_update().filter(pk=pk, purpose=purpose).first()
    digest = code_digest(str(pk), (code or "").strip())  # the same work whether or not the row exists
    if row is None or row.used_at or row.expires_at <= now or row.attempts >= settings.ACCOUNTS_CODE_MAX_ATTEMPTS:
        return CodeResult.EXPIRED, row
    if not constant_time_compare(digest, row.code_hash):
        PhoneCode.objects.filter(pk=row.pk).update(attempts=row.attempts + 1)
        row.attempts += 1
        return CodeResult.WRONG, row
    row.used_at = now
    row.save(update_fields=["used_at"])
    return CodeResult.ACCEPTED, row

