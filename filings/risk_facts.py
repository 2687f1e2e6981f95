"""Keeping PlanRiskFacts: recomputed from the source rows for the plans a transition touched, in one statement.

Called by the services that change a fact (plan_grant_late_exception, report_submit, roster_replace), by
seed_scale after its bulk load, and by the migration that created the table. `plan_risk_facts_refresh()` with no
plans recomputes every plan (the same statement), e.g. after data was loaded around the services.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection

# One upsert, valid on PostgreSQL and SQLite: the facts of each listed plan from its exception, report and roster.
_REFRESH = """
INSERT INTO filings_planriskfacts (plan_id, has_late_exception, report_late, roster_count, anomaly_count,
                                   max_roster_hours)
SELECT p.id,
       EXISTS (SELECT 1 FROM filings_latefilingexception e WHERE e.plan_id = p.id),
       EXISTS (SELECT 1 FROM filings_trainingreport t WHERE t.plan_id = p.id AND t.late_days > 0),
       COALESCE(r.n, 0), COALESCE(r.anomalies, 0), COALESCE(r.max_hours, 0)
FROM filings_trainingplan p
LEFT JOIN (SELECT plan_id, COUNT(*) AS n, SUM(CASE WHEN anomaly <> '' THEN 1 ELSE 0 END) AS anomalies,
                  MAX(hours) AS max_hours
           FROM filings_rosterentry {roster_where} GROUP BY plan_id) r ON r.plan_id = p.id
{plan_where}
ON CONFLICT (plan_id) DO UPDATE SET has_late_exception = excluded.has_late_exception,
    report_late = excluded.report_late, roster_count = excluded.roster_count,
    anomaly_count = excluded.anomaly_count, max_roster_hours = excluded.max_roster_hours
"""


def plan_risk_facts_refresh(*, plan_ids: Iterable[int] | None = None, db=None) -> None:
    """Recompute the facts of these plans (all plans when None) from the exception, report and roster rows.
    `db`: another connection (a migration's schema editor's), else Django's default one."""
    db = db or connection
    if plan_ids is None:
        sql, params = _REFRESH.format(roster_where="", plan_where="WHERE true"), []
    else:
        ids = sorted(set(plan_ids))
        if not ids:
            return
        marks = ", ".join(["%s"] * len(ids))
        sql = _REFRESH.format(roster_where=f"WHERE plan_id IN ({marks})", plan_where=f"WHERE p.id IN ({marks})")
        params = ids + ids
    with db.cursor() as cursor:
        cursor.execute(sql, params)
