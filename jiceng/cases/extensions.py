"""What apps above cases add to the case loop, registered in their AppConfig.ready.

cases sits below them and cannot import them (jiceng/tests/test_layers.py); as
places/panels.py does for place pages, the higher app registers:

- panels: HTML shown on a case's page ("detail"), above the dispatcher's queue
  ("queue") or under the case map ("map"), each from (request, case or None) → HTML
  or "";
- map overlays: GeoJSON urls the case map draws as circles (radius_m, label, url);
- an auto-dispatcher: (case) → (department, grid, note) or None, asked at intake
  when no routing rule applies (rules always win);
- dispatch listeners: (case, actor, step name) after a dispatch or a transfer.
"""

import logging
from collections.abc import Callable

logger = logging.getLogger(__name__)

PANELS: dict[str, list[Callable]] = {"detail": [], "queue": [], "map": []}
MAP_OVERLAYS: list[Callable] = []  # (request) → url or None
AUTO_DISPATCHERS: list[Callable] = []
DISPATCH_LISTENERS: list[Callable] = []


def register_panel(slot):
    def decorator(render):
        if render not in PANELS[slot]:
            PANELS[slot].append(render)
        return render

    return decorator


def render_panels(slot, request, case=None) -> list[str]:
    return [html for render in PANELS[slot] if (html := render(request, case))]


def overlay_urls(request) -> list[str]:
    return [url for overlay in MAP_OVERLAYS if (url := overlay(request))]


def auto_dispatch(case):
    """The first registered proposal for a case no routing rule covers."""
    for dispatcher in AUTO_DISPATCHERS:
        proposal = dispatcher(case)
        if proposal is not None:
            return proposal
    return None


def dispatched(case, actor, step):
    """Tell the listeners; the dispatch has committed, so a listener's failure is
    logged and never undoes it or fails the dispatcher's request."""
    for listener in DISPATCH_LISTENERS:
        try:
            listener(case, actor, step)
        except Exception:
            logger.exception(
                "dispatch listener %s failed for case %s", listener, case.pk
            )
