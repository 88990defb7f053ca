from django.apps import AppConfig


class AssessmentConfig(AppConfig):
    name = "jiceng.assessment"
    verbose_name = "考核评价与督察"

    def ready(self):
        from jiceng.notices import reminders as notice_reminders

        from . import (
            public,  # the public portal's sections
            reminders,
            tiles,  # noqa: F401  (registers the dashboard tiles)
        )
        from .views import panels  # noqa: F401  (registers the place-page panel)

        public.register()
        notice_reminders.register(reminders.problems_due_tomorrow)
