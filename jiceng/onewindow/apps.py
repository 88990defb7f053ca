from django.apps import AppConfig


class OnewindowConfig(AppConfig):
    name = "jiceng.onewindow"
    verbose_name = "一窗受理与便民服务"

    def ready(self):
        from . import (
            public,  # the public portal's sections
            tiles,  # noqa: F401  (registers the dashboard tiles)
        )

        public.register()
