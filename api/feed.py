"""The hour-ledger change feed: every entry exactly once, in the order entries became visible.

PostgreSQL: a statement trigger records, for each new ledger row, the id of the transaction that wrote
it (LedgerFeedMark.xid = pg_current_xact_id()). A read serves only rows whose transaction is older than
the oldest transaction still running (the snapshot's xmin): all of those have finished, and every
transaction that commits later has a larger xid. Ordered by (xid, entry id), a row that becomes visible
later therefore always sorts after any cursor already handed out, even when its id is smaller.
SQLite writes one transaction at a time, so there the entry id alone is the order (xid 0).
"""

from __future__ import annotations

from django.db import connection

from api.endpoints.common import decode_cursor, encode_cursor
from jurisdiction.models import Division
from ledger.models import HourEntry

START = {"x": 0, "i": 0}

FEED_SQL = """
SELECT m.xid, m.entry_id
FROM api_ledgerfeedmark m
JOIN ledger_hourentry e ON e.id = m.entry_id
JOIN jurisdiction_organisation o ON o.id = e.authority_id
JOIN jurisdiction_division d ON d.code = o.division_id
WHERE (m.xid < pg_snapshot_xmin(pg_current_snapshot())::text::bigint
       OR m.xid = pg_current_xact_id_if_assigned()::text::bigint)
  AND (m.xid, m.entry_id) > (%s, %s)
  AND d.path LIKE %s
ORDER BY m.xid, m.entry_id
LIMIT %s
"""


def _positions(cursor: dict, division: Division, limit: int) -> list[tuple[int, int]]:
    if connection.vendor == "postgresql":
        with connection.cursor() as db:
            db.execute(FEED_SQL, [cursor["x"], cursor["i"], division.path.replace("%", "") + "%", limit])
            return [(int(x), int(i)) for x, i in db.fetchall()]
    ids = (HourEntry.objects.filter(pk__gt=cursor["i"], authority__division__path__startswith=division.path)
           .order_by("pk").values_list("pk", flat=True)[:limit])
    return [(0, pk) for pk in ids]


def entries_query():
    return HourEntry.objects.select_related("person", "plan", "authority")


def feed_read(*, division: Division, after: str | None, limit: int) -> tuple[list[HourEntry], str]:
    """The entries after the cursor (at most `limit`) and the cursor to continue from."""
    position = decode_cursor(after, ("x", "i")) if after else dict(START)
    found = _positions(position, division, limit)
    if not found:
        return [], after or encode_cursor(START)
    by_id = entries_query().in_bulk([i for _x, i in found])
    last_x, last_i = found[-1]
    return [by_id[i] for _x, i in found], encode_cursor({"x": last_x, "i": last_i})

