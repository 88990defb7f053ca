"""Dashboard tiles of 未诉先办 (registered in IntelligenceConfig.ready): the
proactive tasks found, closed and still open, by their grid or community."""

from django.urls import reverse

from jiceng.core.tiles import TileKind, count_by_subtree, month_span, register_tile

from .models import ProactiveTask, TaskStatus

SECTION = "未诉先办"
PERMISSION = "intelligence.view"


def tasks_link(place):
    return reverse("intelligence:task_list")


@register_tile(
    "intelligence.found",
    title="未诉先办发现",
    unit="件",
    section=SECTION,
    permission=PERMISSION,
    kind=TileKind.FLOW,
    order=10,
    link=tasks_link,
)
def found(places, month):
    """Proactive tasks opened within the month (hot spots, repeats, rises)."""
    start, end = month_span(month)
    rows = ProactiveTask.objects.filter(created_at__gte=start, created_at__lt=end)
    return count_by_subtree(rows, places, "place__path")


@register_tile(
    "intelligence.closed",
    title="未诉先办办结",
    unit="件",
    section=SECTION,
    permission=PERMISSION,
    kind=TileKind.FLOW,
    order=20,
    link=tasks_link,
)
def closed(places, month):
    """Proactive tasks closed within the month."""
    start, end = month_span(month)
    rows = ProactiveTask.objects.filter(
        status=TaskStatus.CLOSED, closed_at__gte=start, closed_at__lt=end
    )
    return count_by_subtree(rows, places, "place__path")


@register_tile(
    "intelligence.open",
    history=False,
    title="未诉先办待办",
    unit="件",
    section=SECTION,
    permission=PERMISSION,
    order=30,
    better="lower",
    link=tasks_link,
)
def open_tasks(places, month):
    """Proactive tasks found by the month's end and still open now."""
    _start, end = month_span(month)
    rows = ProactiveTask.objects.filter(status=TaskStatus.OPEN, created_at__lt=end)
    return count_by_subtree(rows, places, "place__path")
