"""Finer statistics on the households' and residents' path copies (PostgreSQL):
see jiceng.places.statistics."""

from django.db import migrations

from jiceng.places.statistics import finer_path_statistics


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0010_resident_place_path"),
    ]

    operations = [
        finer_path_statistics("people_household"),
        finer_path_statistics("people_resident"),
    ]
