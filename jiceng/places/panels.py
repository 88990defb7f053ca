"""What the apps above places show on a place's page: its residents, its party
organisations.

places sits below people and party and cannot ask them; they register a panel in
their AppConfig.ready and the place page renders whatever is registered. Each
panel reads its own rows through their model's scope.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.template.loader import render_to_string

# Where a panel goes: a line of the 概况 card, or a card of the side column.
SUMMARY, SIDE = "summary", "side"


@dataclass(frozen=True)
class Panel:
    template: str
    # (user, place) -> the template's context, or None to show nothing
    context: Callable
    slot: str = SIDE
    order: int = 0


PANELS: dict[str, Panel] = {}


def register_panel(template, *, slot=SIDE, order=0):
    """Decorator for a panel's context function: show template on place pages."""

    def decorator(context):
        PANELS[template] = Panel(template, context, slot, order)
        return context

    return decorator


def render_panels(request, place) -> dict[str, list[str]]:
    """The registered panels' HTML for this user and place, by slot, in order."""
    rendered = {SUMMARY: [], SIDE: []}
    for panel in sorted(PANELS.values(), key=lambda p: (p.order, p.template)):
        context = panel.context(request.user, place)
        if context is not None:
            html = render_to_string(
                panel.template, {"place": place, **context}, request=request
            )
            rendered[panel.slot].append(html)
    return rendered
