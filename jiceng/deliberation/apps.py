from django.apps import AppConfig


class DeliberationConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "jiceng.deliberation"
    verbose_name = "议事协商"

    def ready(self):
        from . import (
            public,  # the public portal's sections
            tiles,  # noqa: F401  (registers the dashboard tiles)
        )

        public.register()
