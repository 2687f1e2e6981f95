"""Load the rule sets of the notices in ../shared/seeds (filing and reporting parameters).

Eligibility parameters (windows, reductions, conversions) are added by a later migration.
"""

import datetime as dt

from django.db import migrations

ANNUAL = {"public": 30, "professional": 60, "total": 90}
FILING = {
    "minutes_per_hour": 45,
    "plan_lead_days": 14,        # 培训前两周上报培训计划
    "report_days": 14,           # 培训结束后两周内提交培训情况报告
    "refuse_late_reports": False,
    "makeup_years": 3,           # 补学: how many earlier years a make-up training may serve
    "annual_deadlines": [],
}

REGION_SETS = [
    {
        "code": "nmg-2017", "name": "自治区2017年继续教育工作安排",
        "notice": "内蒙古自治区2017年专业技术人员继续教育工作安排（2017-03-15）",
        "from": dt.date(2017, 1, 1), "to": dt.date(2021, 12, 31),
        "params": {**FILING, "annual": ANNUAL, "training_year": {"start": "01-01", "end": "12-31"}},
    },
    {
        "code": "nmg-2022", "name": "自治区2022年继续教育工作通知",
        "notice": "关于做好2022年全区专业技术人员继续教育工作的通知（鄂尔多斯市转发，2022-01-17）",
        "from": dt.date(2022, 1, 1), "to": dt.date(2023, 12, 31),
        "params": {**FILING, "annual": ANNUAL, "training_year": {"start": "01-01", "end": "12-31"}},
    },
    {
        "code": "nmg-2024", "name": "自治区2024年继续教育工作规则",
        "notice": "2024年全区专业技术人员继续教育工作（锡林郭勒盟转发，2024-01-12）",
        "from": dt.date(2024, 1, 1), "to": dt.date(2024, 12, 31),
        "params": {**FILING, "annual": ANNUAL, "training_year": {"start": "01-01", "end": "12-31"}},
    },
    {
        "code": "nmg-2025", "name": "自治区2025年继续教育工作规则",
        "notice": "2025年全区专业技术人员继续教育工作（松山区转发，2025-03-03）",
        "from": dt.date(2025, 1, 1), "to": dt.date(2025, 12, 31),
        "params": {**FILING, "annual": ANNUAL, "training_year": {"start": "01-01", "end": "12-31"}},
    },
    {
        "code": "nmg-2026", "name": "自治区2026年继续教育工作通知",
        "notice": "关于做好2026年全区专业技术人员继续教育工作的通知（2025-12-23）",
        "from": dt.date(2026, 1, 1), "to": None,
        "params": {
            **FILING, "annual": ANNUAL, "training_year": {"start": "01-01", "end": "12-31"},
            "annual_deadlines": [
                {"code": "knowledge_update_plan", "month_day": "01-31",
                 "label": "报送知识更新工程培养培训计划表（附件3）", "who": "league_and_department"},
            ],
        },
    },
]

VARIANTS = [
    {
        "code": "xlgl-2024", "name": "锡林郭勒盟2024年继续教育工作通知", "issuer": "152500", "base": "nmg-2024",
        "notice": "锡林郭勒盟2024年专业技术人员继续教育工作通知（2024-01-12）",
        "from": dt.date(2024, 1, 1), "to": dt.date(2024, 12, 31),
        "params": {
            "training_year": {"start": "01-15", "end": "12-31"},
            "makeup_years": 3,
            "fees": {"public_per_30_hours_yuan": "75.00", "professional_online_per_hour_yuan": "2.50"},
            "annual_deadlines": [
                {"code": "self_organised_plan", "month_day": "01-31",
                 "label": "自行组织专业科目培训方案报备", "who": "department"},
            ],
        },
    },
    {
        "code": "ssq-2025", "name": "松山区2025年继续教育工作通知", "issuer": "150404", "base": "nmg-2025",
        "notice": "松山区2025年专业技术人员继续教育工作通知（2025-03-03）",
        "from": dt.date(2025, 1, 1), "to": dt.date(2025, 12, 31),
        "params": {
            "refuse_late_reports": True,  # 逾期不予受理
            "annual_deadlines": [
                {"code": "industry_plan_and_roster", "month_day": "03-15",
                 "label": "行业主管部门报备培训花名册和专业科目培训计划", "who": "department"},
            ],
        },
    },
]


def load(apps, schema_editor):
    RuleSet = apps.get_model("rules", "RuleSet")
    by_code = {}
    for spec in REGION_SETS:
        by_code[spec["code"]] = RuleSet.objects.create(
            code=spec["code"], name=spec["name"], notice=spec["notice"], issuer_id="150000",
            effective_from=spec["from"], effective_to=spec["to"], params=spec["params"],
        )
    for spec in VARIANTS:
        RuleSet.objects.create(
            code=spec["code"], name=spec["name"], notice=spec["notice"], issuer_id=spec["issuer"],
            base=by_code[spec["base"]], effective_from=spec["from"], effective_to=spec["to"], params=spec["params"],
        )


def unload(apps, schema_editor):
    RuleSet = apps.get_model("rules", "RuleSet")
    RuleSet.objects.exclude(base=None).delete()
    RuleSet.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("rules", "0001_initial"), ("jurisdiction", "0002_load_divisions")]
    operations = [migrations.RunPython(load, unload)]
