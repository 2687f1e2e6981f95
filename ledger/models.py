"""The person hour ledger (学时台账): persons and their append-only hour entries."""

from django.conf import settings
from django.db import models
from django_fsm import FSMField, FSMModelMixin, transition


class Person(models.Model):
    """专业技术人员, found or created by ID number when hours are certified."""

    id_number = models.CharField("身份证号码", max_length=18, unique=True)
    name = models.CharField("姓名", max_length=40)
    sex = models.CharField("性别", max_length=1, choices=[("M", "男"), ("F", "女")])
    birth_date = models.DateField("出生日期")
    employer = models.CharField("工作单位", max_length=100, blank=True)
    employer_organisation = models.ForeignKey(
        "jurisdiction.Organisation", verbose_name="所在单位", null=True, blank=True,
        on_delete=models.PROTECT, related_name="staff",
        help_text="由该单位人事经办人代为办理，并适用其所在区划的规则",
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name="登录账号", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="person"
    )

    class Meta:
        verbose_name = "专业技术人员"
        verbose_name_plural = "专业技术人员"

    def __str__(self) -> str:
        return self.name


class Source(models.TextChoices):
    """学时来源, as in the eligibility contract."""

    TRAINING = "training", "继续教育培训"
    STAFF_TRAINING = "staff_training", "事业单位工作人员培训"
    INDUSTRY_TRAINING = "industry_training", "行业主管部门培训"
    SEMINAR = "seminar", "高研班、论坛、学术交流、进修考察"
    SKILLS_TRAINING = "skills_training", "职业技能培训"
    TEACHER_TRAINING = "teacher_training", "教师教学能力培训"
    QUALIFICATION_EXAM = "qualification_exam", "专业技术人员职业资格考试"
    RESEARCH_PROJECT = "research_project", "主管部门科研课题结项"
    DEGREE_COURSE = "degree_course", "学历（学位）教育"
    TITLE_EXAM = "title_exam", "职称外语、计算机考试"


class AppendOnlyError(Exception):
    pass


class HourEntry(models.Model):
    """One ledger row. Never edited or deleted: a correction is a reversal row plus a new row."""

    class Kind(models.TextChoices):
        CREDIT = "credit", "核定"
        REVERSAL = "reversal", "冲销"

    person = models.ForeignKey(Person, verbose_name="专业技术人员", on_delete=models.PROTECT, related_name="hour_entries")
    year = models.PositiveIntegerField("学时年度")
    subject = models.CharField("科目类别", max_length=20, choices=[("public", "公需科目"), ("professional", "专业科目")])
    source = models.CharField("来源", max_length=30, choices=Source.choices, default=Source.TRAINING)
    hours = models.IntegerField("学时", help_text="冲销记录为所冲销学时的负数")
    kind = models.CharField("类型", max_length=10, choices=Kind.choices, default=Kind.CREDIT)
    reverses = models.OneToOneField(
        "self", verbose_name="冲销的记录", null=True, blank=True, on_delete=models.PROTECT, related_name="reversed_by"
    )
    plan = models.ForeignKey(
        "filings.TrainingPlan", verbose_name="培训计划", null=True, blank=True, on_delete=models.PROTECT,
        related_name="hour_entries",
    )
    roster_entry = models.ForeignKey(
        "filings.RosterEntry", verbose_name="花名册记录", null=True, blank=True, on_delete=models.PROTECT,
        related_name="hour_entries",
    )
    authority = models.ForeignKey(
        "jurisdiction.Organisation", verbose_name="核定部门", on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField("说明", max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="记账人", null=True, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField("记账时间", auto_now_add=True)

    class Meta:
        verbose_name = "学时记录"
        verbose_name_plural = "学时记录"
        ordering = ["person", "year", "pk"]
        indexes = [models.Index(fields=["person", "year", "subject"])]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(kind="credit", hours__gte=0, reverses__isnull=True)
                           | models.Q(kind="reversal", hours__lte=0, reverses__isnull=False)),
                name="hour_entry_kind_consistent",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.year} {self.subject} {self.hours}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError("学时台账只能追加，不能修改。")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("学时台账只能追加，不能删除。")


class TransmissionBatch(models.Model):
    """A batch of certified entries sent to the talent database (内蒙古人才信息库)."""

    identifier = models.CharField("批次号", max_length=40, unique=True)
    authority = models.ForeignKey("jurisdiction.Organisation", verbose_name="报送部门", on_delete=models.PROTECT,
                                  related_name="+")
    entries = models.ManyToManyField(HourEntry, verbose_name="学时记录", related_name="batches")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="生成人", on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField("生成时间", auto_now_add=True)
    sent_at = models.DateTimeField("发送时间", null=True, blank=True)

    class Meta:
        verbose_name = "报送批次"
        verbose_name_plural = "报送批次"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.identifier


class PersonFlag(models.Model):
    """A reduction that applies to a person (学时减免情形), with its evidence and who recorded it."""

    class Code(models.TextChoices):
        NON_PUBLIC = "non_public", "非公有制经济组织"
        GRASSROOTS = "grassroots", "基层一线（苏木乡镇）"
        POSTDOC_RETAINED = "postdoc_retained", "出站留区博士后"
        EPIDEMIC_FRONTLINE = "epidemic_frontline", "疫情防控一线医务人员"
        TRANSFERRED_FROM_ORGAN = "transferred_from_organ", "由党政机关调入企事业单位"
        EXCEPTIONAL_PROMOTION = "exceptional_promotion", "破格晋升"
        LEFT_TO_START_BUSINESS = "left_to_start_business", "离岗创业"
        UNIT_PLAN_FILED = "unit_plan_filed", "所在单位自主培训方案已备案"

    person = models.ForeignKey(Person, verbose_name="专业技术人员", on_delete=models.PROTECT, related_name="flags")
    code = models.CharField("情形", max_length=30, choices=Code.choices)
    year = models.PositiveIntegerField("年度", null=True, blank=True)
    post_start_year = models.PositiveIntegerField("任现职年度", null=True, blank=True)
    evidence = models.CharField("依据材料", max_length=300)
    effective_from = models.DateField("起始日期", null=True, blank=True)
    effective_to = models.DateField("截止日期", null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT,
                                    related_name="+")
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "学时减免情形"
        verbose_name_plural = "学时减免情形"

    def __str__(self) -> str:
        return f"{self.person_id} {self.code}"


class AmendmentRequest(models.Model):
    """学时更正申请: a request to correct a certified entry; approval appends a reversal and a new credit."""

    class Status(models.TextChoices):
        PENDING = "pending", "待审批"
        APPROVED = "approved", "已批准"
        REJECTED = "rejected", "未批准"

    entry = models.ForeignKey(HourEntry, verbose_name="原学时记录", on_delete=models.PROTECT,
                              related_name="amendment_requests")
    new_hours = models.PositiveIntegerField("更正后学时")
    reason = models.CharField("更正理由", max_length=300)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="申请人", on_delete=models.PROTECT,
                                     related_name="+")
    requested_at = models.DateTimeField("申请时间", auto_now_add=True)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="审批人", null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField("审批时间", null=True, blank=True)
    decision_reason = models.CharField("审批意见", max_length=300, blank=True)

    class Meta:
        verbose_name = "学时更正申请"
        verbose_name_plural = "学时更正申请"
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["entry"], condition=models.Q(status="pending"),
                                    name="amendment_one_pending_per_entry"),
        ]

    def __str__(self) -> str:
        return f"{self.entry_id} → {self.new_hours}"


class ApplicationState(models.TextChoices):
    SUBMITTED = "submitted", "待审核"
    RETURNED = "returned", "退回修改"
    APPROVED = "approved", "已认定"
    REJECTED = "rejected", "不予认定"


class ReviewedApplication(FSMModelMixin, models.Model):
    """What credit applications and circumstance records share: the person, who filed it, the authority
    that decides it (four-eyes), the evidence, and the state machine (submitted ⇄ returned → decided)."""

    person = models.ForeignKey(Person, verbose_name="专业技术人员", on_delete=models.PROTECT)
    authority = models.ForeignKey("jurisdiction.Organisation", verbose_name="审核部门", on_delete=models.PROTECT,
                                  related_name="+")
    employer = models.ForeignKey("jurisdiction.Organisation", verbose_name="所在单位", null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    state = FSMField("状态", default=ApplicationState.SUBMITTED, choices=ApplicationState.choices, protected=True)
    evidence = models.FileField("证明材料", upload_to="ledger/evidence/%Y/")
    evidence_name = models.CharField("证明材料文件名", max_length=200)
    note = models.CharField("说明", max_length=300, blank=True)
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="申报人", on_delete=models.PROTECT,
                                 related_name="+")
    filed_at = models.DateTimeField("申报时间", auto_now_add=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="审核人", null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField("审核时间", null=True, blank=True)
    decision_reason = models.CharField("审核意见", max_length=300, blank=True)

    class Meta:
        abstract = True

    @transition(field=state, source=ApplicationState.SUBMITTED, target=ApplicationState.RETURNED)
    def return_(self):
        pass

    @transition(field=state, source=ApplicationState.RETURNED, target=ApplicationState.SUBMITTED)
    def resubmit(self):
        pass

    @transition(field=state, source=ApplicationState.SUBMITTED, target=ApplicationState.APPROVED)
    def approve(self):
        pass

    @transition(field=state, source=ApplicationState.SUBMITTED, target=ApplicationState.REJECTED)
    def reject(self):
        pass


class CreditApplication(ReviewedApplication):
    """学时认定申请: hours from a source other than a certified roster (exam, research, seminar …)."""

    source = models.CharField("学时来源", max_length=30, choices=Source.choices)
    year = models.PositiveIntegerField("学时年度")
    subject = models.CharField("科目类别", max_length=20, choices=[("public", "公需科目"), ("professional", "专业科目")],
                               default="professional")
    hours = models.PositiveIntegerField("证书学时", null=True, blank=True)
    minutes = models.PositiveIntegerField("证书时长（分钟）", null=True, blank=True)
    credited_hours = models.PositiveIntegerField("计入学时", default=0,
                                                 help_text="记入学时台账的学时（按年度认定的来源为 0）")
    title = models.CharField("项目名称", max_length=200, help_text="考试、项目、课程或活动名称，与证书一致")
    certificate_date = models.DateField("证书（结题、合格）日期")
    approval_reference = models.CharField("批准（认可）文号", max_length=100, blank=True)
    rules_code = models.CharField("适用规则集", max_length=40)
    entry = models.OneToOneField(HourEntry, verbose_name="学时记录", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="application")

    class Meta:
        verbose_name = "学时认定申请"
        verbose_name_plural = "学时认定申请"
        ordering = ["-filed_at", "-pk"]
        default_related_name = "credit_applications"

    def __str__(self) -> str:
        return f"{self.person_id} {self.source} {self.year}"

    @property
    def kind_label(self) -> str:
        return Source(self.source).label


class CircumstanceApplication(ReviewedApplication):
    """学时减免情形登记: a circumstance recorded by the employer's HR or the authority, counted once approved."""

    code = models.CharField("情形", max_length=30, choices=PersonFlag.Code.choices)
    year = models.PositiveIntegerField("年度", null=True, blank=True)
    post_start_year = models.PositiveIntegerField("任现职年度", null=True, blank=True)
    effective_from = models.DateField("起始日期")
    effective_to = models.DateField("截止日期", null=True, blank=True)
    conditions = models.CharField("条件说明", max_length=300, blank=True,
                                  help_text="如博士后资助、业务考核结果")
    flag = models.OneToOneField(PersonFlag, verbose_name="减免情形", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="application")

    class Meta:
        verbose_name = "学时减免情形登记"
        verbose_name_plural = "学时减免情形登记"
        ordering = ["-filed_at", "-pk"]
        default_related_name = "circumstance_applications"
        constraints = [
            models.CheckConstraint(condition=models.Q(effective_to__isnull=True)
                                   | models.Q(effective_to__gte=models.F("effective_from")),
                                   name="circumstance_dates_ordered"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.code}"

    @property
    def kind_label(self) -> str:
        return PersonFlag.Code(self.code).label


class ApplicationTransition(models.Model):
    """申请状态变更记录: one row per step of a credit application or a circumstance record."""

    credit = models.ForeignKey(CreditApplication, null=True, blank=True, on_delete=models.PROTECT,
                               related_name="transitions")
    circumstance = models.ForeignKey(CircumstanceApplication, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="transitions")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    from_state = models.CharField("原状态", max_length=20, choices=ApplicationState.choices, blank=True)
    to_state = models.CharField("新状态", max_length=20, choices=ApplicationState.choices)
    reason = models.CharField("说明", max_length=300, blank=True)
    at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = "申请状态变更记录"
        verbose_name_plural = "申请状态变更记录"
        ordering = ["at", "pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(credit__isnull=True, circumstance__isnull=False)
                                   | models.Q(credit__isnull=False, circumstance__isnull=True),
                                   name="application_transition_one_subject"),
        ]

    def __str__(self) -> str:
        return f"{self.from_state or '—'} → {self.to_state}"
