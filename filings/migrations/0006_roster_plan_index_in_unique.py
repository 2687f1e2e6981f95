"""The roster's own index on plan_id goes: the unique (plan_id, id_number) index serves every lookup by plan.

Only the index is dropped (Django's AlterField would also drop and re-add the foreign key, re-checking every
row of the table under lock)."""

import django.db.models.deletion
from django.db import migrations, models

INDEX = "filings_rosterentry_plan_id_523a607a"


class Migration(migrations.Migration):

    dependencies = [
        ("filings", "0005_chinese_verbose_names"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="rosterentry",
                    name="plan",
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE,
                                            related_name="roster", to="filings.trainingplan", verbose_name="培训计划"),
                ),
            ],
            database_operations=[
                migrations.RunSQL(f'DROP INDEX IF EXISTS "{INDEX}"',
                                  reverse_sql=f'CREATE INDEX "{INDEX}" ON "filings_rosterentry" ("plan_id")'),
            ],
        ),
    ]
