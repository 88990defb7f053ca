from django.apps import AppConfig


class PlacesConfig(AppConfig):
    name = "jiceng.places"
    verbose_name = "地点"

    def ready(self):
        from . import importers  # noqa: F401  (registers the place-tree import)
