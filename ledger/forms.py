"""Forms of the credit applications and circumstance records: they parse input; the services validate it."""

from __future__ import annotations

from django import forms

from ledger.models import PersonFlag, Source
from ledger.services.applications import CircumstanceData, CreditData

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
SOURCES = [(code, label) for code, label in Source.choices if code != Source.TRAINING]
SUBJECTS = [("professional", "专业科目"), ("public", "公需科目")]


class StaffForm(forms.Form):
    """Employer HR and reviewers name the person by ID number (and name, to catch typing errors)."""

    id_number = forms.CharField(label="身份证号码", max_length=18)
    name = forms.CharField(label="姓名", max_length=40)


class CreditForm(forms.Form):
    source = forms.ChoiceField(label="学时来源", choices=SOURCES)
    subject = forms.ChoiceField(label="科目类别", choices=SUBJECTS)
    title = forms.CharField(label="项目名称（考试、课题、课程或培训名称）", max_length=200)
    certificate_date = forms.DateField(label="证书（合格、结题）日期", widget=DATE)
    hours = forms.IntegerField(label="证书学时", min_value=1, required=False)
    minutes = forms.IntegerField(label="或：证书时长（分钟，按45分钟折合1学时）", min_value=1, required=False)
    approval_reference = forms.CharField(label="批准（认可）文号", max_length=100, required=False)
    note = forms.CharField(label="说明", max_length=300, required=False)
    evidence = forms.FileField(label="证明材料（PDF、JPG、PNG）")

    def data_object(self) -> CreditData:
        d = self.cleaned_data
        return CreditData(source=d["source"], subject=d["subject"], title=d["title"],
                          certificate_date=d["certificate_date"], hours=d["hours"], minutes=d["minutes"],
                          approval_reference=d["approval_reference"], note=d["note"])


class CircumstanceForm(forms.Form):
    code = forms.ChoiceField(label="减免情形", choices=PersonFlag.Code.choices)
    effective_from = forms.DateField(label="起始日期（调入、任职、批准等日期）", widget=DATE)
    effective_to = forms.DateField(label="截止日期", widget=DATE, required=False)
    year = forms.IntegerField(label="年度（疫情防控、调入、单位方案备案的年度）", min_value=2000, max_value=2100,
                              required=False)
    post_start_year = forms.IntegerField(label="任现职年度（破格晋升）", min_value=1980, max_value=2100, required=False)
    conditions = forms.CharField(label="条件说明（博士后资助或项目、离岗创业批准文号及考核结果等）", max_length=300,
                                 required=False)
    note = forms.CharField(label="说明", max_length=300, required=False)
    evidence = forms.FileField(label="证明材料（PDF、JPG、PNG）")

    def data_object(self) -> CircumstanceData:
        d = self.cleaned_data
        return CircumstanceData(code=d["code"], effective_from=d["effective_from"], effective_to=d["effective_to"],
                                year=d["year"], post_start_year=d["post_start_year"], conditions=d["conditions"],
                                note=d["note"])


class BulkForm(forms.Form):
    file = forms.FileField(label="学时认定申报表（.xlsx）")
    evidence = forms.FileField(label="证明材料（按行序合并的 PDF）")


class ResubmitForm(forms.Form):
    evidence = forms.FileField(label="补正后的证明材料（可选）", required=False)
    note = forms.CharField(label="补正说明", max_length=300, required=False)
