"""Password reset (找回密码) by SMS code or email link, and the staff's first-sign-in link.

No user enumeration: whatever the identifier names, the same rows are made, the same hashing is done
and the same page answers; a message goes out only when an account with a phone (or email) exists.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator, default_token_generator
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils.crypto import constant_time_compare
from django.utils.encoding import force_bytes
from django.utils.http import base36_to_int, urlsafe_base64_encode

from access.codes import CodeResult, phone_code_check, phone_code_create, send_allowed
from access.models import AccountIdentity, PhoneCode
from access.registration import audit_code_sent
from accounts.audit import audit_record
from accounts.models import AuditEvent, User
from notifications import sms
from rules.idnumber import normalise_id_number

SMS, EMAIL = "sms", "email"


def account_for(identifier: str) -> User | None:
    """The active account an identifier names: its ID number, or its user name."""
    identifier = (identifier or "").strip()
    if not identifier:
        return None
    identity = AccountIdentity.objects.select_related("user").filter(id_number=normalise_id_number(identifier)).first()
    user = identity.user if identity else User.objects.filter(username__iexact=identifier).first()
    return user if user is not None and user.is_active else None


def _subject(identifier: str) -> str:
    return f"reset:{normalise_id_number(identifier or '')}"


def reset_start(*, identifier: str, channel: str, ip: str | None, request=None) -> PhoneCode:
    """Send a reset code (SMS) or link (email) if the identifier names an account that can receive it.

    Always: the same limits (per identifier and per address), a code row (its code unsent when there is
    no phone to send it to) and a token computed; the caller answers the same in every case.
    """
    send_allowed(subject=_subject(identifier), ip=ip)
    user = account_for(identifier)
    phone = user.phone if user is not None and channel == SMS else ""
    row, code = phone_code_create(purpose=PhoneCode.Purpose.RESET, phone=phone, ip=ip, user=user)
    token = default_token_generator.make_token(user or User(password="!", username="-"))
    minutes = settings.ACCOUNTS_CODE_TTL_SECONDS // 60
    if user is not None and channel == SMS and user.phone:
        sms.sms_send(phone=user.phone, template="password_reset", params={"code": code, "minutes": minutes})
    elif user is not None and channel == EMAIL and user.email:
        _send_reset_email(user, token, request)
    audit_code_sent(row, account_exists=user is not None)
    return row


def reset_link(user: User, token: str, *, url_name: str = "accounts:password_reset_confirm") -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    return settings.SITE_URL.rstrip("/") + reverse(url_name, kwargs={"uidb64": uid, "token": token})


def _send_reset_email(user: User, token: str, request) -> None:
    link = reset_link(user, token)
    body = (f"{user}：\n\n您申请重置内蒙古专业技术人员继续教育管理系统的登录密码。请在 "
            f"{settings.PASSWORD_RESET_TIMEOUT // 3600} 小时内打开下面的链接设置新密码：\n\n{link}\n\n"
            "如非本人操作，请忽略本邮件，您的密码不会改变。")
    send_mail("重置登录密码", body, None, [user.email])


def reset_complete(*, pk: int, code: str, password: str, request=None,
                   now: dt.datetime | None = None) -> CodeResult:
    """Set the new password when the code is right; a row without an account never accepts a code."""
    with transaction.atomic():
        result, row = phone_code_check(pk=pk, purpose=PhoneCode.Purpose.RESET, code=code, now=now)
        if result is not CodeResult.ACCEPTED:
            return result
        if row.user is None or not row.phone:  # unreachable in practice: no code was sent for such a row
            return CodeResult.WRONG
        user = User.objects.select_for_update().get(pk=row.user_id)
        user.set_password(password)
        user.save(update_fields=["password"])
        audit_record(kind=AuditEvent.Kind.PASSWORD_RESET, actor=user, request=request, target=f"user:{user.pk}",
                     channel=SMS)
    return result


class FirstSignInTokenGenerator(PasswordResetTokenGenerator):
    """首次登录链接: like a reset token (dead once a password is set or the user signs in), with its
    own salt and lifetime (ACCOUNTS_FIRST_SIGN_IN_DAYS)."""

    key_salt = "access.recovery.FirstSignInTokenGenerator"

    def check_token(self, user, token):
        if not (user and token) or "-" not in token:
            return False
        ts_b36 = token.split("-")[0]
        try:
            ts = base36_to_int(ts_b36)
        except ValueError:
            return False
        secrets = [self.secret, *self.secret_fallbacks]
        if not any(constant_time_compare(self._make_token_with_timestamp(user, ts, s), token) for s in secrets):
            return False
        return (self._num_seconds(self._now()) - ts) <= settings.ACCOUNTS_FIRST_SIGN_IN_DAYS * 86400


first_sign_in_tokens = FirstSignInTokenGenerator()


def first_sign_in_link(user: User) -> str:
    return reset_link(user, first_sign_in_tokens.make_token(user), url_name="accounts:first_sign_in")
