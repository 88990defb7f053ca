"""The areas' copy also finds grids by code (the API's grid_code): a changed code
now touches the token "places.areas" too (core.config_cache)."""

from django.db import migrations

from jiceng.core.config_cache import unwatch, watch

AREAS = "{row}.kind NOT IN ('building', 'entrance', 'dwelling')"
BEFORE = ("path", "kind", "name", "address", "geometry", "lat", "lng")


class Migration(migrations.Migration):
    dependencies = [("places", "0004_children_index"), ("core", "0004_config_version")]

    operations = [
        unwatch("places_place", "places.areas", columns=BEFORE, when=AREAS),
        watch("places_place", "places.areas", columns=(*BEFORE, "code"), when=AREAS),
    ]
