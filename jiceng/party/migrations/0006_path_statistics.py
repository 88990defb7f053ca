"""Finer statistics on the party organisations' path copy (PostgreSQL): see
jiceng.places.statistics."""

from django.db import migrations

from jiceng.places.statistics import finer_path_statistics


class Migration(migrations.Migration):
    dependencies = [
        ("party", "0005_org_place_path"),
    ]

    operations = [
        finer_path_statistics("party_partyorg"),
    ]
