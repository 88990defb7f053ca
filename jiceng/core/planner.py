"""Planner statistics after bulk writes.

PostgreSQL plans from statistics that autovacuum refreshes some time after a
table changes. Right after a bulk load (a demo district, a 20万-row import) the
planner still believes the tables are small and scans them whole: a grid
worker's resident list was 8× slower until ANALYZE. Bulk writers call this.
"""

from django.db import connection

ANALYZE_AFTER_ROWS = 10_000


def refresh_statistics(*models):
    """ANALYZE the models' tables (every table when none is named); PostgreSQL
    only — SQLite plans without statistics unless asked, and well enough here."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        if not models:
            cursor.execute("ANALYZE")
            return
        for model in models:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
