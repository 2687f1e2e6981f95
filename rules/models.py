"""Rule sets (继续教育政策规则): the numbers a notice sets, as data with an effective period.

A region-wide set carries every parameter. A league or county set (`base` → the region's
set) carries only what it adds or tightens; `rules.selectors.policy_for` merges the chain
from the region down to the division asked about.
"""

from django.db import models


class RuleSet(models.Model):
    """一份通知确定的规则集"""

    code = models.SlugField("编号", max_length=40, unique=True)
    name = models.CharField("名称", max_length=120)
    issuer = models.ForeignKey(
        "jurisdiction.Division", verbose_name="发文机关所在区划", on_delete=models.PROTECT, related_name="+"
    )
    notice = models.CharField("依据文件", max_length=200, blank=True, help_text="文件标题，与印发文本一致")
    document_number = models.CharField(
        "发文字号", max_length=60, blank=True, help_text="仅填写文件本身的发文字号，不得自拟"
    )
    issuing_body = models.CharField("发文机关", max_length=100, blank=True)
    issued_on = models.DateField("发文日期", null=True, blank=True)
    effective_from = models.DateField("生效日期")
    effective_to = models.DateField("失效日期", null=True, blank=True)
    base = models.ForeignKey(
        "self", verbose_name="上级规则集", null=True, blank=True, on_delete=models.PROTECT, related_name="variants"
    )
    params = models.JSONField("参数", default=dict)

    class Meta:
        verbose_name = "规则集"
        verbose_name_plural = "规则集"
        ordering = ["issuer__path", "effective_from"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(effective_to__isnull=True) | models.Q(effective_to__gte=models.F("effective_from")),
                name="ruleset_period_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class AuditCard(models.Model):
    """继续教育审验卡: the facts and hours of a person's years as issued, checkable by its code.

    The snapshot keeps what the card showed (name, masked ID, hours by subject and source, the
    verdict) and the ids of the ledger entries it counted, so the public verification page can tell
    when hours behind the card were reversed later.
    """

    code = models.CharField("验证码", max_length=32, unique=True)
    person = models.ForeignKey(
        "ledger.Person", verbose_name="专业技术人员", on_delete=models.PROTECT, related_name="audit_cards"
    )
    years = models.JSONField("审验年度", default=list)
    snapshot = models.JSONField("审验卡内容", default=dict)
    issued_at = models.DateTimeField("签发时间", auto_now_add=True)
    issued_by = models.ForeignKey(
        "accounts.User", verbose_name="签发人", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField("作废时间", null=True, blank=True)

    class Meta:
        verbose_name = "继续教育审验卡"
        verbose_name_plural = "继续教育审验卡"
        ordering = ["-issued_at", "-pk"]

    def __str__(self) -> str:
        return self.code


class AuthoritySettings(models.Model):
    """审核部门设置: one authority's own choices that no notice sets (issue 15 item 12: the daily ceiling on
    class hours, the revision period of a returned plan or report, hour reversal after a violation), shown
    as its setting, never as a rule. Without a row, the defaults below apply."""

    authority = models.OneToOneField(
        "jurisdiction.Organisation", verbose_name="审核部门", on_delete=models.CASCADE, related_name="rule_settings"
    )
    max_hours_per_day = models.PositiveIntegerField(
        "培训计划每天最多学时", null=True, blank=True, default=8, help_text="本部门设置，非通知规定；留空表示不限"
    )
    reverse_hours_after_violation = models.BooleanField(
        "确认违规后撤销受影响学员的学时", default=True, help_text="本部门设置，非通知规定"
    )
    revision_days = models.PositiveSmallIntegerField(
        "退回后修改期限（天）", default=7, help_text="退回的培训计划或培训情况报告应在退回后几天内修改；本部门设置，非通知规定"
    )

    class Meta:
        verbose_name = "审核部门设置"
        verbose_name_plural = "审核部门设置"

    def __str__(self) -> str:
        return f"{self.authority_id} 设置"


class EligibilityBatchResult(models.Model):
    """批量审验结果: a user's last batch of verdicts, kept for download instead of in the session.

    It carries the full ID numbers the office uploaded, so it lives in the database (scoped to its user)
    and is deleted by the retention job after `RETENTION["eligibility_batch_hours"]`.
    """

    user = models.OneToOneField("accounts.User", verbose_name="审验人", on_delete=models.CASCADE,
                                related_name="eligibility_batch_result")
    rows = models.JSONField("审验结果", default=list)
    created_at = models.DateTimeField("审验时间", db_index=True)

    class Meta:
        verbose_name = "批量审验结果"
        verbose_name_plural = "批量审验结果"

    def __str__(self) -> str:
        return f"{self.user} · {len(self.rows)} 人"
