from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "jiceng.demo"
    verbose_name = "演示数据"
