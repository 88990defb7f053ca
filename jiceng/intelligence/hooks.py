"""What intelligence adds to the case loop (cases.extensions): suggestions on a
case's page, open 未诉先办 tasks above the queue and on the map, auto-dispatch at
intake and dispatchers' corrections."""

from django.template.loader import render_to_string
from django.urls import reverse

from jiceng.cases import extensions
from jiceng.cases.workflow import Status
from jiceng.core.scope import has_permission

from .models import ProactiveTask, TaskStatus
from .services import dispatch

SUGGESTED_STATUSES = (Status.REPORTED, Status.ACCEPTED, Status.DISPATCHED)


@extensions.register_panel("detail")
def suggestions_panel(request, case):
    if case.status not in SUGGESTED_STATUSES or not has_permission(
        request.user, "cases.dispatch"
    ):
        return ""
    found = dispatch.suggest_for_case(case)
    return render_to_string(
        "intelligence/suggestions_panel.html",
        {"found": found, "case": case},
        request=request,
    )


@extensions.register_panel("queue")
def queue_panel(request, case=None):
    tasks = (
        ProactiveTask.objects.visible_to(request.user)
        .filter(status=TaskStatus.OPEN)
        .select_related("category", "place")
    )
    shown = list(tasks[:6])  # a sixth row tells whether counting is needed
    if not shown:
        return ""
    total = tasks.count() if len(shown) > 5 else len(shown)
    return render_to_string(
        "intelligence/queue_panel.html",
        {"tasks": shown[:5], "total": total},
        request=request,
    )


@extensions.register_panel("map")
def map_panel(request, case=None):
    if (
        not ProactiveTask.objects.visible_to(request.user)
        .filter(status=TaskStatus.OPEN)
        .exists()
    ):
        return ""
    return render_to_string("intelligence/map_legend.html", {}, request=request)


def _overlay(request):
    return reverse("intelligence:task_geojson")


extensions.MAP_OVERLAYS.append(_overlay)
extensions.AUTO_DISPATCHERS.append(dispatch.auto_dispatch)
extensions.DISPATCH_LISTENERS.append(
    lambda case, actor, step: dispatch.record_correction(case, actor, step)
)
