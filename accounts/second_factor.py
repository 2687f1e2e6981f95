"""两步验证 with django-otp: an authenticator app (TOTP) plus ten one-time backup codes.

Reviewers, inspectors and administrators may turn it on; with settings.SECOND_FACTOR_REQUIRED (on in
production, off on the embedded demo) they must. After the password, on every sign-in path (our page,
the admin's, single sign-on: the user_logged_in signal), a user with a confirmed device gets the
session flag `otp_pending`, and a user who must have one but has none gets `otp_setup_required`;
`SecondFactorMiddleware` then lets the session reach only the code page (or the setup page) and
sign-out. An accepted code is recorded with django_otp.login, so request.user.is_verified() is true.
TOTP keys are encrypted at rest (accounts.models.EncryptedTOTPDevice). Wrong codes are audit-logged;
five within 15 minutes lock the code page, like the password lockout.
"""

from __future__ import annotations

import base64
import datetime as dt
import io
from enum import Enum

import pyotp
import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib.auth import signals
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.dispatch import receiver
from django.utils import timezone
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

from accounts.audit import LOCKOUT_FAILURES, LOCKOUT_WINDOW, audit_record
from accounts.models import AuditEvent, EncryptedTOTPDevice, User

PENDING_KEY = "otp_pending"
SETUP_KEY = "otp_setup_required"
ISSUER = "内蒙古继续教育管理系统"
BACKUP_CODE_COUNT = 10
BACKUP_DEVICE_NAME = "备用验证码"


class CodeResult(Enum):
    ACCEPTED = "accepted"
    WRONG = "wrong"
    LOCKED = "locked"


def second_factor_required(user: User) -> bool:
    return bool(getattr(settings, "SECOND_FACTOR_REQUIRED", False)) and user.can_use_second_factor


def confirmed_device(user: User) -> EncryptedTOTPDevice | None:
    return EncryptedTOTPDevice.objects.filter(user=user, confirmed=True).first()


def is_second_factor_locked_out(user: User, *, now: dt.datetime | None = None) -> bool:
    now = now or timezone.now()
    recent = AuditEvent.objects.filter(kind=AuditEvent.Kind.SECOND_FACTOR_FAILED, actor=user,
                                       at__gte=now - LOCKOUT_WINDOW)
    return recent.count() >= LOCKOUT_FAILURES


def totp_device_start(*, user: User) -> EncryptedTOTPDevice:
    """The device being set up: a new key, kept until confirmed so a reload does not void the scan."""
    if not user.can_use_second_factor:
        raise PermissionDenied("只有审核人员、巡查抽查人员和系统管理员可以启用两步验证。")
    device = EncryptedTOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = EncryptedTOTPDevice.with_new_key(user, name="验证器", confirmed=False)
        device.save()
    return device


def provisioning_uri(device: EncryptedTOTPDevice) -> str:
    return pyotp.TOTP(device.secret).provisioning_uri(name=device.user.get_username(), issuer_name=ISSUER)


def qr_svg_data_uri(text: str) -> str:
    """An SVG QR code as a data: URI (the CSP allows data: images; no image library needed)."""
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=2)
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def _refused(user: User, request, stage: str) -> CodeResult:
    audit_record(kind=AuditEvent.Kind.SECOND_FACTOR_FAILED, actor=user, request=request, stage=stage)
    return CodeResult.WRONG


@transaction.atomic
def totp_device_confirm(*, user: User, code: str, request=None) -> CodeResult:
    """1. lock the unconfirmed device; 2. check the code; 3. mark it confirmed and audit."""
    device = EncryptedTOTPDevice.objects.select_for_update().get(user=user, confirmed=False)
    if is_second_factor_locked_out(user):
        return CodeResult.LOCKED
    if not device.verify_token(code):
        return _refused(user, request, "setup")
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    EncryptedTOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    audit_record(kind=AuditEvent.Kind.SECOND_FACTOR_ON, actor=user, request=request)
    return CodeResult.ACCEPTED


@transaction.atomic
def backup_codes_issue(*, user: User) -> list[str]:
    """Ten new one-time backup codes (the previous ones stop working); shown to the user once."""
    if confirmed_device(user) is None:
        raise PermissionDenied("请先启用验证器，再生成备用验证码。")
    device, _ = StaticDevice.objects.get_or_create(user=user, name=BACKUP_DEVICE_NAME, defaults={"confirmed": True})
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def backup_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def _matching_device(user: User, code: str):
    code = "".join(str(code).split()).lower()
    device = confirmed_device(user)
    if device is not None and device.verify_token(code):
        return device
    backup = StaticDevice.objects.filter(user=user, confirmed=True).first()
    if backup is not None and code.isalnum() and backup.verify_token(code):
        return backup
    return None


def second_factor_verify(*, user: User, code: str, request=None) -> CodeResult:
    """Check a sign-in code (authenticator or backup); on success the session is marked verified."""
    if confirmed_device(user) is None:
        return CodeResult.ACCEPTED  # the device was removed (by an administrator) meanwhile
    if is_second_factor_locked_out(user):
        return CodeResult.LOCKED
    device = _matching_device(user, code)
    if device is None:
        return _refused(user, request, "sign_in")
    if request is not None:
        otp_login(request, device)
    return CodeResult.ACCEPTED


@receiver(signals.user_logged_in)
def _require_second_factor(sender, request, user, **kwargs):
    """Every way of signing in ends pending when the user has a device, or must set one up."""
    if request is None or not hasattr(request, "session"):
        return
    if confirmed_device(user) is not None:
        request.session[PENDING_KEY] = True
    elif second_factor_required(user):
        request.session[SETUP_KEY] = True
