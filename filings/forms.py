from django import forms

from filings.models import Teacher, TrainingPlan

LOCAL_DT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class PlanForm(forms.ModelForm):
    class Meta:
        model = TrainingPlan
        fields = [
            "title", "subject", "mode", "starts_at", "ends_at", "place", "content", "trainee_scope",
            "planned_headcount", "hours", "fee", "contact_person", "contact_phone", "credit_year",
            "platform", "training_kind", "approval_reference", "approval_date",
        ]
        widgets = {"starts_at": LOCAL_DT, "ends_at": LOCAL_DT, "content": forms.Textarea(attrs={"rows": 4}),
                   "approval_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["credit_year"].required = False
        for name in ("starts_at", "ends_at"):
            self.fields[name].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]

    def _post_clean(self):
        # The form only parses input; the plan services validate it as a whole (all errors
        # at once, keyed by field) and save it. The form never writes the instance.
        pass


TeacherFormSet = forms.inlineformset_factory(
    TrainingPlan, Teacher, fields=["name", "title", "employer"], extra=3, can_delete=False
)


class ReasonForm(forms.Form):
    reason = forms.CharField(label="意见", widget=forms.Textarea(attrs={"rows": 3}), required=False)
