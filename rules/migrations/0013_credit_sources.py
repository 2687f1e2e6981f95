"""Which credit applications (学时认定申请) each rule set accepts, and how each converts: params["credit_sources"].

Schema: {source: {"subjects": [...], "measure": ..., "condition": ...?, "basis": "…"}}.

- "subjects": the subjects a credit of this source may be recorded in;
- "measure": "certificate_hours" (hours as on the certificate, or minutes at the set's
  eligibility.conversions.minutes_per_hour, rounded down), "whole_year" (the credit carries no hours;
  the engine counts the year's professional requirement as met) or "fixed" (no hours either; the engine
  gives the set's fixed_professional_hours, 2017: 30);
- "condition": what the application must show beside the certificate: "prior_approval" (the supervising
  department approved the self-organised plan beforehand), "department_consent" (the industry
  department consented to a society's training), "high_skill_title" (a high-skill talent applying for a
  title).

A source missing from a set cannot be applied for with a certificate dated in that set's period.
Research projects and degree courses from 2022 on follow shared/contracts/eligibility.md, which decided
that reading where a notice is silent. Additive: nothing else in params changes.
"""

from django.db import migrations

BOTH = ["public", "professional"]
PRO = ["professional"]


def src(subjects, measure, basis, condition=None):
    spec = {"subjects": subjects, "measure": measure, "basis": basis}
    if condition:
        spec["condition"] = condition
    return spec


SOURCES_2017 = {
    "qualification_exam": src(PRO, "fixed", "2017年工作安排 三(三)：职业资格考试合格视同完成专业科目30学时"),
    "title_exam": src(PRO, "fixed", "2017年工作安排 三(三)：职称外语、计算机考试合格视同完成专业科目30学时"),
}
SOURCES_2022 = {
    "seminar": src(PRO, "certificate_hours", "2022年通知 三(六)：高研班、论坛、学术交流、进修考察依据证书折合"),
    "qualification_exam": src(PRO, "whole_year", "2022年通知 三(六)：职业资格考试合格视同完成取得证书年度专业科目学时"),
    "skills_training": src(PRO, "certificate_hours", "2022年通知 三(八)：高技能人才职业技能培训折合专业科目学时",
                           "high_skill_title"),
    "teacher_training": src(PRO, "certificate_hours", "2022年通知 三(五)：“三科”教师业务培训计入专业科目学时"),
    "research_project": src(PRO, "whole_year", "审验约定：主管部门课题结题当年视同完成专业科目学时"),
    "degree_course": src(PRO, "whole_year", "审验约定：学历（学位）教育当年通过一门课程视同完成专业科目学时"),
}
SOURCES_2024 = {
    "staff_training": src(BOTH, "certificate_hours", "事业单位工作人员岗前、在岗、转岗、专项培训计入公需和专业科目学时",
                          "prior_approval"),
    "industry_training": src(PRO, "certificate_hours", "行业主管部门或经其同意的学会、协会培训计入专业科目学时",
                             "department_consent"),
    **SOURCES_2022,
    "teacher_training": src(PRO, "certificate_hours", "中小学教师教育教学能力培训、“三科”教师培训计入专业科目学时"),
    "research_project": src(PRO, "whole_year", "2026年通知 一(四)8：课题结题当年视同完成专业科目学时要求"),
    "degree_course": src(PRO, "whole_year", "2026年通知 一(四)9：学历教育当年通过一门课程视同完成专业科目学时要求"),
}
XILINGOL_2024 = {
    "skills_training": src(PRO, "certificate_hours", "锡林郭勒盟2024年通知 六(八)：职业技能培训学时1:1折合专业科目学时",
                           "high_skill_title"),
}
CREDIT_SOURCES = {
    "nmg-2017": SOURCES_2017, "nmg-2022": SOURCES_2022, "nmg-2024": SOURCES_2024, "nmg-2025": SOURCES_2024,
    "nmg-2026": SOURCES_2024, "xlgl-2024": XILINGOL_2024,
}


def add(apps, schema_editor):
    RuleSet = apps.get_model("rules", "RuleSet")
    for code, sources in CREDIT_SOURCES.items():
        for rs in RuleSet.objects.filter(code=code):
            rs.params = {**rs.params, "credit_sources": sources}
            rs.save(update_fields=["params"])


def remove(apps, schema_editor):
    RuleSet = apps.get_model("rules", "RuleSet")
    for rs in RuleSet.objects.filter(code__in=list(CREDIT_SOURCES)):
        rs.params = {k: v for k, v in rs.params.items() if k != "credit_sources"}
        rs.save(update_fields=["params"])


class Migration(migrations.Migration):
    dependencies = [("rules", "0012_report_at_audit_2017")]
    operations = [migrations.RunPython(add, remove)]
