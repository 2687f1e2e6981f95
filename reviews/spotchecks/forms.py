"""Forms for spot checks. They validate input only; the services decide."""

from __future__ import annotations

from decimal import Decimal

from django import forms

from filings.models import PlanState
from jurisdiction.models import Division
from reviews.models import Outcome, SpotCheckCampaign, Strata, ViolationKind
from reviews.spotchecks.inspections import RESULTS, checklist_for

COUNTED_STATES = [PlanState.APPROVED, PlanState.IN_TRAINING, PlanState.AWAITING_REPORT, PlanState.REPORTED,
                  PlanState.REPORT_RETURNED, PlanState.REPORT_ACCEPTED, PlanState.CERTIFIED]


PERCENT = {"max_digits": 5, "decimal_places": 2, "min_value": Decimal("0"), "max_value": Decimal("100")}
QUOTA_PREFIX = "quota_"


class CampaignForm(forms.ModelForm):
    """新建抽查批次, for a clerk: percentages as percentages, the strata quotas as a table of leagues, and
    no seed (the system generates it and keeps it sealed until the draw)."""

    plan_states = forms.MultipleChoiceField(
        label="纳入的计划状态", widget=forms.CheckboxSelectMultiple,
        choices=[(s.value, s.label) for s in COUNTED_STATES],
        initial=["awaiting_report", "reported", "report_accepted", "certified"])
    sample_percent = forms.DecimalField(
        label="抽取比例（%）", required=False, **PERCENT,
        help_text="按培训总数的百分比抽取，如 10 表示 10%；与“抽取数量”二选一，也可都不填、只填下方各盟市数量。")
    random_percent = forms.DecimalField(
        label="其中完全随机抽取（%）", initial=Decimal("30"), **{**PERCENT, "decimal_places": 1},
        help_text="如 30 表示抽中的培训中 30% 完全随机抽取，其余按风险高低加权抽取。")

    class Meta:
        model = SpotCheckCampaign
        fields = ["name", "division", "year", "subject", "mode", "plan_states", "sample_size", "sample_min",
                  "strata_by", "risk_weighting", "clean_cooldown_days", "inspectors_per_training",
                  "inspector_load_limit"]
        help_texts = {
            "sample_size": "抽取的培训个数；按盟市填写各盟市数量时可不填。",
            "strata_by": "按盟市分层时，可在下表填写各盟市抽取数量。",
            "clean_cooldown_days": "上次检查合格的单位在此期间内不再抽取（风险升高的除外）。",
        }

    def __init__(self, *args, user, **kwargs):
        kwargs.setdefault("label_suffix", "：")
        super().__init__(*args, **kwargs)
        within = Division.objects.filter(path__startswith=user.organisation.division.path)
        self.fields["division"].queryset = within
        # An empty subject or mode means every one, not "not chosen yet".
        for name, everything in (("subject", "全部科目"), ("mode", "全部方式")):
            self.fields[name].choices = [("", everything), *self.fields[name].choices[1:]]
        self.leagues = list(within.filter(level=Division.Level.LEAGUE).order_by("code"))
        for league in self.leagues:
            self.fields[QUOTA_PREFIX + league.code] = forms.IntegerField(
                label=league.name, required=False, min_value=0,
                widget=forms.NumberInput(attrs={"class": "quota", "placeholder": "不抽"}))

    def main_fields(self):
        return [field for field in self if not field.name.startswith(QUOTA_PREFIX)]

    def quota_fields(self):
        return [self[QUOTA_PREFIX + league.code] for league in self.leagues]

    def clean(self):
        data = super().clean()
        quota = {league.code: data[QUOTA_PREFIX + league.code] for league in self.leagues
                 if data.get(QUOTA_PREFIX + league.code) is not None}
        if quota and data.get("strata_by") not in (Strata.NONE, Strata.LEAGUE):
            self.add_error("strata_by", "填写了各盟市抽取数量时，请选择“按盟市”分层。")
        division = data.get("division")
        outside = [league.name for league in self.leagues
                   if league.code in quota and division and not league.path.startswith(division.path)]
        if outside:
            self.add_error(None, f"{'、'.join(outside)}不在所选抽查范围内，请清空其数量或扩大抽查范围。")
        if quota:
            data["strata_by"] = Strata.LEAGUE
        data["strata_quota"] = quota
        data["sample_ratio"] = _fraction(data.get("sample_percent"), places=4)
        data["random_share"] = _fraction(data.get("random_percent"), places=3)
        return data


def _fraction(percent: Decimal | None, *, places: int) -> Decimal | None:
    """30 (%) -> Decimal("0.300"): the model keeps fractions, as the published algorithm takes them."""
    return None if percent is None else (percent / 100).quantize(Decimal(1).scaleb(-places))


class SeedForm(forms.Form):
    """The draw: no seed when the system keeps it sealed; the creator's seed for a campaign made before."""

    seed = forms.CharField(label="随机种子", max_length=200, required=False, strip=True)


class ReasonForm(forms.Form):
    reason = forms.CharField(label="理由", widget=forms.Textarea(attrs={"rows": 3}))


class ReassignForm(forms.Form):
    inspector = forms.IntegerField(label="新检查人员")
    reason = forms.CharField(label="理由", max_length=200)


class EvidenceForm(forms.Form):
    file = forms.FileField(label="证据文件")
    checklist_item = forms.CharField(label="对应检查要点", required=False)


class InspectionForm(forms.Form):
    findings = forms.CharField(label="检查发现", widget=forms.Textarea(attrs={"rows": 4}))
    outcome = forms.ChoiceField(label="检查结论", choices=Outcome.choices)
    violation_kind = forms.ChoiceField(label="违规类型", required=False,
                                       choices=[("", "—")] + list(ViolationKind.choices))
    rectify_deadline = forms.DateField(label="整改期限", required=False)
    affected = forms.ModelMultipleChoiceField(label="涉及学员（违规时，不选即全部）", required=False, queryset=None)

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = checklist_for(plan.mode)
        for code, label in self.items:
            self.fields[f"item_{code}"] = forms.ChoiceField(label=label, choices=list(RESULTS.items()))
            self.fields[f"note_{code}"] = forms.CharField(label="说明", required=False, max_length=500)
        self.fields["affected"].queryset = plan.roster.all()
        self.fields["affected"].label_from_instance = lambda r: f"{r.seq}. {r.name}"

    def checklist(self) -> dict:
        return {code: {"result": self.cleaned_data[f"item_{code}"], "note": self.cleaned_data[f"note_{code}"]}
                for code, _ in self.items}

    def affected_ids(self):
        chosen = self.cleaned_data["affected"]
        return [r.pk for r in chosen] if chosen else None
