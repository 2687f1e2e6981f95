"""What organisers file: the training plan (专业技术人员年度培训计划备案表) and its teachers."""

from django.conf import settings
from django.db import models
from django_fsm import FSMField, FSMModelMixin, transition

from filings.permissions import certifier_may, decider_may, nobody_may, organiser_may


class PlanState(models.TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "待审核"
    RETURNED = "returned", "退回修改"
    APPROVED = "approved", "已备案"
    REJECTED = "rejected", "不予备案"
    WITHDRAWN = "withdrawn", "已撤回"
    CANCELLED = "cancelled", "已取消"
    IN_TRAINING = "in_training", "培训中"
    AWAITING_REPORT = "awaiting_report", "待提交培训报告"
    REPORTED = "reported", "报告待审核"
    REPORT_RETURNED = "report_returned", "报告退回修改"
    REPORT_ACCEPTED = "report_accepted", "待核定学时"
    CERTIFIED = "certified", "学时已核定"


# From the start of the training on, the plan has a training report (培训情况报告) and its certification.
REPORT_STAGE_STATES = (PlanState.IN_TRAINING, PlanState.AWAITING_REPORT, PlanState.REPORTED,
                       PlanState.REPORT_RETURNED, PlanState.REPORT_ACCEPTED, PlanState.CERTIFIED)


class Subject(models.TextChoices):
    PUBLIC = "public", "公需科目"
    PROFESSIONAL = "professional", "专业科目"


class Mode(models.TextChoices):
    FACE_TO_FACE = "face_to_face", "面授"
    ONLINE = "online", "网络"
    MIXED = "mixed", "线上+线下"


class TrainingKind(models.TextChoices):
    """Kinds of training whose notices ask for the supervising department's say (2026 §一(四)2-3)."""

    OTHER = "", "其他培训"
    STAFF_SELF_ORGANISED = "staff_self_organised", "事业单位自行组织的工作人员培训"
    ASSOCIATION = "association", "行业学会、协会组织的专业培训"


class TrainingPlan(FSMModelMixin, models.Model):
    """培训计划"""

    filing_no = models.CharField("备案编号", max_length=24, unique=True)
    organiser = models.ForeignKey(
        "jurisdiction.Organisation", verbose_name="培训组织单位", on_delete=models.PROTECT, related_name="plans"
    )
    authority = models.ForeignKey(
        "jurisdiction.Organisation", verbose_name="审核部门", on_delete=models.PROTECT, related_name="plans_to_review"
    )
    title = models.CharField("培训名称", max_length=120)
    subject = models.CharField("科目类别", max_length=20, choices=Subject.choices)
    mode = models.CharField("培训方式", max_length=20, choices=Mode.choices)
    starts_at = models.DateTimeField("开始时间")
    ends_at = models.DateTimeField("结束时间")
    place = models.CharField("培训地点或平台", max_length=200)
    content = models.TextField("培训内容")
    trainee_scope = models.CharField("培训人员范围", max_length=200)
    planned_headcount = models.PositiveIntegerField("计划人数")
    hours = models.PositiveIntegerField("每人学时")
    fee = models.DecimalField("收费标准（元/人）", max_digits=8, decimal_places=2, default=0)
    contact_person = models.CharField("联系人", max_length=40)
    contact_phone = models.CharField("联系电话", max_length=20)
    credit_year = models.PositiveIntegerField("学时计入年度", help_text="补学培训计入往年，其余计入培训当年")
    # Rule-dependent facts (issue 15): optional here, required where the rule set in force says so.
    platform = models.CharField("网络培训平台", max_length=100, blank=True,
                                help_text="网络培训须从现行通知公布的平台中选择（网址）")
    training_kind = models.CharField("培训类别", max_length=30, blank=True, default="", choices=TrainingKind.choices)
    approval_reference = models.CharField("主管部门审核同意（认可）文件", max_length=200, blank=True)
    approval_date = models.DateField("审核同意日期", null=True, blank=True)
    state = FSMField("状态", default=PlanState.DRAFT, choices=PlanState.choices, protected=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="填报人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)

    class Meta:
        verbose_name = "培训计划"
        verbose_name_plural = "培训计划"
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["state", "starts_at"]), models.Index(fields=["authority", "state"])]
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_at__gt=models.F("starts_at")), name="plan_ends_after_start",
                                   violation_error_message="结束时间必须晚于开始时间。"),
            models.CheckConstraint(condition=models.Q(planned_headcount__gt=0), name="plan_headcount_positive",
                                   violation_error_message="计划人数必须大于 0。"),
            models.CheckConstraint(condition=models.Q(hours__gt=0), name="plan_hours_positive",
                                   violation_error_message="每人学时必须大于 0。"),
            models.CheckConstraint(condition=models.Q(fee__gte=0), name="plan_fee_not_negative",
                                   violation_error_message="收费标准不能为负数。"),
        ]

    def __str__(self) -> str:
        return f"{self.filing_no} {self.title}"

    @property
    def is_makeup(self) -> bool:
        return self.credit_year < self.starts_at.year

    def days_until_start(self, now) -> int:
        from django.utils import timezone

        return (timezone.localtime(self.starts_at).date() - timezone.localtime(now).date()).days

    # --- transitions: state only, no I/O; services lock, log and notify ------------------
    # `permission` says who may ask for the move (has_transition_perm); the services enforce it.
    @transition(field=state, source=[PlanState.DRAFT, PlanState.RETURNED], target=PlanState.SUBMITTED,
                permission=organiser_may)
    def submit(self):
        pass

    @transition(field=state, source=PlanState.SUBMITTED, target=PlanState.WITHDRAWN,
                permission=organiser_may)
    def withdraw(self):
        pass

    @transition(field=state, source=PlanState.SUBMITTED, target=PlanState.APPROVED,
                permission=decider_may)
    def approve(self):
        pass

    @transition(field=state, source=PlanState.SUBMITTED, target=PlanState.RETURNED,
                permission=decider_may)
    def return_for_revision(self):
        pass

    @transition(field=state, source=PlanState.SUBMITTED, target=PlanState.REJECTED,
                permission=decider_may)
    def reject(self):
        pass

    @transition(field=state, source=[PlanState.DRAFT, PlanState.RETURNED, PlanState.APPROVED], target=PlanState.CANCELLED,
                permission=organiser_may)
    def cancel(self):
        pass

    @transition(field=state, source=PlanState.APPROVED, target=PlanState.IN_TRAINING,
                permission=nobody_may)
    def start_training(self):
        pass

    @transition(field=state, source=PlanState.IN_TRAINING, target=PlanState.AWAITING_REPORT,
                permission=nobody_may)
    def end_training(self):
        pass

    @transition(field=state, source=[PlanState.AWAITING_REPORT, PlanState.REPORT_RETURNED], target=PlanState.REPORTED,
                permission=organiser_may)
    def submit_report(self):
        pass

    @transition(field=state, source=PlanState.REPORTED, target=PlanState.REPORT_ACCEPTED,
                permission=decider_may)
    def accept_report(self):
        pass

    @transition(field=state, source=PlanState.REPORTED, target=PlanState.REPORT_RETURNED,
                permission=decider_may)
    def return_report(self):
        pass

    @transition(field=state, source=PlanState.REPORT_ACCEPTED, target=PlanState.CERTIFIED,
                permission=certifier_may)
    def certify(self):
        pass


class Teacher(models.Model):
    """师资"""

    plan = models.ForeignKey(TrainingPlan, verbose_name="培训计划", on_delete=models.CASCADE, related_name="teachers")
    name = models.CharField("姓名", max_length=40)
    title = models.CharField("职称职务", max_length=60)
    employer = models.CharField("工作单位", max_length=100)

    class Meta:
        verbose_name = "师资"
        verbose_name_plural = "师资"
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.name}（{self.title}，{self.employer}）"


class LateFilingException(models.Model):
    """逾期备案特批: a reviewer lets one plan through the lead-time rule, with a reason."""

    plan = models.OneToOneField(
        TrainingPlan, verbose_name="培训计划", on_delete=models.PROTECT, related_name="late_exception")
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="批准人", on_delete=models.PROTECT, related_name="+")
    reason = models.TextField("理由")
    granted_at = models.DateTimeField("批准时间", auto_now_add=True)

    class Meta:
        verbose_name = "逾期备案特批"
        verbose_name_plural = "逾期备案特批"

    def __str__(self) -> str:
        return f"{self.plan_id}: {self.reason}"


class PlanTransition(models.Model):
    """状态变更记录: who moved the plan, when, from where to where, and why."""

    plan = models.ForeignKey(TrainingPlan, verbose_name="培训计划", on_delete=models.PROTECT, related_name="transitions")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="操作人", null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    from_state = models.CharField("原状态", max_length=20, choices=PlanState.choices)
    to_state = models.CharField("新状态", max_length=20, choices=PlanState.choices)
    reason = models.TextField("说明", blank=True)
    at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = "状态变更记录"
        verbose_name_plural = "状态变更记录"
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.plan_id}: {self.from_state} → {self.to_state}"

    @property
    def summary(self) -> str:
        """The history line: an event that left the state alone (created, edited, late filing allowed) is
        named by itself ("创建草稿"), a move as "待审核 → 已备案 · reason"."""
        if self.from_state == self.to_state and self.reason:
            return self.reason
        moved = f"{self.get_from_state_display()} → {self.get_to_state_display()}"
        return f"{moved} · {self.reason}" if self.reason else moved


class FilingCounter(models.Model):
    """Sequence of filing numbers per year and league, locked while a number is taken."""

    year = models.PositiveIntegerField()
    league_code = models.CharField(max_length=6)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["year", "league_code"], name="filing_counter_unique")]

    def __str__(self) -> str:
        return f"{self.year}-{self.league_code}: {self.last}"


class TrainingReport(models.Model):
    """培训情况报告: filed after the training; late by `late_days` when after its due date."""

    plan = models.OneToOneField(TrainingPlan, verbose_name="培训计划", on_delete=models.PROTECT, related_name="report")
    due_at = models.DateTimeField("报告截止时间")
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="提交人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    late_days = models.PositiveIntegerField("逾期天数", default=0)
    headcount_confirmed = models.BooleanField("已确认超出计划人数", default=False)

    class Meta:
        verbose_name = "培训情况报告"
        verbose_name_plural = "培训情况报告"

    def __str__(self) -> str:
        return f"{self.plan_id} 报告"


class AttachmentKind(models.TextChoices):
    NOTICE = "notice", "培训通知"
    SUMMARY = "summary", "培训总结"
    SIGN_IN = "sign_in", "学员签到表"
    EVALUATION = "evaluation", "培训效果评估表"
    PHOTOS = "photos", "面授图片或网络培训截图"
    PLAN_FORM = "plan_form", "培训计划备案表"
    OTHER = "other", "其他材料"


class Attachment(models.Model):
    """An uploaded file, stored under MEDIA_ROOT (outside the web root), served by scoped views."""

    plan = models.ForeignKey(TrainingPlan, verbose_name="培训计划", on_delete=models.PROTECT, related_name="attachments")
    kind = models.CharField("材料类别", max_length=20, choices=AttachmentKind.choices)
    file = models.FileField("文件", upload_to="attachments/%Y/%m/")
    original_name = models.CharField("原文件名", max_length=200)
    size = models.PositiveIntegerField("大小（字节）")
    content_type = models.CharField("类型", max_length=100)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="上传人", on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = "附件"
        verbose_name_plural = "附件"
        ordering = ["kind", "pk"]

    def __str__(self) -> str:
        return self.original_name


class RosterEntry(models.Model):
    """培训花名册 row: one trainee of one training, as imported (all or nothing)."""

    # No index of its own: the unique (plan, id_number) index serves every lookup by plan, and one index fewer
    # is one fewer write for each of the tens of thousands of rows an import stores.
    plan = models.ForeignKey(TrainingPlan, verbose_name="培训计划", on_delete=models.CASCADE, related_name="roster",
                             db_index=False)
    seq = models.PositiveIntegerField("序号")
    name = models.CharField("姓名", max_length=40)
    sex = models.CharField("性别", max_length=1, choices=[("M", "男"), ("F", "女")])
    id_number = models.CharField("身份证号码", max_length=18)
    employer = models.CharField("工作单位", max_length=100)
    specialty = models.CharField("现从事专业", max_length=60)
    title = models.CharField("专业技术职务", max_length=60)
    subject = models.CharField("科目类别", max_length=20, choices=Subject.choices)
    hours = models.PositiveIntegerField("学时")
    phone = models.CharField("联系电话", max_length=20)
    note = models.CharField("备注", max_length=200, blank=True)
    anomaly = models.CharField("异常提示", max_length=300, blank=True)
    exam_passed = models.BooleanField("考试合格", null=True, blank=True,
                                      help_text="公需科目须考试合格后取得学时的地区必填（锡林郭勒盟2024、松山区2025）")
    certified_hours = models.PositiveIntegerField("核定学时", null=True, blank=True)
    adjustment_reason = models.CharField("调整理由", max_length=200, blank=True)

    class Meta:
        verbose_name = "花名册人员"
        verbose_name_plural = "花名册人员"
        ordering = ["plan", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "id_number"], name="roster_person_once_per_plan"),
            models.CheckConstraint(condition=models.Q(hours__gt=0), name="roster_hours_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.seq} {self.name}"


class RosterUpload(models.Model):
    """An uploaded roster workbook, parsed in the background; its errors are kept for the organiser."""

    class Status(models.TextChoices):
        PENDING = "pending", "排队中"
        PARSING = "parsing", "解析中"
        FAILED = "failed", "有错误，未导入"
        NEEDS_CONFIRMATION = "needs_confirmation", "待确认"
        IMPORTED = "imported", "已导入"

    plan = models.ForeignKey(TrainingPlan, verbose_name="培训计划", on_delete=models.CASCADE, related_name="roster_uploads")
    file = models.FileField("文件", upload_to="rosters/%Y/%m/")
    original_name = models.CharField("原文件名", max_length=200)
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.PENDING)
    progress = models.PositiveIntegerField("已处理行数", default=0)
    total_rows = models.PositiveIntegerField("总行数", default=0)
    errors = models.JSONField("错误", default=list)
    warnings = models.JSONField("提示", default=list)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="上传人", on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        verbose_name = "花名册上传"
        verbose_name_plural = "花名册上传"
        ordering = ["-uploaded_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.plan_id}: {self.original_name}"


class PlanRiskFacts(models.Model):
    """The spot-check risk facts of one training, kept by the services at the transitions that change them
    (filings.risk_facts): a late-filing exception granted, a late report recorded, a roster imported. A plan
    without a row has none of them. The freeze of a spot-check draw reads them with the plans in one query."""

    plan = models.OneToOneField(
        TrainingPlan, verbose_name="培训计划", on_delete=models.CASCADE, primary_key=True, related_name="risk_facts")
    has_late_exception = models.BooleanField("逾期备案特批", default=False)
    report_late = models.BooleanField("培训报告逾期", default=False)
    roster_count = models.PositiveIntegerField("花名册人数", default=0)
    anomaly_count = models.PositiveIntegerField("有异常提示的人数", default=0)
    max_roster_hours = models.PositiveIntegerField("花名册最高学时", default=0)

    class Meta:
        verbose_name = "培训风险事实"
        verbose_name_plural = "培训风险事实"

    def __str__(self) -> str:
        return f"{self.plan_id} 风险事实"
