"""The eligibility contract's second edition, and each rule set's notice as printed.

1. Citations: the title of each set's notice, its issuing body and date, and its document number
   only where the notice itself carries one (Xilingol's: 锡人社办字〔2024〕11号). The region's 2024
   and 2025 notices are not in the seeds: their readings come through Xilingol's and Songshan's
   forwarding notices, so those sets cite the notices they were read from.
2. Review kinds `annual_appraisal` (年度考核评优) and `commendation` (事业单位奖励), whose windows have
   the level key "*" (no level). Region sets: `"unregulated": true` (no notice in force sets an hours
   requirement). Ordos 2022 (new set `eeds-2022`, issued by 150600, base nmg-2022): annual appraisal,
   commendation and post appointment (any grade) require the previous year alone (offset 1, 1 year):
   "须完成上一年度继续教育公共课和专业课学习…当年年度考核不予评优，事业单位奖励不予定为嘉奖及以上奖励，
   不能参加当年岗位聘用" (Ordos 2022 §二).
3. Reductions by the review kinds their notices name: every age rule and flag `kinds: ["title_review"]`
   ("参加职称评审时"); Xilingol 2024 overrides: age rules for title review and post appointment
   ("参加职称评聘时", 2024 §六(一)), the post-doctoral rule for recognition at every level and not title
   review ("申请考核认定高级职称时", §六(三)), and the flag `unit_plan_filed` (effect
   "professional_met": that year's professional requirement is met, every review kind; §七(二)).
4. Source `title_exam` (职称外语、计算机考试): 30 professional hours under the 2017 set (§三(三));
   `uncounted_sources` under every later set (no later notice names it).
"""

import datetime as dt

from django.db import migrations

ALL_KINDS = ["title_review", "post_appointment", "recognition", "annual_appraisal", "commendation"]
RECOGNITION_LEVELS = ["college", "bachelor", "master", "doctor"]
UNREGULATED = {"*": {"years": 0, "offset": 0, "unregulated": True}}
PREVIOUS_YEAR = {"years": 1, "offset": 1, "unregulated": False}

CITATIONS = {
    "nmg-2017": {
        "notice": "内蒙古自治区2017年专业技术人员继续教育工作安排意见",
        "issuing_body": "内蒙古自治区人力资源和社会保障厅", "issued_on": dt.date(2017, 3, 15),
    },
    "nmg-2022": {
        "notice": "关于做好全区2022年专业技术人员继续教育工作的通知",
        "issuing_body": "内蒙古自治区人力资源和社会保障厅", "issued_on": dt.date(2021, 11, 24),
    },
    "nmg-2024": {
        # Not in the seeds; read from Xilingol's notice, which names it by this title.
        "notice": "内蒙古自治区人力资源和社会保障厅关于做好2024年全区专业技术人员继续教育工作的通知",
        "issuing_body": "内蒙古自治区人力资源和社会保障厅", "issued_on": None,
    },
    "nmg-2025": {
        # Not in the seeds; read from Songshan's notice, which forwards the year's rules.
        "notice": "关于做好2025年全区专业技术人员继续教育工作的通知",
        "issuing_body": "赤峰市松山区人力资源和社会保障局", "issued_on": dt.date(2025, 3, 3),
    },
    "nmg-2026": {
        "notice": "内蒙古自治区人力资源和社会保障厅关于做好2026年全区专业技术人员继续教育工作的通知",
        "issuing_body": "内蒙古自治区人力资源和社会保障厅", "issued_on": dt.date(2025, 12, 23),
    },
    "xlgl-2024": {
        "notice": "关于做好2024年全盟专业技术人员继续教育网络学习的通知", "document_number": "锡人社办字〔2024〕11号",
        "issuing_body": "锡林郭勒盟人力资源和社会保障局", "issued_on": dt.date(2024, 1, 12),
    },
    "ssq-2025": {
        "notice": "关于做好2025年全区专业技术人员继续教育工作的通知",
        "issuing_body": "赤峰市松山区人力资源和社会保障局", "issued_on": dt.date(2025, 3, 3),
    },
}

ORDOS = {
    "code": "eeds-2022", "name": "鄂尔多斯市2022年继续教育工作通知",
    # The seed begins after the notice's title: we cite it by issuer and date, and by what it forwards.
    "notice": "鄂尔多斯市人力资源和社会保障局转发《关于做好全区2022年专业技术人员继续教育工作的通知》的通知",
    "issuing_body": "鄂尔多斯市人力资源和社会保障局", "issued_on": dt.date(2022, 1, 17),
    "from": dt.date(2022, 1, 1), "to": dt.date(2022, 12, 31),
    "params": {"eligibility": {"windows": {
        "annual_appraisal": {"*": PREVIOUS_YEAR},
        "commendation": {"*": PREVIOUS_YEAR},
        "post_appointment": {"grade_10_up": PREVIOUS_YEAR, "grade_11_down": PREVIOUS_YEAR},
    }}},
}

XILINGOL_ELIGIBILITY = {
    "age": {"kinds": ["title_review", "post_appointment"]},
    "flags": {
        "postdoc_retained": {"kinds": ["recognition"], "levels": RECOGNITION_LEVELS},
        "unit_plan_filed": {"effect": "professional_met", "needs_year": True, "kinds": ALL_KINDS},
    },
}


def _second_edition(elig: dict) -> dict:
    elig = {**elig, "windows": {**elig["windows"], "annual_appraisal": UNREGULATED, "commendation": UNREGULATED}}
    elig["age"] = {**elig["age"], "kinds": ["title_review"]}
    elig["flags"] = {code: {**spec, "kinds": ["title_review"]} for code, spec in elig["flags"].items()}
    conversions = dict(elig["conversions"])
    conversions["professional_only_sources"] = [*conversions["professional_only_sources"], "title_exam"]
    if elig["model"] == "attendance_total":
        conversions["fixed_professional_hours"] = {**conversions["fixed_professional_hours"], "title_exam": 30}
        conversions["uncounted_sources"] = []
    else:
        conversions["uncounted_sources"] = ["title_exam"]
    elig["conversions"] = conversions
    return elig


def forwards(apps, schema_editor):
    RuleSet = apps.get_model("rules", "RuleSet")
    for code, citation in CITATIONS.items():
        RuleSet.objects.filter(code=code).update(**citation)
    for rs in RuleSet.objects.filter(base=None):
        if "eligibility" in rs.params:
            rs.params = {**rs.params, "eligibility": _second_edition(rs.params["eligibility"])}
            rs.save(update_fields=["params"])
    xlgl = RuleSet.objects.get(code="xlgl-2024")
    xlgl.params = {**xlgl.params, "eligibility": XILINGOL_ELIGIBILITY}
    xlgl.save(update_fields=["params"])
    RuleSet.objects.create(
        code=ORDOS["code"], name=ORDOS["name"], notice=ORDOS["notice"], issuing_body=ORDOS["issuing_body"],
        issued_on=ORDOS["issued_on"], issuer_id="150600", base=RuleSet.objects.get(code="nmg-2022"),
        effective_from=ORDOS["from"], effective_to=ORDOS["to"], params=ORDOS["params"],
    )


def backwards(apps, schema_editor):
    RuleSet = apps.get_model("rules", "RuleSet")
    RuleSet.objects.filter(code=ORDOS["code"]).delete()
    xlgl = RuleSet.objects.get(code="xlgl-2024")
    xlgl.params = {k: v for k, v in xlgl.params.items() if k != "eligibility"}
    xlgl.save(update_fields=["params"])
    for rs in RuleSet.objects.filter(base=None):
        elig = rs.params.get("eligibility")
        if not elig:
            continue
        for kind in ("annual_appraisal", "commendation"):
            elig["windows"].pop(kind, None)
        kinds = ["title_review", "post_appointment", "recognition"]
        elig["age"]["kinds"] = kinds
        for spec in elig["flags"].values():
            spec["kinds"] = kinds
        conversions = elig["conversions"]
        conversions["professional_only_sources"] = [s for s in conversions["professional_only_sources"]
                                                    if s != "title_exam"]
        conversions["fixed_professional_hours"].pop("title_exam", None)
        conversions.pop("uncounted_sources", None)
        rs.save(update_fields=["params"])


class Migration(migrations.Migration):
    dependencies = [("rules", "0006_notice_citation")]
    operations = [migrations.RunPython(forwards, backwards)]
