from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "jiceng.accounts"
    label = "accounts"
    verbose_name = "居民账号"

    def ready(self):
        from . import signals  # noqa: F401 (connects the login hook)
