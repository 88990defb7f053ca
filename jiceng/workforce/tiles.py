"""Dashboard tiles of the community workforce (registered in WorkforceConfig.ready):
workers in post, household visit coverage, patrols and their kilometres, and the
hours served on emergency duty; each by the place lookup of the model's Scope."""

from datetime import timedelta

from django.urls import reverse

from jiceng.core.tiles import (
    TileKind,
    count_by_subtree,
    month_bounds,
    month_span,
    register_tile,
    sum_by_subtree,
)

from .models import Deployment, Patrol, Worker, WorkerStatus
from .services.coverage import visit_coverage_by_subtree

SECTION = "社区工作者与网格"
PERMISSION = "workforce.view"


@register_tile(
    "workforce.workers",
    history=False,
    title="在岗社区工作者",
    unit="人",
    section=SECTION,
    permission=PERMISSION,
    order=10,
    link=lambda place: reverse("workforce:workers"),
)
def workers(places, month):
    """Community workers and full-time grid workers in post, hired by the month's
    end (their status as it stands now)."""
    last_day = month_bounds(month)[1] - timedelta(days=1)
    rows = Worker.objects.filter(status=WorkerStatus.ACTIVE, hired_on__lte=last_day)
    return count_by_subtree(rows, places, "community__path")


@register_tile(
    "workforce.visit_coverage",
    title="入户走访覆盖率",
    unit="%",
    section=SECTION,
    permission=PERMISSION,
    kind=TileKind.RATE,
    order=20,
    link=lambda place: reverse("workforce:coverage"),
)
def visit_coverage(places, month):
    """Households visited within the month, of the households on record (the
    coverage page's rule over the month)."""
    start, end = month_span(month)
    return {
        pk: round(100 * visited / households, 1) if households else None
        for pk, (visited, households) in visit_coverage_by_subtree(
            places, start, end
        ).items()
    }


def _patrols(month):
    start, end = month_span(month)
    return Patrol.objects.filter(started_at__gte=start, started_at__lt=end)


@register_tile(
    "workforce.patrols",
    title="网格巡查",
    unit="次",
    section=SECTION,
    permission=PERMISSION,
    kind=TileKind.FLOW,
    order=30,
    link=lambda place: reverse("workforce:patrols"),
)
def patrols(places, month):
    """Patrols started within the month."""
    return count_by_subtree(_patrols(month), places, "grid__path")


@register_tile(
    "workforce.patrol_km",
    title="巡查里程",
    unit="公里",
    section=SECTION,
    permission=PERMISSION,
    kind=TileKind.FLOW,
    order=40,
    link=lambda place: reverse("workforce:patrols"),
)
def patrol_km(places, month):
    """Kilometres of the tracks of the patrols started within the month."""
    metres = sum_by_subtree(_patrols(month), places, "grid__path", "metres")
    return {pk: round(m / 1000, 1) for pk, m in metres.items()}


@register_tile(
    "workforce.duty_hours",
    title="应急值守时长",
    unit="小时",
    section=SECTION,
    permission=PERMISSION,
    kind=TileKind.FLOW,
    order=50,
    link=lambda place: reverse("workforce:modes"),
)
def duty_hours(places, month):
    """Hours served on 平急转换 duty posts (checked in and out) on shifts starting
    within the month, by the mobilisation's area."""
    start, end = month_span(month)
    rows = Deployment.objects.filter(
        starts_at__gte=start, starts_at__lt=end, hours__isnull=False
    )
    hours = sum_by_subtree(
        rows, places, "shift__post__mobilisation__area__path", "hours"
    )
    return {pk: float(h) for pk, h in hours.items()}
