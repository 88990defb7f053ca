from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "jiceng.cases"
    verbose_name = "事件案卷"

    def ready(self):
        from jiceng.core.audit_display import register_values

        from . import exporters, tiles  # noqa: F401  (the case export, the tiles)
        from .workflow import EVENT_LABELS, STEPS

        # the audit log names a step as the case page does
        register_values(
            "step",
            {**{name: s.label for name, s in STEPS.items()}, **EVENT_LABELS},
        )
        from . import public  # the public portal's sections

        public.register()
