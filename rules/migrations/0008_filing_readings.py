"""Filing and reporting readings corrected against the notices (issue 15, "carried wrongly").

- `decide_before_start` (every region set): a plan is decided before its training starts.
  2026 §一(六)1: "须在开展培训前两周将…备案表…上传至内蒙古人才信息库，经审核后组织开展培训";
  2017 §二(七)2: "将培训计划于培训开始前报自治区人力资源社会保障厅批准". The 2022 notice (and the
  2024/2025 sets read after it) files the plan before training for review; we read it alike.
- `report_attachments`, exactly each notice's list (the roster is uploaded on its own):
  2026 §一(六)1: "于培训结束后两周内将培训通知、《…培训花名册》…上传" under "按时报送培训总结": notice and
  summary. 2022 §四(二)2: "培训总结、培训通知、培训花名册、培训效果评估表、学员签到表、面授图片资料或网络培训截图
  （和培训花名册顺序一致）" for every mode, online included; the region's 2024 and 2025 sets, whose notices
  are not in the seeds, keep that list. 2017 §三(五): "在办理审验工作时提交培训总结，培训总结主要包括培训
  情况、学员名单、师资情况": the summary alone. Songshan 2025 unchanged.
- `makeup_years`: None (no limit) in the region sets: 2026 §一(二) "有条件的盟市和单位、继续教育基地可组织补学
  往年继续教育课程" sets none; Xilingol 2024 keeps 3 ("未完成2021-2023年继续教育培训的…可…补学").
- 2017 lead time: `plan_lead_days` 0 ("于培训开始前报…批准": before the start, no two weeks). The 2017
  summary "在办理审验工作时提交" is due at the audit: see 0012.
- Songshan 2025: "逾期不予受理" belongs to the plan-and-roster filing due 15 March, not to the
  two-week report: `refuse_late_reports` False, and the 15 March deadline carries `refuse_late`.
"""

from django.db import migrations

REPORT_2022 = ["summary", "notice", "evaluation", "sign_in", "photos"]
MODES = ("face_to_face", "online", "mixed")
ATTACHMENTS = {
    "nmg-2017": ["summary"],
    "nmg-2022": REPORT_2022,
    "nmg-2024": REPORT_2022,
    "nmg-2025": REPORT_2022,
    "nmg-2026": ["notice", "summary"],
}
SONGSHAN_DEADLINE = {
    "code": "industry_plan_and_roster", "month_day": "03-15", "who": "department", "refuse_late": True,
    "subject": "professional", "label": "行业主管部门报备培训花名册和专业科目培训计划（逾期不予受理）",
}


def forwards(apps, schema_editor):
    RuleSet = apps.get_model("rules", "RuleSet")
    for rs in RuleSet.objects.filter(code__in=ATTACHMENTS):
        rs.params = {**rs.params, "decide_before_start": True, "makeup_years": None,
                     "report_attachments": {mode: list(ATTACHMENTS[rs.code]) for mode in MODES}}
        if rs.code == "nmg-2017":
            rs.params.update(plan_lead_days=0)
        rs.save(update_fields=["params"])
    songshan = RuleSet.objects.get(code="ssq-2025")
    songshan.params = {**songshan.params, "refuse_late_reports": False, "annual_deadlines": [SONGSHAN_DEADLINE]}
    songshan.save(update_fields=["params"])


def backwards(apps, schema_editor):
    RuleSet = apps.get_model("rules", "RuleSet")
    face = ["notice", "summary", "sign_in", "photos"]
    old = {"nmg-2017": {"face_to_face": face, "online": ["notice", "summary"], "mixed": face}}
    for code in ("nmg-2022", "nmg-2024", "nmg-2025", "nmg-2026"):
        old[code] = {"face_to_face": face + ["evaluation"], "online": ["notice", "summary", "evaluation"],
                     "mixed": face + ["evaluation"]}
    for rs in RuleSet.objects.filter(code__in=old):
        rs.params = {k: v for k, v in rs.params.items() if k != "decide_before_start"}
        rs.params.update(makeup_years=3, report_attachments=old[rs.code])
        if rs.code == "nmg-2017":
            rs.params.update(plan_lead_days=14)
        rs.save(update_fields=["params"])
    songshan = RuleSet.objects.get(code="ssq-2025")
    deadline = {k: v for k, v in SONGSHAN_DEADLINE.items() if k not in ("refuse_late", "subject")}
    deadline["label"] = "行业主管部门报备培训花名册和专业科目培训计划"
    songshan.params = {**songshan.params, "refuse_late_reports": True, "annual_deadlines": [deadline]}
    songshan.save(update_fields=["params"])


class Migration(migrations.Migration):
    dependencies = [("rules", "0007_eligibility_second_edition")]
    operations = [migrations.RunPython(forwards, backwards)]
