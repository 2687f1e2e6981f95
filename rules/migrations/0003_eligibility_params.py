"""Add the eligibility parameters (学时审验) to the region rule sets, under params["eligibility"].

Schema of params["eligibility"] (every number the engine in rules/engine.py uses):

- "model": how a window is judged.
    "annual_complete" (2022 on): every required year must meet params["annual"] (public and
        professional minimums);
    "attendance_total" (2017): every required year must be attended (at least
        "attendance_hours" per subject) and the window's hours must add up to "total_hours".
- "attendance_hours": {"public": n, "professional": n}, per-year minimum of the 2017 model.
- "windows": {kind: {level: {"years": n, "offset": k, "total_hours": h?}}}. The window is the
    `years` years ending `offset` years before the review year (offset 1 in 2017, whose audit
    closed on 31 May, before the review year's training). "total_hours" only in the 2017 model.
    A kind missing from a set (post appointment in 2017) is not covered by that set.
- "age": {"kinds": [...], "full": {"M": 55, "F": 50}, "partial": {"M": 50, "F": 45},
    "partial_rule": "one_complete_year" | "one_third_hours", "partial_fraction": [1, 3]}.
    full: nothing required; partial: one complete window year (2024 on) or the given fraction of
    the window's required hours in total (2017, 2022).
- "flags": {code: {"effect": ..., "needs_year": bool, "kinds": [...], "levels": [...]?}} — the
    reductions this set knows; a flag code absent here does not apply under the set. Effects:
    "reference_only" (hours are a reference factor, not a condition), "none_required",
    "drop_year" (the flag's year leaves the window), "years_after" (transfer: only years after the
    flag's year; none in that year), "years_from_post_start" (exceptional promotion).
    "levels" restricts a flag to those review levels (post-doctoral: senior only).
- "conversions": {"minutes_per_hour": 45, "whole_year_sources": [...] (meet the professional
    requirement of their year), "fixed_professional_hours": {source: hours} (2017 exam = 30),
    "professional_only_sources": [...] (sources that count as professional hours only)}.
"""

from django.db import migrations

KINDS = ["title_review", "post_appointment", "recognition"]
PROFESSIONAL_ONLY = [
    "industry_training", "seminar", "skills_training", "teacher_training",
    "qualification_exam", "research_project", "degree_course",
]
AGE_BASE = {"kinds": KINDS, "full": {"M": 55, "F": 50}, "partial": {"M": 50, "F": 45}, "partial_fraction": [1, 3]}


def window(years, offset=0, total=None):
    spec = {"years": years, "offset": offset}
    if total is not None:
        spec["total_hours"] = total
    return spec


WINDOWS_ANNUAL = {
    "title_review": {"senior": window(3), "intermediate": window(3), "junior": window(1)},
    "post_appointment": {"grade_10_up": window(3), "grade_11_down": window(1)},
    "recognition": {"college": window(1), "bachelor": window(1), "master": window(2), "doctor": window(0)},
}
WINDOWS_2017 = {
    "title_review": {"senior": window(3, 1, 170), "intermediate": window(3, 1, 170), "junior": window(2, 1, 130)},
    "recognition": {
        "college": window(2, 1, 130), "bachelor": window(1, 1, 90), "master": window(2, 1, 130),
        "doctor": window(0, 1, 0),
    },
}


def flag(effect, needs_year=False, levels=None):
    spec = {"effect": effect, "needs_year": needs_year, "kinds": KINDS}
    if levels:
        spec["levels"] = levels
    return spec


FLAGS_2022 = {
    "non_public": flag("reference_only"),
    "grassroots": flag("reference_only"),
    "epidemic_frontline": flag("none_required"),
    "transferred_from_organ": flag("years_after", needs_year=True),
}
FLAGS_2024 = {
    "non_public": flag("reference_only"),
    "grassroots": flag("reference_only"),
    "postdoc_retained": flag("none_required", levels=["senior"]),
    "epidemic_frontline": flag("drop_year", needs_year=True),
    "transferred_from_organ": flag("years_after", needs_year=True),
    "exceptional_promotion": flag("years_from_post_start"),
}
FLAGS_2026 = {**FLAGS_2024, "left_to_start_business": flag("reference_only")}

CONVERSIONS_2017 = {
    "minutes_per_hour": 45, "whole_year_sources": [],
    "fixed_professional_hours": {"qualification_exam": 30}, "professional_only_sources": PROFESSIONAL_ONLY,
}
CONVERSIONS = {
    "minutes_per_hour": 45, "whole_year_sources": ["qualification_exam", "research_project", "degree_course"],
    "fixed_professional_hours": {}, "professional_only_sources": PROFESSIONAL_ONLY,
}


def annual_set(flags, partial_rule):
    return {
        "model": "annual_complete",
        "windows": WINDOWS_ANNUAL,
        "age": {**AGE_BASE, "partial_rule": partial_rule},
        "flags": flags,
        "conversions": CONVERSIONS,
    }


ELIGIBILITY = {
    "nmg-2017": {
        "model": "attendance_total",
        "attendance_hours": {"public": 1, "professional": 1},
        "windows": WINDOWS_2017,
        "age": {**AGE_BASE, "partial_rule": "one_third_hours"},
        "flags": {},
        "conversions": CONVERSIONS_2017,
    },
    "nmg-2022": annual_set(FLAGS_2022, "one_third_hours"),
    "nmg-2024": annual_set(FLAGS_2024, "one_complete_year"),
    "nmg-2025": annual_set(FLAGS_2024, "one_complete_year"),
    "nmg-2026": annual_set(FLAGS_2026, "one_complete_year"),
}


def add(apps, schema_editor):
    RuleSet = apps.get_model("rules", "RuleSet")
    for code, eligibility in ELIGIBILITY.items():
        rs = RuleSet.objects.get(code=code)
        rs.params = {**rs.params, "eligibility": eligibility}
        rs.save(update_fields=["params"])


def remove(apps, schema_editor):
    RuleSet = apps.get_model("rules", "RuleSet")
    for rs in RuleSet.objects.filter(code__in=list(ELIGIBILITY)):
        rs.params = {k: v for k, v in rs.params.items() if k != "eligibility"}
        rs.save(update_fields=["params"])


class Migration(migrations.Migration):
    dependencies = [("rules", "0002_load_rulesets")]
    operations = [migrations.RunPython(add, remove)]
