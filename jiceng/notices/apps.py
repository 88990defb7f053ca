from django.apps import AppConfig


class NoticesConfig(AppConfig):
    name = "jiceng.notices"
    verbose_name = "站内通知"
    default_auto_field = "django.db.models.BigAutoField"
