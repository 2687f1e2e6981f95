"""Who certifies hours (核定学时), by the trainee's employer's management level, as rule-set data.

params["certifying_party"] = {"by_level": {level: party}, "sources_override": {level: {"sources": [...],
"parties": [...]}}} with parties:
- "local_hrss": the HR bureau of the employer's division, or the nearest one above it;
- "employer": the employer's own HR (人事) department;
- "region_base": the region-level continuing-education base that organised the training.

2026 §一(二): "按照管理权限由属地人力资源社会保障部门、自治区本级各企事业单位人力资源（人事）部门或自治区级专业
技术人员继续教育基地核定学时"; §一(四): "自治区本级各企事业单位专业技术人员参加以上培训的，由自治区级继续教育基地或所在
单位负责核定学时". The 2025 set (read from Songshan's notice, which carries the same sentence) alike.
Songshan 2025 §(四): "松山区本级各企事业单位专业技术人员参加以上培训的，由所在单位负责核定学时".
2017 §四(二), 2022 §三(九), Xilingol 2024 §二: "由属地人力资源社会保障部门核定学时" for everyone.
"""

from django.db import migrations

LOCAL_ONLY = {"by_level": {"local": "local_hrss", "region_unit": "local_hrss", "region_base": "local_hrss"},
              "sources_override": {}}
SECTION_4_SOURCES = ["training", "staff_training", "industry_training", "seminar", "qualification_exam",
                     "skills_training", "teacher_training", "research_project", "degree_course"]
BY_AUTHORITY = {
    "by_level": {"local": "local_hrss", "region_unit": "employer", "region_base": "employer"},
    "sources_override": {"region_unit": {"sources": SECTION_4_SOURCES, "parties": ["region_base", "employer"]}},
}
# Songshan §(四) 1-6 ("以上培训"): staff, industry, seminar, exam, skills and teacher training; public-subject
# online training is organised by the local HR bureau (§(二)1) and stays with it.
SONGSHAN_SOURCES = ["staff_training", "industry_training", "seminar", "qualification_exam", "skills_training",
                    "teacher_training"]
SONGSHAN = {"by_level": {"local": "local_hrss"},
            "sources_override": {"local": {"sources": SONGSHAN_SOURCES, "parties": ["employer"],
                                           "employer_divisions": ["150404"]}}}  # 松山区本级 units only
RULES = {"nmg-2017": LOCAL_ONLY, "nmg-2022": LOCAL_ONLY, "nmg-2024": LOCAL_ONLY, "xlgl-2024": LOCAL_ONLY,
         "nmg-2025": BY_AUTHORITY, "nmg-2026": BY_AUTHORITY, "ssq-2025": SONGSHAN}


def forwards(apps, schema_editor):
    RuleSet = apps.get_model("rules", "RuleSet")
    for rs in RuleSet.objects.filter(code__in=RULES):
        rs.params = {**rs.params, "certifying_party": RULES[rs.code]}
        rs.save(update_fields=["params"])


def backwards(apps, schema_editor):
    RuleSet = apps.get_model("rules", "RuleSet")
    for rs in RuleSet.objects.filter(code__in=RULES):
        rs.params = {k: v for k, v in rs.params.items() if k != "certifying_party"}
        rs.save(update_fields=["params"])


class Migration(migrations.Migration):
    dependencies = [("rules", "0008_filing_readings")]
    operations = [migrations.RunPython(forwards, backwards)]
