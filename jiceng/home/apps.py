from django.apps import AppConfig


class HomeConfig(AppConfig):
    """The shell over every app: workbench, menu and account pages."""

    name = "jiceng.home"
    verbose_name = "工作台与账号"
