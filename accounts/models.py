"""Users, their organisation and their role."""

from __future__ import annotations

import base64
import os
import time

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django_otp.models import Device, ThrottlingMixin, TimestampMixin
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice


class Role(models.TextChoices):
    ORGANISER = "organiser", "培训组织单位经办人"
    REVIEWER = "reviewer", "审核人员"
    INSPECTOR = "inspector", "巡查抽查人员"
    PROFESSIONAL = "professional", "专业技术人员"
    TITLE_OFFICE = "title_office", "职称评审办公室"
    EMPLOYER_HR = "employer_hr", "用人单位人事经办人"
    ADMIN = "admin", "系统管理员"


SECOND_FACTOR_ROLES = (Role.REVIEWER, Role.INSPECTOR, Role.ADMIN)


class User(AbstractUser):
    """A person who signs in. Scope follows from the organisation and the role."""

    organisation = models.ForeignKey(
        "jurisdiction.Organisation",
        verbose_name="所属单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    role = models.CharField("角色", max_length=20, choices=Role.choices, default=Role.PROFESSIONAL)
    display_name = models.CharField("姓名", max_length=40, blank=True)
    phone = models.CharField("手机号", max_length=20, blank=True)

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"
        permissions = [("view_full_personal_data", "可查看完整的身份证号码和手机号")]
        constraints = [
            # Everyone but administrators and professionals acts for an organisation.
            models.CheckConstraint(
                condition=models.Q(role__in=["admin", "professional"]) | models.Q(organisation__isnull=False),
                name="user_role_needs_organisation",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name or self.username

    @property
    def division(self):
        return self.organisation.division if self.organisation_id else None

    def has_role(self, *roles: str) -> bool:
        return self.is_active and self.role in roles

    @property
    def can_use_second_factor(self) -> bool:
        """Reviewers, inspectors and administrators protect their sign-in with an authenticator app
        (required when settings.SECOND_FACTOR_REQUIRED is on, as in production)."""
        return self.has_role(*SECOND_FACTOR_ROLES)


class BackupCodes(StaticDevice):
    """备用验证码: django-otp's static device, named for the admin."""

    class Meta:
        proxy = True
        verbose_name = "备用验证码"
        verbose_name_plural = "备用验证码"


class EncryptedTOTPDevice(TimestampMixin, ThrottlingMixin, Device):
    """两步验证设备: an authenticator app (TOTP, RFC 6238) as a django-otp device, its key encrypted at rest.

    django-otp's own TOTPDevice keeps the key in clear; this device keeps only `encrypted_key`
    (accounts.crypto, a key from the environment) and otherwise verifies exactly like it
    (django_otp.oath.TOTP, tolerance one step each way, `last_t` so no code is accepted twice).
    """

    encrypted_key = models.TextField("密钥（加密）", editable=False)
    step = models.PositiveSmallIntegerField(default=30)
    t0 = models.BigIntegerField(default=0)
    digits = models.PositiveSmallIntegerField(default=6)
    tolerance = models.PositiveSmallIntegerField(default=1)
    drift = models.SmallIntegerField(default=0)
    last_t = models.BigIntegerField("最近使用的时间步", default=-1)

    class Meta(Device.Meta):
        verbose_name = "两步验证设备"
        verbose_name_plural = "两步验证设备"

    def __str__(self) -> str:
        return f"{self.user} · {'已启用' if self.confirmed else '待确认'}"

    @classmethod
    def with_new_key(cls, user, **fields) -> EncryptedTOTPDevice:
        from accounts.crypto import encrypt_secret

        return cls(user=user, encrypted_key=encrypt_secret(os.urandom(20)), **fields)

    @property
    def bin_key(self) -> bytes:
        from accounts.crypto import decrypt_secret

        return decrypt_secret(self.encrypted_key)

    @property
    def secret(self) -> str:
        """The key as the base32 text an authenticator app is given (shown once, while setting up)."""
        return base64.b32encode(self.bin_key).decode("ascii").rstrip("=")

    def get_throttle_factor(self) -> int:
        return 1

    def verify_token(self, token) -> bool:
        allowed, _ = self.verify_is_allowed()
        if not allowed:
            return False
        token = "".join(str(token).split())
        verified = False
        if len(token) == self.digits and token.isascii() and token.isdigit():
            totp = TOTP(self.bin_key, self.step, self.t0, self.digits, self.drift)
            totp.time = time.time()
            verified = totp.verify(int(token), self.tolerance, self.last_t + 1)
        if verified:
            # Claimed by a conditional UPDATE: two requests with the same code cannot both pass.
            step = totp.t()
            claimed = type(self).objects.filter(pk=self.pk, last_t__lt=step).update(
                last_t=step, throttling_failure_count=0, throttling_failure_timestamp=None, last_used_at=timezone.now())
            verified = bool(claimed)
            self.last_t = step
        if not verified:
            self.throttle_increment(commit=True)
        return verified


class AuditEvent(models.Model):
    """审计日志: sign-ins, refusals, transitions, certifications, revocations, unmasking, exports.

    Append-only: the model refuses updates and deletes, and on PostgreSQL a trigger refuses them
    too, except deleting rows past the retention period (183 days).
    """

    class Kind(models.TextChoices):
        SIGN_IN = "sign_in", "登录"
        SIGN_IN_FAILED = "sign_in_failed", "登录失败"
        SIGN_OUT = "sign_out", "退出"
        REFUSED = "refused", "拒绝访问"
        TRANSITION = "transition", "状态变更"
        CERTIFICATION = "certification", "学时核定"
        REVOCATION = "revocation", "学时撤销"
        UNMASK = "unmask", "查看完整个人信息"
        EXPORT = "export", "导出"
        SECOND_FACTOR_ON = "second_factor_on", "启用两步验证"
        SECOND_FACTOR_FAILED = "second_factor_failed", "两步验证失败"
        # Who gets in and who sees whom (the access app: registration, recovery, staff_import, employer).
        CODE_SENT = "sms_code_sent", "发送短信验证码"
        REGISTRATION = "registration", "自助注册"
        PASSWORD_RESET = "password_reset", "重置密码"
        ACCOUNT_LINK = "account_link", "账号关联人员"
        STAFF_IMPORT = "staff_import", "批量导入账号"
        STAFF_DEACTIVATE = "staff_deactivate", "停用账号"
        EMPLOYER_ACCESS = "employer_access", "用人单位查看授权"

    at = models.DateTimeField("时间", auto_now_add=True, db_index=True)
    kind = models.CharField("类型", max_length=20, choices=Kind.choices)
    actor = models.ForeignKey(User, verbose_name="操作人", null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    username = models.CharField("用户名", max_length=150, blank=True)
    ip = models.GenericIPAddressField("IP", null=True, blank=True)
    target = models.CharField("对象", max_length=200, blank=True)
    detail = models.JSONField("详情", default=dict, blank=True)

    class Meta:
        verbose_name = "审计日志"
        verbose_name_plural = "审计日志"
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["kind", "username", "at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.kind} {self.username}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("审计日志不可修改。")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("审计日志不可删除。")

