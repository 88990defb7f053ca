"""Finer planner statistics on place paths (PostgreSQL).

Every scoped read asks for the places under a path prefix. With the default 100
histogram buckets, PostgreSQL took a grid's ~120 places in a city's 850,000 for
8,472 and read a whole table instead of the grid's rows (a grid worker's party
member count 148 ms -> 0.4 ms with 1,000 buckets). SQLite has no such setting.
"""

from django.db import migrations

from jiceng.core.triggers import per_vendor

TABLE_COLUMN = "places_place ALTER COLUMN path"


class Migration(migrations.Migration):
    dependencies = [
        ("places", "0002_watch_areas"),
    ]

    operations = [
        per_vendor(
            {
                "postgresql": [
                    f"ALTER TABLE {TABLE_COLUMN} SET STATISTICS 1000",
                    "ANALYZE places_place",  # the new histogram now, not at the next
                ]
            },
            {"postgresql": [f"ALTER TABLE {TABLE_COLUMN} SET STATISTICS -1"]},
        ),
    ]
