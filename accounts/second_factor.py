"""两步验证: TOTP codes from an authenticator app, for reviewers and administrators.

After the password, a user with a confirmed device is signed in with the session flag `otp_pending`;
`SecondFactorMiddleware` lets such a session reach only the code page and sign-out until a code is
accepted. Wrong codes are audit-logged, and repeated failures lock the code page like the password lockout.
"""

from __future__ import annotations

import base64
import datetime as dt
import hmac
import io
from enum import Enum

import pyotp
import qrcode
import qrcode.image.svg
from django.contrib.auth import signals
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.dispatch import receiver
from django.utils import timezone

from accounts.audit import LOCKOUT_FAILURES, LOCKOUT_WINDOW, audit_record
from accounts.models import AuditEvent, TOTPDevice, User

PENDING_KEY = "otp_pending"
ISSUER = "内蒙古继续教育管理系统"
STEP_SECONDS = 30
DRIFT_STEPS = 1  # accept the previous and the next code too: phone clocks drift


class CodeResult(Enum):
    ACCEPTED = "accepted"
    WRONG = "wrong"
    LOCKED = "locked"


def confirmed_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed_at__isnull=False).first()


def is_second_factor_locked_out(user: User, *, now: dt.datetime | None = None) -> bool:
    now = now or timezone.now()
    recent = AuditEvent.objects.filter(kind=AuditEvent.Kind.SECOND_FACTOR_FAILED, actor=user,
                                       at__gte=now - LOCKOUT_WINDOW)
    return recent.count() >= LOCKOUT_FAILURES


def totp_device_start(*, user: User) -> TOTPDevice:
    """The device being set up: a new secret, kept until confirmed so a reload does not void the scan."""
    if not user.can_use_second_factor:
        raise PermissionDenied("只有审核人员和系统管理员可以启用两步验证。")
    device, _created = TOTPDevice.objects.get_or_create(user=user, defaults={"secret": pyotp.random_base32()})
    return device


def provisioning_uri(device: TOTPDevice) -> str:
    return pyotp.TOTP(device.secret).provisioning_uri(name=device.user.get_username(), issuer_name=ISSUER)


def qr_svg_data_uri(text: str) -> str:
    """An SVG QR code as a data: URI (the CSP allows data: images; no image library needed)."""
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=2)
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def _accepted_step(device: TOTPDevice, code: str, now: dt.datetime) -> int | None:
    """The time step the code belongs to, claimed by a conditional UPDATE so it is used only once."""
    code = "".join(str(code).split())
    if len(code) != 6 or not (code.isascii() and code.isdigit()):
        return None
    totp = pyotp.TOTP(device.secret, interval=STEP_SECONDS)
    current = int(now.timestamp()) // STEP_SECONDS
    for step in range(current - DRIFT_STEPS, current + DRIFT_STEPS + 1):
        if step > device.last_used_step and hmac.compare_digest(totp.generate_otp(step), code):
            claimed = TOTPDevice.objects.filter(pk=device.pk, last_used_step__lt=step).update(last_used_step=step)
            return step if claimed else None
    return None


def _check_code(*, device: TOTPDevice, code: str, request, stage: str, now: dt.datetime | None) -> CodeResult:
    now = now or timezone.now()
    if is_second_factor_locked_out(device.user, now=now):
        return CodeResult.LOCKED
    if _accepted_step(device, code, now) is not None:
        return CodeResult.ACCEPTED
    audit_record(kind=AuditEvent.Kind.SECOND_FACTOR_FAILED, actor=device.user, request=request, stage=stage)
    return CodeResult.WRONG


@transaction.atomic
def totp_device_confirm(*, user: User, code: str, request=None, now: dt.datetime | None = None) -> CodeResult:
    """1. lock the unconfirmed device; 2. check the code; 3. mark it confirmed and audit."""
    device = TOTPDevice.objects.select_for_update().get(user=user, confirmed_at__isnull=True)
    result = _check_code(device=device, code=code, request=request, stage="setup", now=now)
    if result is CodeResult.ACCEPTED:
        device.confirmed_at = now or timezone.now()
        device.save(update_fields=["confirmed_at"])
        audit_record(kind=AuditEvent.Kind.SECOND_FACTOR_ON, actor=user, request=request)
    return result


def second_factor_verify(*, user: User, code: str, request=None, now: dt.datetime | None = None) -> CodeResult:
    """Check a sign-in code; on success the caller clears the pending flag."""
    device = confirmed_device(user)
    if device is None:
        return CodeResult.ACCEPTED  # the device was removed (by an administrator) meanwhile
    return _check_code(device=device, code=code, request=request, stage="sign_in", now=now)


@receiver(signals.user_logged_in)
def _require_second_factor(sender, request, user, **kwargs):
    """Every way of signing in (our login page, the admin's) ends pending when the user has a device."""
    if request is not None and hasattr(request, "session") and confirmed_device(user) is not None:
        request.session[PENDING_KEY] = True
