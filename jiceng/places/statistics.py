"""Finer planner statistics on a table's copy of its place's path (PostgreSQL).

A subtree is a range of the path (core.scope.path_prefix), and PostgreSQL
estimates a range from the column's histogram. With the default 100 buckets one
bucket of a city's cases holds 50,000 rows: two grids' 39 open cases were taken
for 1,483, and the grid worker's list walked back through the whole city's open
cases in time (122 ms) instead of reading its grids' rows (2 ms). With 1,000
buckets the estimate was 131. places.0003 does the same for the tree itself.
SQLite has no such setting.
"""

from jiceng.core.triggers import per_vendor

PATH_STATISTICS = 1000


def finer_path_statistics(table, column="place_path"):
    """A migration operation giving table.column PATH_STATISTICS buckets, now."""
    altered = f"ALTER TABLE {table} ALTER COLUMN {column}"
    return per_vendor(
        {
            "postgresql": [
                f"{altered} SET STATISTICS {PATH_STATISTICS}",
                f"ANALYZE {table} ({column})",  # the new histogram now
            ]
        },
        {"postgresql": [f"{altered} SET STATISTICS -1"]},
    )
