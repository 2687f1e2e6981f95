"""Users, their organisation and their role."""

from django.contrib.auth.models import AbstractUser
from django.db import models


class Role(models.TextChoices):
    ORGANISER = "organiser", "培训组织单位经办人"
    REVIEWER = "reviewer", "审核人员"
    INSPECTOR = "inspector", "巡查抽查人员"
    PROFESSIONAL = "professional", "专业技术人员"
    TITLE_OFFICE = "title_office", "职称评审办公室"
    EMPLOYER_HR = "employer_hr", "用人单位人事经办人"
    ADMIN = "admin", "系统管理员"


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
        """Reviewers and administrators may protect their sign-in with an authenticator app."""
        return self.has_role(Role.REVIEWER, Role.ADMIN)


class TOTPDevice(models.Model):
    """两步验证设备: the authenticator app (TOTP, RFC 6238) bound to one user.

    The secret is shown once, while the device is being set up; afterwards no page or admin form shows it.
    `last_used_step` is the 30-second step of the last accepted code, so no code is accepted twice.
    """

    user = models.OneToOneField(User, verbose_name="用户", on_delete=models.CASCADE, related_name="totp_device")
    secret = models.CharField("密钥", max_length=64, editable=False)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    confirmed_at = models.DateTimeField("启用时间", null=True, blank=True)
    last_used_step = models.BigIntegerField("最近使用的时间步", default=0)

    class Meta:
        verbose_name = "两步验证设备"
        verbose_name_plural = "两步验证设备"

    def __str__(self) -> str:
        return f"{self.user} · {'已启用' if self.confirmed_at else '待确认'}"

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None


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
    actor = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
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

