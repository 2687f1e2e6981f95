"""The revision period of a returned plan or report is no notice's rule (issue 15 item 12): it moves from
rule-set data (`revision_days`, migration 0005) to each authority's setting (AuthoritySettings.revision_days,
default 7 as before)."""

from django.db import migrations, models

DEFAULT_REVISION_DAYS = 7


def forwards(apps, schema_editor):
    RuleSet = apps.get_model("rules", "RuleSet")
    for rs in RuleSet.objects.all():
        if "revision_days" in rs.params:
            rs.params = {k: v for k, v in rs.params.items() if k != "revision_days"}
            rs.save(update_fields=["params"])


def backwards(apps, schema_editor):
    RuleSet = apps.get_model("rules", "RuleSet")
    for rs in RuleSet.objects.filter(base__isnull=True):
        rs.params = {**rs.params, "revision_days": DEFAULT_REVISION_DAYS}
        rs.save(update_fields=["params"])


class Migration(migrations.Migration):

    dependencies = [
        ('rules', '0014_eligibility_batch_result'),
    ]

    operations = [
        migrations.AddField(
            model_name='authoritysettings',
            name='revision_days',
            field=models.PositiveSmallIntegerField(default=7, help_text='退回的培训计划或培训情况报告应在退回后几天内修改；本部门设置，非通知规定', verbose_name='退回后修改期限（天）'),
        ),
        migrations.RunPython(forwards, backwards),
    ]
