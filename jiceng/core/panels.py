"""What higher apps show on a lower app's record page (a resident, a unit, a party
organisation): the record's page cannot ask them, so they register a panel in their
AppConfig.ready and the page renders `{% record_panels obj %}`.

Like places/panels.py, but keyed by the record's model ("people.resident"); each
panel reads its own rows through its model's scope.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.template.loader import render_to_string


@dataclass(frozen=True)
class RecordPanel:
    template: str
    # (user, record) -> the template's context, or None to show nothing
    context: Callable
    order: int = 0


RECORD_PANELS: dict[str, dict[str, RecordPanel]] = {}


def register_record_panel(model_label, template, *, order=0):
    """Decorator for a panel's context function: show template on the pages of
    records of model_label ("app_label.modelname")."""

    def decorator(context):
        RECORD_PANELS.setdefault(model_label, {})[template] = RecordPanel(
            template, context, order
        )
        return context

    return decorator


def render_record_panels(request, record) -> list[str]:
    """The registered panels' HTML for this user and record, in order."""
    panels = RECORD_PANELS.get(record._meta.label_lower, {}).values()
    rendered = []
    for panel in sorted(panels, key=lambda p: (p.order, p.template)):
        context = panel.context(request.user, record)
        if context is not None:
            rendered.append(
                render_to_string(
                    panel.template, {"record": record, **context}, request=request
                )
            )
    return rendered
