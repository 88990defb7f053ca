from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "jiceng.people"
    verbose_name = "人口"

    def ready(self):
        from . import exporters, importers  # noqa: F401  (registers the 台账 kinds)
