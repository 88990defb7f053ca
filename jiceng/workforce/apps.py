from django.apps import AppConfig


class WorkforceConfig(AppConfig):
    name = "jiceng.workforce"
    verbose_name = "社区工作者与网格队伍"

    def ready(self):
        from . import tiles  # noqa: F401  (registers the dashboard tiles)
        from .views import places  # noqa: F401  (the grid page's team panel)
