from django.apps import AppConfig


class InsightConfig(AppConfig):
    name = "jiceng.insight"
    verbose_name = "数据看板"

    def ready(self):
        from jiceng.core.tiles import figures_changed

        from .services import refresh_after_bulk_write

        figures_changed.connect(refresh_after_bulk_write, weak=False)
