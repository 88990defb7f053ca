"""The points ledger refuses UPDATE in the database itself (SQLite and PostgreSQL).

Rows are never edited: a correction is a new 调整 entry. DELETE stays possible at
the SQL level only so that purging a whole demo or test account works; the ORM
refuses it (PointsEntry.delete and its queryset raise).
"""

from django.db import migrations

SQLITE_UP = [
    """CREATE TRIGGER volunteer_pointsentry_no_update
       BEFORE UPDATE ON volunteer_pointsentry
       BEGIN SELECT RAISE(ABORT, 'points entries are append-only'); END""",
]
SQLITE_DOWN = ["DROP TRIGGER IF EXISTS volunteer_pointsentry_no_update"]
POSTGRES_UP = [
    """CREATE OR REPLACE FUNCTION volunteer_pointsentry_append_only() RETURNS trigger
       AS $$ BEGIN RAISE EXCEPTION 'points entries are append-only'; END; $$
       LANGUAGE plpgsql""",
    """CREATE TRIGGER volunteer_pointsentry_append_only
       BEFORE UPDATE ON volunteer_pointsentry
       FOR EACH ROW EXECUTE FUNCTION volunteer_pointsentry_append_only()""",
]
POSTGRES_DOWN = [
    "DROP TRIGGER IF EXISTS volunteer_pointsentry_append_only ON volunteer_pointsentry",
    "DROP FUNCTION IF EXISTS volunteer_pointsentry_append_only()",
]


def run(statements_by_vendor):
    def apply(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return apply


class Migration(migrations.Migration):
    dependencies = [("volunteer", "0001_initial")]

    operations = [
        migrations.RunPython(
            run({"sqlite": SQLITE_UP, "postgresql": POSTGRES_UP}),
            run({"sqlite": SQLITE_DOWN, "postgresql": POSTGRES_DOWN}),
        )
    ]
