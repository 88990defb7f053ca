"""Finer statistics on the cases' and the KPI rollup's path copies (PostgreSQL):
see jiceng.places.statistics."""

from django.db import migrations

from jiceng.places.statistics import finer_path_statistics


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0019_queue_count_index"),
    ]

    operations = [
        finer_path_statistics("cases_case"),
        finer_path_statistics("cases_casestat"),
    ]
