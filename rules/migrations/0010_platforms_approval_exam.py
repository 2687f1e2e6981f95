"""Recognised platforms, the supervising department's say on a plan, and exams before public hours.

- `platforms` {subject: [{"host", "name"}]}: an online plan of that subject names one of them; a
  subject absent from the dict is not restricted.
  2026 §一(四)1: the seven platforms ("…以下网络培训平台参加培训的学时均可计入"), for both subjects.
  Xilingol 2024 §四: public subjects on nmg.chinahrt.com or zj.nmgrcpx.com; professional subjects on
  xlgl.chinahrt.cn or nmg.chinahrt.com. Songshan 2025 §(二)1 (Chifeng's): public subjects on
  nmgcf.chinahrt.com ("公需科目实行网络培训…登录赤峰市专业技术人员继续教育培训网"); professional subjects "也可以
  选择使用" it, so they are not restricted.
- `prior_approval` {training_kind: {"label", "before_start"}}: 2026 §一(四)2 and Songshan §(四)1
  "事业单位自行组织的相应培训需经主管部门审核同意后开展" (before the start); 2026 §一(四)3 and Songshan §(四)2
  "行业学会、行业协会组织的并经行业主管部门同意（认可）的" (consent, no date rule). Checked before
  certification. The 2017, 2022 and 2024 notices do not say it.
- `public_exam_required`: Xilingol 2024 §三(一) "公需科目实行网络培训，考试合格后取得相应学时"; Songshan 2025
  §(二)1 "考试合格后方可取得相应学时和成绩": a public-subject roster row carries the exam result, and
  only a passed row is credited.
"""

from django.db import migrations

PLATFORMS_2026 = [
    {"host": "rst.nmgdj.gov.cn", "name": "事业单位工作人员学习平台·人社优培"},
    {"host": "nmg.chinahrt.com", "name": "内蒙古自治区专业技术人员继续教育在线学习网"},
    {"host": "zj.nmgrcpx.com", "name": "内蒙古人才培训网"},
    {"host": "nmg.chinahrt.cn", "name": "内蒙古人事人才服务网"},
    {"host": "nmg.wldsj.cn", "name": "内蒙古专业技术人员继续教育培训平台"},
    {"host": "xmex.nmgmsz.com", "name": "兴蒙E学专业技术人员继续教育网"},
    {"host": "nmg.zgrsw.cn", "name": "内蒙古专业技术人员继续教育平台"},
]
XLGL_PUBLIC = [
    {"host": "nmg.chinahrt.com", "name": "内蒙古专业技术人员继续教育在线学习"},
    {"host": "zj.nmgrcpx.com", "name": "内蒙古人才培训网"},
]
XLGL_PROFESSIONAL = [
    {"host": "xlgl.chinahrt.cn", "name": "锡林郭勒盟专业技术人员专业课网络培训平台"},
    {"host": "nmg.chinahrt.com", "name": "内蒙古专业技术人员继续教育在线学习"},
]
CHIFENG = [{"host": "nmgcf.chinahrt.com", "name": "赤峰市专业技术人员继续教育培训网"}]
PRIOR_APPROVAL = {
    "staff_self_organised": {"label": "主管部门审核同意", "before_start": True},
    "association": {"label": "行业主管部门同意（认可）", "before_start": False},
}
PARAMS = {
    "nmg-2026": {"platforms": {"public": PLATFORMS_2026, "professional": PLATFORMS_2026},
                 "prior_approval": PRIOR_APPROVAL},
    "nmg-2025": {"prior_approval": PRIOR_APPROVAL},
    "xlgl-2024": {"platforms": {"public": XLGL_PUBLIC, "professional": XLGL_PROFESSIONAL},
                  "public_exam_required": True},
    "ssq-2025": {"platforms": {"public": CHIFENG}, "public_exam_required": True},
}


def forwards(apps, schema_editor):
    RuleSet = apps.get_model("rules", "RuleSet")
    for rs in RuleSet.objects.filter(code__in=PARAMS):
        rs.params = {**rs.params, **PARAMS[rs.code]}
        rs.save(update_fields=["params"])


def backwards(apps, schema_editor):
    RuleSet = apps.get_model("rules", "RuleSet")
    for rs in RuleSet.objects.filter(code__in=PARAMS):
        rs.params = {k: v for k, v in rs.params.items() if k not in PARAMS[rs.code]}
        rs.save(update_fields=["params"])


class Migration(migrations.Migration):
    dependencies = [("rules", "0009_certifying_party")]
    operations = [migrations.RunPython(forwards, backwards)]
