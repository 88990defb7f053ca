from django.apps import AppConfig


class OnewindowConfig(AppConfig):
    name = "jiceng.onewindow"
    verbose_name = "一窗受理与便民服务"
