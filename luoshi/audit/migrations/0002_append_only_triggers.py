"""The database itself refuses to change audit rows, and to delete those younger than the retention period
(180 days, Cybersecurity Law art. 21), so not even a bug or a raw SQL shell in Luoshi's own account can rewrite
the trail. Clearing a deleted person or zone to NULL stays allowed (the text columns keep who and where).

SQLite gets the update guard only: Django's test flush on SQLite empties tables with DELETE (PostgreSQL uses
TRUNCATE, which these row triggers do not fire on), and production runs on PostgreSQL."""

from django.db import migrations

RETENTION_DAYS = 180
GUARDED = "time, username, zone_code, address, event, object_type, object_id, object_repr, outcome, detail"

POSTGRES_UP = f"""
CREATE FUNCTION audit_append_only() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    IF OLD.time > now() - interval '{RETENTION_DAYS} days' THEN
      RAISE EXCEPTION 'audit trail is append-only: rows younger than {RETENTION_DAYS} days cannot be deleted';
    END IF;
    RETURN OLD;
  END IF;
  IF ROW(NEW.time, NEW.username, NEW.zone_code, NEW.address, NEW.event, NEW.object_type, NEW.object_id,
         NEW.object_repr, NEW.outcome, NEW.detail::text)
     IS DISTINCT FROM ROW(OLD.time, OLD.username, OLD.zone_code, OLD.address, OLD.event, OLD.object_type,
         OLD.object_id, OLD.object_repr, OLD.outcome, OLD.detail::text)
     OR (NEW.user_id IS NOT NULL AND NEW.user_id IS DISTINCT FROM OLD.user_id)
     OR (NEW.zone_id IS NOT NULL AND NEW.zone_id IS DISTINCT FROM OLD.zone_id) THEN
    RAISE EXCEPTION 'audit trail is append-only: rows cannot be changed';
  END IF;
  RETURN NEW;
END $$ LANGUAGE plpgsql;
CREATE TRIGGER audit_append_only BEFORE UPDATE OR DELETE ON audit_auditevent
  FOR EACH ROW EXECUTE FUNCTION audit_append_only();
"""
POSTGRES_DOWN = """
DROP TRIGGER IF EXISTS audit_append_only ON audit_auditevent;
DROP FUNCTION IF EXISTS audit_append_only();
"""
SQLITE_UP = [
    f"""CREATE TRIGGER audit_no_update BEFORE UPDATE OF {GUARDED} ON audit_auditevent
    BEGIN SELECT RAISE(ABORT, 'audit trail is append-only: rows cannot be changed'); END""",
    """CREATE TRIGGER audit_no_relink BEFORE UPDATE OF user_id, zone_id ON audit_auditevent
    WHEN (NEW.user_id IS NOT NULL AND NEW.user_id IS NOT OLD.user_id)
      OR (NEW.zone_id IS NOT NULL AND NEW.zone_id IS NOT OLD.zone_id)
    BEGIN SELECT RAISE(ABORT, 'audit trail is append-only: rows cannot be changed'); END""",
]
SQLITE_DOWN = ["DROP TRIGGER IF EXISTS audit_no_update", "DROP TRIGGER IF EXISTS audit_no_relink"]


def install(apps, schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    for statement in [POSTGRES_UP] if vendor == "postgresql" else SQLITE_UP if vendor == "sqlite" else []:
        schema_editor.execute(statement)


def remove(apps, schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    for statement in [POSTGRES_DOWN] if vendor == "postgresql" else SQLITE_DOWN if vendor == "sqlite" else []:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_audit_events")]
    operations = [migrations.RunPython(install, remove)]
