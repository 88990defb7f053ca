"""Areas — the places above buildings: grids and compounds with their outlines,
and the streets and communities routing rules hang on — feed per-process copies
(case intake): their changes touch the token "places.areas" (core.config_cache).
Buildings and dwellings, the bulk of every import, do not."""

from django.db import migrations

from jiceng.core.config_cache import watch


class Migration(migrations.Migration):
    dependencies = [("places", "0001_initial"), ("core", "0004_config_version")]

    operations = [
        watch(
            "places_place",
            "places.areas",
            columns=("path", "kind", "name", "address", "geometry", "lat", "lng"),
            when="{row}.kind NOT IN ('building', 'entrance', 'dwelling')",
        )
    ]
