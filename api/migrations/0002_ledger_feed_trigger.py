"""PostgreSQL: record the writing transaction of every new ledger row (see api/feed.py)."""

from django.db import migrations

TRIGGER_SQL = """
CREATE OR REPLACE FUNCTION api_ledger_feed_mark() RETURNS trigger AS $$
BEGIN
    INSERT INTO api_ledgerfeedmark (entry_id, xid)
    SELECT id, pg_current_xact_id()::text::bigint FROM new_rows;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS api_ledger_feed_mark ON ledger_hourentry;
CREATE TRIGGER api_ledger_feed_mark AFTER INSERT ON ledger_hourentry
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION api_ledger_feed_mark();
INSERT INTO api_ledgerfeedmark (entry_id, xid) SELECT id, 0 FROM ledger_hourentry ON CONFLICT DO NOTHING;
"""
DROP_TRIGGER_SQL = """
DROP TRIGGER IF EXISTS api_ledger_feed_mark ON ledger_hourentry;
DROP FUNCTION IF EXISTS api_ledger_feed_mark();
"""



def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(TRIGGER_SQL)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_TRIGGER_SQL)


class Migration(migrations.Migration):
    dependencies = [("api", "0001_initial"), ("ledger", "0004_sources_title_exam_and_unit_plan_flag")]
    operations = [migrations.RunPython(forwards, backwards)]
