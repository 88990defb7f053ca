"""Database settings around bulk writes: a larger SQLite page cache while
writing, fresh planner statistics after.

PostgreSQL plans from statistics that autovacuum refreshes some time after a
table changes. Right after a bulk load (a demo district, a 20万-row import) the
planner still believes the tables are small and scans them whole: a grid
worker's resident list was 8× slower until ANALYZE. Bulk writers call this.
"""

from contextlib import contextmanager

from django.db import DEFAULT_DB_ALIAS, connection, connections, router

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


@contextmanager
def sqlite_cache(kib, *, model=None):
    """On SQLite, give the connection (the one model writes to, else the default)
    a page cache of kib KiB while bulk-writing: the default 2 MB makes every insert
    into the big random-keyed blind indexes read index pages back from the file."""
    target = connections[router.db_for_write(model) if model else DEFAULT_DB_ALIAS]
    if target.vendor != "sqlite":
        yield
        return
    with target.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        previous = int(cursor.fetchone()[0])
        cursor.execute(f"PRAGMA cache_size = -{int(kib)}")
    try:
        yield
    finally:
        with target.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {previous}")
