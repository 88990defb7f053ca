from django.apps import AppConfig


class ScreenConfig(AppConfig):
    """The command centre's big screen (大屏): one place's live picture on a wall."""

    name = "jiceng.screen"
    verbose_name = "指挥大屏"
