"""Make the audit log append-only in the database itself, on SQLite and PostgreSQL."""

from django.db import migrations

SQLITE_UP = [
    """CREATE TRIGGER core_auditentry_no_update BEFORE UPDATE ON core_auditentry
       BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END""",
    """CREATE TRIGGER core_auditentry_no_delete BEFORE DELETE ON core_auditentry
       BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END""",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS core_auditentry_no_update",
    "DROP TRIGGER IF EXISTS core_auditentry_no_delete",
]
POSTGRES_UP = [
    """CREATE OR REPLACE FUNCTION core_auditentry_append_only() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION 'audit entries are append-only'; END; $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER core_auditentry_append_only BEFORE UPDATE OR DELETE ON core_auditentry
       FOR EACH ROW EXECUTE FUNCTION core_auditentry_append_only()""",
    # TRUNCATE bypasses row triggers; only the test runner's flush should ever need it.
]
POSTGRES_DOWN = [
    "DROP TRIGGER IF EXISTS core_auditentry_append_only ON core_auditentry",
    "DROP FUNCTION IF EXISTS core_auditentry_append_only()",
]


def run(statements_by_vendor):
    def apply(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return apply


class Migration(migrations.Migration):
    dependencies = [("core", "0002_initial")]

    operations = [
        migrations.RunPython(
            run({"sqlite": SQLITE_UP, "postgresql": POSTGRES_UP}),
            run({"sqlite": SQLITE_DOWN, "postgresql": POSTGRES_DOWN}),
        )
    ]
