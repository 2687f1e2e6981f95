"""Report attachments required per mode, and the revision period, as rule-set data.

- 2017: a summary with the trainee list (培训总结); sign-in sheets and photos for face-to-face work.
- 2022 (§四(二)) to 2026: training notice, summary, effect-evaluation table, and for face-to-face or
  mixed training the sign-in sheet and photos (online: screenshots are not separately listed). The
  2026 notice names only the notice and the roster but still asks for the summary (§三 "按时报送培训
  总结"); we keep the 2022 list so that spot checks have the sign-in sheets and photos to compare.
- Songshan 2025 (§(六)): summary, notice, the plan filing form, sign-in sheet, photos or screenshots,
  for every mode; no evaluation table.
- `revision_days`: the notices set no period for revising a returned plan or report; 7 days.
"""

from django.db import migrations

FACE = ["notice", "summary", "sign_in", "photos"]
RULES = {
    "nmg-2017": {"face_to_face": FACE, "online": ["notice", "summary"], "mixed": FACE},
    **{code: {"face_to_face": FACE + ["evaluation"], "online": ["notice", "summary", "evaluation"],
              "mixed": FACE + ["evaluation"]}
       for code in ("nmg-2022", "nmg-2024", "nmg-2025", "nmg-2026")},
    "ssq-2025": {mode: ["notice", "summary", "plan_form", "sign_in", "photos"]
                 for mode in ("face_to_face", "online", "mixed")},
}
REVISION_DAYS = 7


def forwards(apps, schema_editor):
    RuleSet = apps.get_model("rules", "RuleSet")
    for rs in RuleSet.objects.filter(code__in=RULES):
        rs.params = {**rs.params, "report_attachments": RULES[rs.code]}
        if rs.base_id is None:
            rs.params["revision_days"] = REVISION_DAYS
        rs.save(update_fields=["params"])


def backwards(apps, schema_editor):
    RuleSet = apps.get_model("rules", "RuleSet")
    for rs in RuleSet.objects.filter(code__in=RULES):
        rs.params = {k: v for k, v in rs.params.items() if k not in ("report_attachments", "revision_days")}
        rs.save(update_fields=["params"])


class Migration(migrations.Migration):
    dependencies = [("rules", "0004_auditcard")]
    operations = [migrations.RunPython(forwards, backwards)]
