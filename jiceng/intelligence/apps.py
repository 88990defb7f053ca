from django.apps import AppConfig


class IntelligenceConfig(AppConfig):
    name = "jiceng.intelligence"
    verbose_name = "智能派遣与未诉先办"

    def ready(self):
        from . import (
            hooks,  # noqa: F401  (fills cases.extensions)
            tiles,  # noqa: F401  (registers the dashboard tiles)
        )
