from django.apps import AppConfig


class VolunteerConfig(AppConfig):
    name = "jiceng.volunteer"
    verbose_name = "双报到与志愿服务"

    def ready(self):
        # 主题党日 and hours count in party life (jiceng.party.contributions)
        from . import party_life

        party_life.register()
        from . import (
            public,  # the public portal's sections
            tiles,  # noqa: F401  (registers the dashboard tiles)
        )

        public.register()
