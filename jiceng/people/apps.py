from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "jiceng.people"
    verbose_name = "人口"

    def ready(self):
        # the 台账 kinds (jiceng.core.ledgers) and the place-page panels
        from . import exporters, importers  # noqa: F401
        from .views import places  # noqa: F401
