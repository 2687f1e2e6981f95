"""On PostgreSQL the audit table refuses UPDATE, and DELETE of rows younger than 183 days."""

from django.db import migrations

FUNCTION = """
CREATE OR REPLACE FUNCTION accounts_auditevent_guard() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        RAISE EXCEPTION 'audit events are append-only';
    END IF;
    IF OLD.at > now() - interval '183 days' THEN
        RAISE EXCEPTION 'audit events are kept at least six months';
    END IF;
    RETURN OLD;
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS accounts_auditevent_guard ON accounts_auditevent;
CREATE TRIGGER accounts_auditevent_guard BEFORE UPDATE OR DELETE ON accounts_auditevent
    FOR EACH ROW EXECUTE FUNCTION accounts_auditevent_guard();
"""
DROP = """
DROP TRIGGER IF EXISTS accounts_auditevent_guard ON accounts_auditevent;
DROP FUNCTION IF EXISTS accounts_auditevent_guard();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FUNCTION)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_audit_event")]
    operations = [migrations.RunPython(forwards, backwards)]
