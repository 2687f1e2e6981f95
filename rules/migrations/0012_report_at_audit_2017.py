"""2017 §三(五): "区直继续教育审验工作截止到 2017 年 5 月 31 日，各继续教育基地应在培训前上报培训计划，在办理审验工作
时提交培训总结" — no two-week period: a 2017-set report (the summary) is due when the audit closes, the
first 31 May on or after the training's end (`report_at_audit`)."""

from django.db import migrations


def forwards(apps, schema_editor):
    RuleSet = apps.get_model("rules", "RuleSet")
    rs = RuleSet.objects.get(code="nmg-2017")
    rs.params = {**rs.params, "report_at_audit": "05-31"}
    rs.save(update_fields=["params"])


def backwards(apps, schema_editor):
    RuleSet = apps.get_model("rules", "RuleSet")
    rs = RuleSet.objects.get(code="nmg-2017")
    rs.params = {k: v for k, v in rs.params.items() if k != "report_at_audit"}
    rs.save(update_fields=["params"])


class Migration(migrations.Migration):
    dependencies = [("rules", "0011_authority_settings")]
    operations = [migrations.RunPython(forwards, backwards)]
