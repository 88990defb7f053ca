from django.apps import AppConfig


class InsightConfig(AppConfig):
    name = "jiceng.insight"
    verbose_name = "数据看板"
