from django.apps import AppConfig


class AtlasConfig(AppConfig):
    """一小区一图示: one compound's chart on the offline map, and its A3 poster."""

    name = "jiceng.atlas"
    verbose_name = "一小区一图示"

    def ready(self):
        # the compound page's link to its chart (places.panels)
        from . import panels  # noqa: F401
