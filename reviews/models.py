"""What authorities decide. Spot checks (抽查): campaigns, frozen draws, inspections, findings."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django_fsm import FSMField, FSMModelMixin, transition

from reviews.spotchecks.snapshot import population_load


class CampaignState(models.TextChoices):
    OPEN = "open", "待抽取"
    DRAWN = "drawn", "已抽取，检查中"
    PUBLISHED = "published", "结果已审定并公开"


class Strata(models.TextChoices):
    NONE = "none", "不分层"
    LEAGUE = "league", "按盟市"
    COUNTY = "county", "按旗县市区"
    ORGANISER_KIND = "organiser_kind", "按培训组织单位类别"
    LEAGUE_KIND = "league_kind", "按盟市和单位类别"


def percent(fraction: Decimal | None) -> str:
    """Decimal("0.300") -> "30%"; None -> "" (for pages; the model keeps fractions)."""
    return "" if fraction is None else f"{(fraction * 100).normalize():f}%"


def default_plan_states():
    return ["awaiting_report", "reported", "report_accepted", "certified"]


def default_risk_rules():
    return {
        "late_exception": 1, "late_report": 1, "roster_anomaly": 2, "hours_beyond_days": 2,
        "max_hours_per_day": 10, "headcount_excess": 2, "headcount_excess_ratio": "1.2", "past_violation": 3,
    }


class SpotCheckCampaign(FSMModelMixin, models.Model):
    """抽查批次: scope, sample size, strata and risk rules, fixed before the population is known."""

    authority = models.ForeignKey("jurisdiction.Organisation", verbose_name="组织抽查部门",
                                  on_delete=models.PROTECT, related_name="spot_check_campaigns")
    name = models.CharField("批次名称", max_length=120)
    division = models.ForeignKey("jurisdiction.Division", verbose_name="抽查范围（区划）",
                                 on_delete=models.PROTECT, related_name="+")
    year = models.PositiveIntegerField("培训年度")
    subject = models.CharField("科目类别", max_length=20, blank=True,
                               choices=[("public", "公需科目"), ("professional", "专业科目")])
    mode = models.CharField("培训方式", max_length=20, blank=True,
                            choices=[("face_to_face", "面授"), ("online", "网络"), ("mixed", "线上+线下")])
    plan_states = models.JSONField("纳入的计划状态", default=default_plan_states)
    sample_size = models.PositiveIntegerField("抽取数量", null=True, blank=True)
    sample_ratio = models.DecimalField("抽取比例", max_digits=5, decimal_places=4, null=True, blank=True,
                                       validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1"))])
    sample_min = models.PositiveIntegerField("最少抽取数量", default=1)
    strata_by = models.CharField("分层方式", max_length=20, choices=Strata.choices, default=Strata.NONE)
    strata_quota = models.JSONField("各层抽取数量", default=dict, blank=True)
    risk_weighting = models.BooleanField("按风险加权", default=True)
    risk_rules = models.JSONField("风险计分规则", default=default_risk_rules)
    random_share = models.DecimalField("完全随机抽取比例", max_digits=4, decimal_places=3, default=Decimal("0.300"),
                                       validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1"))])
    clean_cooldown_days = models.PositiveIntegerField("检查合格后免抽天数", default=365)
    inspectors_per_training = models.PositiveIntegerField("每个培训的检查人员数", default=2,
                                                          validators=[MinValueValidator(2)])
    inspector_load_limit = models.PositiveIntegerField("每名检查人员最多承担", default=5)
    seed_commitment = models.CharField("随机种子封存校验码（SHA-256）", max_length=64)
    # The system-generated seed, Fernet-encrypted (accounts.crypto), until the draw reveals it; empty for a
    # campaign whose seed a clerk keeps (created before sealing) and after the draw. Never shown or exported.
    sealed_seed = models.TextField("密封的随机种子（加密）", blank=True, default="", editable=False)
    state = FSMField("状态", default=CampaignState.OPEN, choices=CampaignState.choices, protected=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="创建人", on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    results_approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="结果审定人", null=True, blank=True,
                                            on_delete=models.PROTECT, related_name="+")
    results_approved_at = models.DateTimeField("结果审定时间", null=True, blank=True)

    class Meta:
        verbose_name = "抽查批次"
        verbose_name_plural = "抽查批次"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(sample_size__isnull=False) | models.Q(sample_ratio__isnull=False)
                                   | ~models.Q(strata_quota={}), name="campaign_has_a_sample_size",
                                   violation_error_message="请填写抽取数量、抽取比例或各层抽取数量。"),
        ]

    def __str__(self) -> str:
        return self.name

    @transition(field=state, source=CampaignState.OPEN, target=CampaignState.DRAWN)
    def mark_drawn(self):
        pass

    @transition(field=state, source=CampaignState.DRAWN, target=CampaignState.PUBLISHED)
    def publish(self):
        pass

    @property
    def current_draw(self):
        return self.draws.filter(superseded=False).order_by("-number").first()

    @property
    def is_sealed(self) -> bool:
        """The system keeps the seed (sealed until the draw); else the creator keeps it."""
        return bool(self.sealed_seed)

    def sample_ratio_percent(self) -> str:
        return percent(self.sample_ratio)

    def random_share_percent(self) -> str:
        return percent(self.random_share)


class SpotCheckDraw(models.Model):
    """一次抽取: the frozen snapshot (parameters, population, hash, seed) and its result. Never edited."""

    campaign = models.ForeignKey(SpotCheckCampaign, verbose_name="抽查任务", on_delete=models.PROTECT, related_name="draws")
    number = models.PositiveIntegerField("第几次抽取")
    algorithm_version = models.CharField("算法版本", max_length=40)
    parameters = models.JSONField("抽取参数")
    # The frozen population: its canonical JSON (algorithm.population_bytes), zlib-compressed; `population` reads it.
    population_data = models.BinaryField("抽取总体（规范 JSON，zlib 压缩）")
    population_size = models.PositiveIntegerField("抽取总体数量", default=0)
    population_hash = models.CharField("总体 SHA-256", max_length=64)
    excluded = models.JSONField("免抽单位的培训", default=list, blank=True)
    seed = models.CharField("随机种子", max_length=200)
    seed_commitment = models.CharField("种子承诺值", max_length=64)
    selection = models.JSONField("抽中结果")
    selection_hash = models.CharField("结果 SHA-256", max_length=64)
    reason = models.TextField("重新抽取理由", blank=True)
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="抽取人", on_delete=models.PROTECT, related_name="+")
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+", verbose_name="重新抽取批准人")
    superseded = models.BooleanField("已被重新抽取取代", default=False)
    drawn_at = models.DateTimeField("抽取时间", auto_now_add=True)

    class Meta:
        verbose_name = "抽取记录"
        verbose_name_plural = "抽取记录"
        ordering = ["campaign", "number"]
        constraints = [models.UniqueConstraint(fields=["campaign", "number"], name="draw_number_unique")]

    def __str__(self) -> str:
        return f"{self.campaign} 第{self.number}次抽取"

    @property
    def population(self) -> list[dict]:
        """The frozen population, items {id, stratum, risk} in canonical order (read once per instance)."""
        data = bytes(self.population_data)
        cached = self.__dict__.get("_population")
        if cached is None or cached[0] != data:
            cached = self.__dict__["_population"] = (data, population_load(data))
        return cached[1]


class RedrawRequest(models.Model):
    """重新抽取申请: a reason, a fresh seed commitment, and a second person's approval."""

    campaign = models.ForeignKey(
        SpotCheckCampaign, verbose_name="抽查任务", on_delete=models.PROTECT, related_name="redraw_requests")
    reason = models.TextField("理由")
    seed_commitment = models.CharField("新种子封存校验码", max_length=64)
    sealed_seed = models.TextField("密封的新随机种子（加密）", blank=True, default="", editable=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="申请人", on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField("申请时间", auto_now_add=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="审批人", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    approved_at = models.DateTimeField("批准时间", null=True, blank=True)
    draw = models.OneToOneField(SpotCheckDraw, verbose_name="抽取", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="request")

    class Meta:
        verbose_name = "重新抽取申请"
        verbose_name_plural = "重新抽取申请"
        ordering = ["-requested_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.campaign} 重新抽取申请"


class SpotCheckSelection(models.Model):
    """抽中的培训."""

    class Part(models.TextChoices):
        RANDOM = "random", "纯随机"
        RISK = "risk", "风险加权"

    draw = models.ForeignKey(SpotCheckDraw, verbose_name="抽取", on_delete=models.PROTECT, related_name="selections")
    plan = models.ForeignKey(
        "filings.TrainingPlan", verbose_name="培训计划", on_delete=models.PROTECT, related_name="spot_checks")
    stratum = models.CharField("所在层", max_length=80)
    part = models.CharField("抽取方式", max_length=10, choices=Part.choices)
    risk = models.PositiveIntegerField("风险分")
    rank = models.PositiveIntegerField("序号")

    class Meta:
        verbose_name = "抽中培训"
        verbose_name_plural = "抽中培训"
        ordering = ["draw", "rank"]
        constraints = [models.UniqueConstraint(fields=["draw", "plan"], name="selection_plan_once_per_draw")]

    def __str__(self) -> str:
        return f"{self.rank}. {self.plan_id}"


class InspectorAssignment(models.Model):
    """检查人员: drawn at random (assigned_by empty) or reassigned by someone, with the reason."""

    selection = models.ForeignKey(
        SpotCheckSelection, verbose_name="抽中项目", on_delete=models.PROTECT, related_name="assignments")
    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="巡查人员", on_delete=models.PROTECT, related_name="+")
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="指派人", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    reason = models.CharField("调整理由", max_length=200, blank=True)
    assigned_at = models.DateTimeField("指派时间", auto_now_add=True)
    ended_at = models.DateTimeField("撤换时间", null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="结束人", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+")
    end_reason = models.CharField("撤换理由", max_length=200, blank=True)

    class Meta:
        verbose_name = "检查人员指派"
        verbose_name_plural = "检查人员指派"
        ordering = ["selection", "pk"]

    def __str__(self) -> str:
        return f"{self.selection_id}: {self.inspector_id}"


class Outcome(models.TextChoices):
    COMPLIANT = "compliant", "合规"
    RECTIFY = "rectify", "责令整改"
    VIOLATION = "violation", "违规"


class ViolationKind(models.TextChoices):
    FRAUD = "fraud", "弄虚作假"
    IRREGULAR = "irregular", "违规办班"


class Inspection(models.Model):
    """检查记录: the checklist, findings and outcome of one selected training."""

    selection = models.OneToOneField(
        SpotCheckSelection, verbose_name="抽中项目", on_delete=models.PROTECT, related_name="inspection")
    checklist = models.JSONField("检查要点", default=dict)
    findings = models.TextField("检查发现")
    outcome = models.CharField("检查结论", max_length=20, choices=Outcome.choices)
    violation_kind = models.CharField("违规类型", max_length=20, choices=ViolationKind.choices, blank=True)
    rectify_deadline = models.DateField("整改期限", null=True, blank=True)
    affected = models.ManyToManyField("filings.RosterEntry", blank=True, related_name="+",
                                      verbose_name="涉及学员")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="记录人", on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField("记录时间", auto_now_add=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="确认人", null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    confirmed_at = models.DateTimeField("确认时间", null=True, blank=True)

    class Meta:
        verbose_name = "检查记录"
        verbose_name_plural = "检查记录"
        constraints = [
            models.CheckConstraint(condition=~models.Q(outcome="violation") | ~models.Q(violation_kind=""),
                                   name="inspection_violation_has_kind",
                                   violation_error_message="结论为违规时须选择违规类型。"),
            models.CheckConstraint(condition=~models.Q(outcome="rectify") | models.Q(rectify_deadline__isnull=False),
                                   name="inspection_rectify_has_deadline",
                                   violation_error_message="结论为责令整改时须填写整改期限。"),
        ]

    def __str__(self) -> str:
        return f"{self.selection_id}: {self.outcome}"


class InspectionEvidence(models.Model):
    """检查证据: photos, screenshots, sign-in sheets taken by the inspectors."""

    selection = models.ForeignKey(
        SpotCheckSelection, verbose_name="抽中项目", on_delete=models.PROTECT, related_name="evidence")
    checklist_item = models.CharField("对应检查要点", max_length=30, blank=True)
    file = models.FileField("文件", upload_to="spotchecks/%Y/%m/")
    original_name = models.CharField("原文件名", max_length=200)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="上传人", on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = "检查证据"
        verbose_name_plural = "检查证据"
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.original_name


class OrganiserViolation(models.Model):
    """违规记录: a confirmed violation marks the organiser and raises its risk in later draws."""

    organiser = models.ForeignKey("jurisdiction.Organisation", verbose_name="培训组织单位", on_delete=models.PROTECT,
                                  related_name="spot_check_violations")
    inspection = models.OneToOneField(
        Inspection, verbose_name="巡查记录", on_delete=models.PROTECT, related_name="violation_mark")
    kind = models.CharField("违规类型", max_length=20, choices=ViolationKind.choices)
    confirmed_at = models.DateTimeField("确认时间")

    class Meta:
        verbose_name = "违规记录"
        verbose_name_plural = "违规记录"
        ordering = ["-confirmed_at"]

    def __str__(self) -> str:
        return f"{self.organiser_id} {self.kind}"


class CertificationAdjustment(models.Model):
    """A reviewer's pending change to one trainee's hours before the plan is certified (调整学时草稿).

    Saved a few rows at a time (or from a spreadsheet), so a plan of any size is adjusted without
    posting a field per trainee; certification reads them and credits the adjusted hours.
    """

    plan = models.ForeignKey(
        "filings.TrainingPlan", verbose_name="培训计划", on_delete=models.CASCADE, related_name="certification_adjustments")
    roster_entry = models.OneToOneField("filings.RosterEntry", verbose_name="花名册记录", on_delete=models.CASCADE,
                                        related_name="certification_adjustment")
    hours = models.PositiveIntegerField("核定学时")
    reason = models.CharField("调整理由", max_length=200)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="设定人", on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    class Meta:
        verbose_name = "学时调整（待核定）"
        verbose_name_plural = "学时调整（待核定）"

    def __str__(self) -> str:
        return f"调整为 {self.hours} 学时：{self.reason}"


class CertificationRun(models.Model):
    """One background certification of a plan (核定任务): queued, running, then done or failed."""

    class Status(models.TextChoices):
        QUEUED = "queued", "排队中"
        RUNNING = "running", "正在核定"
        DONE = "done", "已完成"
        FAILED = "failed", "未完成"

    plan = models.ForeignKey(
        "filings.TrainingPlan", verbose_name="培训计划", on_delete=models.CASCADE, related_name="certification_runs")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="申请人", on_delete=models.PROTECT, related_name="+")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.QUEUED)
    total = models.PositiveIntegerField("人数", default=0)
    adjusted = models.PositiveIntegerField("调整人数", default=0)
    errors = models.JSONField("错误", default=list, blank=True)
    created_at = models.DateTimeField("提交时间", auto_now_add=True)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)
    seconds = models.FloatField("用时（秒）", null=True, blank=True)

    class Meta:
        verbose_name = "学时核定任务"
        verbose_name_plural = "学时核定任务"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["plan"], condition=models.Q(status__in=["queued", "running"]),
                                    name="one_open_certification_run_per_plan"),
        ]

    def __str__(self) -> str:
        return f"学时核定任务 {self.pk}（{self.get_status_display()}）"


class LateExceptionRequest(models.Model):
    """逾期备案特批申请: an organiser whose plan missed the lead time asks the authority for an exception.

    Waits in the authority's review queue as a viewflow task; granting goes through
    `filings.services.plan_grant_late_exception`.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "待审批"
        GRANTED = "granted", "已批准"
        REFUSED = "refused", "不予批准"

    plan = models.ForeignKey(
        "filings.TrainingPlan", verbose_name="培训计划", on_delete=models.PROTECT, related_name="late_exception_requests")
    reason = models.TextField("申请理由")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="申请人", on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField("申请时间", auto_now_add=True)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="决定人", null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    decided_at = models.DateTimeField("审批时间", null=True, blank=True)
    decision_reason = models.TextField("审批意见", blank=True)

    class Meta:
        verbose_name = "逾期备案特批申请"
        verbose_name_plural = "逾期备案特批申请"
        ordering = ["requested_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["plan"], condition=models.Q(status="pending"),
                                    name="one_pending_late_exception_request_per_plan"),
        ]

    def __str__(self) -> str:
        return f"逾期备案特批申请 {self.pk}（{self.get_status_display()}）"
