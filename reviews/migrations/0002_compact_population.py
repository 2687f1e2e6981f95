"""A draw's frozen population as compressed canonical bytes instead of a jsonb list of 100,000 objects.

Existing draws are converted: their stored list, already in canonical order, is written out as its canonical
JSON (the bytes population_hash is the SHA-256 of) and compressed, so that verify_draw answers as before.
"""

import json
import zlib

from django.db import migrations, models


def _canonical_bytes(population) -> bytes:
    return json.dumps(population, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def compact(apps, schema_editor):
    draws = apps.get_model("reviews", "SpotCheckDraw").objects.using(schema_editor.connection.alias)
    for pk in list(draws.values_list("pk", flat=True)):  # one population in memory at a time
        population = draws.filter(pk=pk).values_list("population", flat=True).get()
        draws.filter(pk=pk).update(population_data=zlib.compress(_canonical_bytes(population), 6),
                                                   population_size=len(population))


def expand(apps, schema_editor):
    draws = apps.get_model("reviews", "SpotCheckDraw").objects.using(schema_editor.connection.alias)
    for pk in list(draws.values_list("pk", flat=True)):
        data = draws.filter(pk=pk).values_list("population_data", flat=True).get()
        draws.filter(pk=pk).update(population=json.loads(zlib.decompress(bytes(data))))


class Migration(migrations.Migration):

    dependencies = [
        ("reviews", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="spotcheckdraw",
            name="population_data",
            field=models.BinaryField(default=b"", verbose_name="抽取总体（规范 JSON，zlib 压缩）"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="spotcheckdraw",
            name="population_size",
            field=models.PositiveIntegerField(default=0, verbose_name="抽取总体数量"),
        ),
        migrations.AlterField(
            model_name="spotcheckdraw",
            name="population",
            field=models.JSONField(null=True, verbose_name="抽取总体（按编号排序）"),
        ),
        migrations.RunPython(compact, expand),
        migrations.RemoveField(
            model_name="spotcheckdraw",
            name="population",
        ),
    ]
