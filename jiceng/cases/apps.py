from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "jiceng.cases"
    verbose_name = "事件案卷"

    def ready(self):
        from . import exporters  # noqa: F401  (registers the case export)
