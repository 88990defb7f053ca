"""The points ledger refuses UPDATE in the database itself (SQLite and PostgreSQL).

Rows are never edited: a correction is a new 调整 entry. DELETE stays possible at
the SQL level only so that purging a whole demo or test account works; the ORM
refuses it (PointsEntry.delete and its queryset raise).
"""

from django.db import migrations

from jiceng.core.triggers import append_only


class Migration(migrations.Migration):
    dependencies = [("volunteer", "0001_initial")]

    operations = [append_only("volunteer_pointsentry", deletes=False)]
