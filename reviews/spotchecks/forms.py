"""Forms for spot checks. They validate input only; the services decide."""

from __future__ import annotations

import json

from django import forms

from filings.models import PlanState
from jurisdiction.models import Division
from reviews.models import Outcome, SpotCheckCampaign, ViolationKind
from reviews.spotchecks.inspections import RESULTS, checklist_for

COUNTED_STATES = [PlanState.APPROVED, PlanState.IN_TRAINING, PlanState.AWAITING_REPORT, PlanState.REPORTED,
                  PlanState.REPORT_RETURNED, PlanState.REPORT_ACCEPTED, PlanState.CERTIFIED]


class CampaignForm(forms.ModelForm):
    plan_states = forms.MultipleChoiceField(
        label="纳入的计划状态", widget=forms.CheckboxSelectMultiple,
        choices=[(s.value, s.label) for s in COUNTED_STATES],
        initial=["awaiting_report", "reported", "report_accepted", "certified"])
    strata_quota = forms.CharField(label="各层抽取数量（JSON，可空）", required=False,
                                   help_text='如 {"150400": 3, "150600": 2}；填写后按各层数量抽取，未列出的层不抽。')
    seed = forms.CharField(label="随机种子（可空）", required=False, max_length=200,
                           help_text="留空由系统生成。系统只保存其 SHA-256 承诺值，请密封保存种子，抽取时公开。")

    class Meta:
        model = SpotCheckCampaign
        fields = ["name", "division", "year", "subject", "mode", "plan_states", "sample_size", "sample_ratio",
                  "sample_min", "strata_by", "strata_quota", "risk_weighting", "random_share",
                  "clean_cooldown_days", "inspectors_per_training", "inspector_load_limit"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["division"].queryset = Division.objects.filter(
            path__startswith=user.organisation.division.path)

    def clean_strata_quota(self):
        raw = self.cleaned_data["strata_quota"].strip()
        if not raw:
            return {}
        try:
            value = json.loads(raw)
        except ValueError as error:
            raise forms.ValidationError(f"不是合法的 JSON：{error}") from error
        if not isinstance(value, dict) or not all(isinstance(v, int) and v >= 0 for v in value.values()):
            raise forms.ValidationError('请按 {"层": 数量} 的格式填写，数量为非负整数。')
        return {str(k): v for k, v in value.items()}


class SeedForm(forms.Form):
    seed = forms.CharField(label="随机种子", max_length=200)


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
