"""Append-only tables enforced by the database itself, on SQLite and PostgreSQL.

A migration calls `append_only(table)`; the ORM's own refusal (a model's delete
raising) is not enough, since raw SQL and other clients bypass it.
"""

from django.db import migrations


def _statements(table: str, *, deletes: bool):
    message = f"{table} rows are append-only"
    events = ["UPDATE", "DELETE"] if deletes else ["UPDATE"]
    sqlite_up = [
        f"""CREATE TRIGGER {table}_no_{event.lower()} BEFORE {event} ON {table}
           BEGIN SELECT RAISE(ABORT, '{message}'); END"""
        for event in events
    ]
    sqlite_down = [f"DROP TRIGGER IF EXISTS {table}_no_{e.lower()}" for e in events]
    postgres_up = [
        f"""CREATE OR REPLACE FUNCTION {table}_append_only() RETURNS trigger AS $$
           BEGIN RAISE EXCEPTION '{message}'; END; $$ LANGUAGE plpgsql""",
        f"""CREATE TRIGGER {table}_append_only BEFORE {" OR ".join(events)} ON {table}
           FOR EACH ROW EXECUTE FUNCTION {table}_append_only()""",
    ]
    postgres_down = [
        f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}",
        f"DROP FUNCTION IF EXISTS {table}_append_only()",
    ]
    return (
        {"sqlite": sqlite_up, "postgresql": postgres_up},
        {"sqlite": sqlite_down, "postgresql": postgres_down},
    )


def _run(statements_by_vendor):
    def apply(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return apply


def per_vendor(up, down) -> migrations.RunPython:
    """A migration operation running each engine's statements ({vendor: [sql]})."""
    return migrations.RunPython(_run(up), _run(down))


def append_only(table: str, *, deletes: bool = True) -> migrations.RunPython:
    """A migration operation that makes table refuse UPDATE (and DELETE) of rows.

    deletes=False leaves DELETE possible in SQL, for a table whose rows go only
    when their owner is purged whole (demo and test accounts).
    TRUNCATE bypasses row triggers; only the test runner's flush needs it.
    """
    return per_vendor(*_statements(table, deletes=deletes))
