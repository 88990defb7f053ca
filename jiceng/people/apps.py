from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "jiceng.people"
    verbose_name = "人口"

    def ready(self):
        # the 台账 kinds (jiceng.core.ledgers) and the place-page panels
        from . import exporters, importers, tiles  # noqa: F401  (and the tiles)
        from .views import places  # noqa: F401
