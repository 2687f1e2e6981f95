"""Who gets in and who sees whom: account ID numbers, one-time SMS codes, link requests from an account
to the ledger's person, and employers' access to their staff's records.

This app sits above the ledger, filings and rules (it reads rosters' phones and verdicts); the
accounts app below it keeps users, roles and the audit log.
"""

from django.db import models

from accounts.models import User


class AccountIdentity(models.Model):
    """账号身份证号码: the ID number an account belongs to, one account per number.

    Self-registration and single sign-on find accounts by it (never by name). It proves nothing about
    the ledger: the account reaches the ledger's person only through `PersonLinkRequest` or a phone match.
    """

    user = models.OneToOneField(User, verbose_name="用户", on_delete=models.CASCADE, related_name="identity")
    id_number = models.CharField("身份证号码", max_length=18, unique=True)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "账号身份证号码"
        verbose_name_plural = "账号身份证号码"

    def __str__(self) -> str:
        return f"{self.user} · {self.id_number[:6]}…"


class PhoneCode(models.Model):
    """短信验证码: one code sent for one purpose; stored as a keyed hash, single use, short-lived.

    `id_number`/`name` carry what a registrant typed until the code is confirmed; for a reset, `user`
    is the account (none when the identifier matched no account: the row exists all the same, so
    both answers take the same path).
    """

    class Purpose(models.TextChoices):
        REGISTER = "register", "注册"
        RESET = "reset", "重置密码"

    purpose = models.CharField("用途", max_length=10, choices=Purpose.choices)
    phone = models.CharField("手机号", max_length=20, blank=True)
    id_number = models.CharField("身份证号码", max_length=18, blank=True)
    name = models.CharField("姓名", max_length=40, blank=True)
    user = models.ForeignKey(User, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    code_hash = models.CharField("验证码摘要", max_length=64)
    created_at = models.DateTimeField("发送时间")
    expires_at = models.DateTimeField("失效时间")
    attempts = models.PositiveSmallIntegerField("错误次数", default=0)
    used_at = models.DateTimeField("使用时间", null=True, blank=True)
    ip = models.GenericIPAddressField("IP", null=True, blank=True)

    class Meta:
        verbose_name = "短信验证码"
        verbose_name_plural = "短信验证码"
        indexes = [models.Index(fields=["phone", "created_at"])]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} {self.created_at:%Y-%m-%d %H:%M}"


class PersonLinkRequest(models.Model):
    """账号关联申请: a registered account asks to reach the ledger's person with its ID number.

    Made when the phone proven by SMS is not one the ledger holds for that number; the person's
    employer HR, or an authority that certified the person's hours, confirms or refuses it.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "待确认"
        CONFIRMED = "confirmed", "已确认"
        REFUSED = "refused", "未通过"

    user = models.ForeignKey(User, verbose_name="账号", on_delete=models.CASCADE, related_name="link_requests")
    person = models.ForeignKey("ledger.Person", verbose_name="人员", on_delete=models.CASCADE,
                               related_name="link_requests")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.PENDING)
    requested_at = models.DateTimeField("申请时间", auto_now_add=True)
    decided_by = models.ForeignKey(User, verbose_name="确认人", null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    decided_at = models.DateTimeField("确认时间", null=True, blank=True)
    reason = models.CharField("说明", max_length=200, blank=True)

    class Meta:
        verbose_name = "账号关联申请"
        verbose_name_plural = "账号关联申请"
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["user", "person"], condition=models.Q(status="pending"),
                                    name="link_request_one_pending"),
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.person_id} {self.get_status_display()}"


class EmployerAccess(models.Model):
    """用人单位查看授权: an employer's HR may see a person's hours and verdicts.

    Granted by the person (consent) or by an authority over the employer (link); ended by revocation,
    never deleted, so the record says who could see what and when.
    """

    class Basis(models.TextChoices):
        CONSENT = "consent", "本人授权"
        AUTHORITY = "authority", "主管部门关联"

    person = models.ForeignKey("ledger.Person", verbose_name="人员", on_delete=models.CASCADE,
                               related_name="employer_accesses")
    organisation = models.ForeignKey("jurisdiction.Organisation", verbose_name="用人单位", on_delete=models.PROTECT,
                                     related_name="staff_accesses")
    basis = models.CharField("依据", max_length=10, choices=Basis.choices)
    granted_by = models.ForeignKey(User, verbose_name="授权人", on_delete=models.PROTECT, related_name="+")
    granted_at = models.DateTimeField("授权时间", auto_now_add=True)
    revoked_by = models.ForeignKey(User, verbose_name="撤销人", null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    revoked_at = models.DateTimeField("撤销时间", null=True, blank=True)

    class Meta:
        verbose_name = "用人单位查看授权"
        verbose_name_plural = "用人单位查看授权"
        ordering = ["-granted_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["person", "organisation"], condition=models.Q(revoked_at__isnull=True),
                                    name="employer_access_one_active"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} · {self.person_id} ({self.get_basis_display()})"
