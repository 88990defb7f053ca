from django.apps import AppConfig


class AlliancesConfig(AppConfig):
    name = "jiceng.alliances"
    verbose_name = "共建共治共享"

    def ready(self):
        from . import tiles  # noqa: F401  (registers the dashboard tiles)
