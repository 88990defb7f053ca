from django.apps import AppConfig


class PlacesConfig(AppConfig):
    name = "jiceng.places"
    verbose_name = "地点"

    def ready(self):
        # the place-tree import and the dashboard tiles
        from . import importers, tiles  # noqa: F401
