"""Database settings around bulk writes: a larger SQLite page cache while
writing, commits that need not wait for the disk, membership tests that stay
cheap with thousands of values, fresh planner statistics after.

PostgreSQL plans from statistics that autovacuum refreshes some time after a
table changes. Right after a bulk load (a demo district, a 20万-row import) the
planner still believes the tables are small and scans them whole: a grid
worker's resident list was 8× slower until ANALYZE. Bulk writers call this.
"""

from contextlib import contextmanager

from django.db import DEFAULT_DB_ALIAS, connection, connections, router

# An import writing at least this many rows refreshes its tables' statistics (a
# table that grew from a few rows to thousands is planned as if still tiny).
ANALYZE_AFTER_ROWS = 1_000


def refresh_statistics(*models, using=DEFAULT_DB_ALIAS):
    """Refresh the planner statistics of the models' tables (every table when none
    is named), after a bulk write.

    PostgreSQL: ANALYZE. SQLite: ANALYZE (the sqlite_stat1 table its planner reads
    for index choices) then PRAGMA optimize, which also records that the statistics
    are fresh. Both run inside the caller's transaction if there is one.
    """
    target = connections[using]
    quote = target.ops.quote_name
    tables = [quote(model._meta.db_table) for model in models]
    with target.cursor() as cursor:
        if not tables:
            cursor.execute("ANALYZE")
        for table in tables:
            cursor.execute(f"ANALYZE {table}")
        if target.vendor == "sqlite":
            cursor.execute("PRAGMA optimize")


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


def asynchronous_commit():
    """Let this transaction's COMMIT return before its WAL is flushed (PostgreSQL's
    SET LOCAL synchronous_commit = off). A database crash loses nothing and data
    is never corrupted; an operating-system crash may lose the last ~0.6 s of such
    commits. Bulk imports use it per chunk: a lost chunk is re-imported by running
    the same file again, which changes nothing for the rows already stored."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit = off")


def column_in(column, values, *, plain=False):
    """(SQL, params) for "column is one of values" in a raw query: on PostgreSQL
    one parameter (psycopg splits, and the server parses, a query of 5,000
    placeholders slowly); elsewhere an IN list of placeholders.

    plain: the values never contain a comma (hex digests); they then travel as
    one string split by the server, which spares the client quoting each array
    element."""
    values = list(values)
    if connection.vendor == "postgresql":
        if plain:
            return f"{column} = ANY(string_to_array(%s, ','))", [",".join(values)]
        return f"{column} = ANY(%s)", [values]
    return f"{column} IN ({', '.join(['%s'] * len(values))})", values


def insert_rows(model, columns, rows):
    """Insert prepared rows into model's table: COPY on PostgreSQL, executemany
    elsewhere. For rows already validated and protected (a large import): the ORM
    would spend more time compiling their values than the database takes."""
    table = model._meta.db_table
    names = ", ".join(columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The raw psycopg cursor: wrap its errors as Django's (IntegrityError…).
            with (
                connection.wrap_database_errors,
                cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy,
            ):
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(columns))
            # Table and column names come from the model, values are parameters.
            sql = f"INSERT INTO {table} ({names}) VALUES ({marks})"  # noqa: S608
            cursor.executemany(sql, rows)
