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

# The oldest transaction that may still write ledger rows: the oldest one still running in this database
# (transactions of other databases on the same server never write here, so they do not hold the feed
# back; a transaction that cannot be placed counts as ours), or, with none running, the next xid to come.
HORIZON_SQL = """(SELECT COALESCE(
    (SELECT min(x::text::bigint) FROM pg_snapshot_xip(pg_current_snapshot()) AS x
      WHERE xid(x) NOT IN (SELECT backend_xid FROM pg_stat_activity
                           WHERE backend_xid IS NOT NULL AND datname IS DISTINCT FROM current_database())),
    pg_snapshot_xmax(pg_current_snapshot())::text::bigint))"""
VISIBLE_SQL = (f"(api_ledgerfeedmark.xid < {HORIZON_SQL}"
               " OR api_ledgerfeedmark.xid = pg_current_xact_id_if_assigned()::text::bigint)")

FEED_SQL = f"""
SELECT api_ledgerfeedmark.xid, api_ledgerfeedmark.entry_id
FROM api_ledgerfeedmark
JOIN ledger_hourentry e ON e.id = api_ledgerfeedmark.entry_id
JOIN jurisdiction_organisation o ON o.id = e.authority_id
JOIN jurisdiction_division d ON d.code = o.division_id
WHERE {VISIBLE_SQL}
  AND (api_ledgerfeedmark.xid, api_ledgerfeedmark.entry_id) > (%s, %s)
  AND d.path LIKE %s
ORDER BY api_ledgerfeedmark.xid, api_ledgerfeedmark.entry_id
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



def visible_in_feed_order(entries):
    """Ledger entries the feed may already serve, in feed order (registered with ledger.transmission)."""
    if connection.vendor != "postgresql":
        return entries.order_by("pk")
    table = HourEntry._meta.db_table
    return entries.extra(tables=["api_ledgerfeedmark"], select={"feed_xid": "api_ledgerfeedmark.xid"},
                         where=[f'api_ledgerfeedmark.entry_id = "{table}"."id"', VISIBLE_SQL],
                         order_by=["feed_xid", "id"])
