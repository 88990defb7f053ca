"""Dashboard tiles of 一窗受理 (registered in OnewindowConfig.ready): applications
received, finished and overdue, 最多跑一次, appointments and open service points;
each one grouped query by the place lookup of the model's Scope."""

from django.urls import reverse
from django.utils import timezone

from jiceng.core.tiles import TileKind, count_by_subtree, month_span, register_tile

from .models import Application, Appointment, AppointmentStatus, ServicePoint
from .models.points import active_points
from .services.applications import AT_MOST_ONE_VISIT

SECTION = "一窗受理与便民服务"
PERMISSION = "onewindow.view"


def applications_link(place):
    return reverse("onewindow:applications")


def _finished_within(month):
    start, end = month_span(month)
    return Application.objects.finished().filter(
        decided_at__gte=start, decided_at__lt=end
    )


@register_tile(
    "onewindow.received",
    title="受理申请",
    unit="件",
    section=SECTION,
    permission=PERMISSION,
    kind=TileKind.FLOW,
    order=10,
    link=applications_link,
)
def received(places, month):
    """Applications submitted within the month, by every channel."""
    start, end = month_span(month)
    rows = Application.objects.filter(submitted_at__gte=start, submitted_at__lt=end)
    return count_by_subtree(rows, places, "place__path")


@register_tile(
    "onewindow.finished",
    title="办结事项",
    unit="件",
    section=SECTION,
    permission=PERMISSION,
    kind=TileKind.FLOW,
    order=20,
    link=applications_link,
)
def finished(places, month):
    """Applications decided within the month (办结 or since collected)."""
    return count_by_subtree(_finished_within(month), places, "place__path")


@register_tile(
    "onewindow.one_visit_rate",
    title="最多跑一次率",
    unit="%",
    section=SECTION,
    permission=PERMISSION,
    kind=TileKind.RATE,
    order=30,
    link=lambda place: reverse("onewindow:rates"),
)
def one_visit_rate(places, month):
    """Of the applications finished within the month, the share whose applicant
    came at most once (the rates page's rule)."""
    places = list(places)
    rates = {}
    finished_rows = _finished_within(month)
    done = count_by_subtree(finished_rows, places, "place__path")
    once = count_by_subtree(
        finished_rows.filter(AT_MOST_ONE_VISIT), places, "place__path"
    )
    for place in places:
        whole = done.get(place.pk, 0)
        part = once.get(place.pk, 0)
        rates[place.pk] = round(100 * part / whole, 1) if whole else None
    return rates


@register_tile(
    "onewindow.overdue",
    history=False,
    title="超期未办结",
    unit="件",
    section=SECTION,
    permission=PERMISSION,
    order=40,
    better="lower",
    link=applications_link,
)
def overdue(places, month):
    """Open applications past their deadline (Application.objects.overdue) at the
    month's end, or now while it runs."""
    _start, end = month_span(month)
    rows = Application.objects.overdue(now=min(end, timezone.now()))
    return count_by_subtree(rows, places, "place__path")


@register_tile(
    "onewindow.appointments",
    title="预约服务",
    unit="人次",
    section=SECTION,
    permission=PERMISSION,
    kind=TileKind.FLOW,
    order=50,
    link=lambda place: reverse("onewindow:points"),
)
def appointments(places, month):
    """Appointments (not cancelled) for slots within the month, by the point's place."""
    start, end = month_span(month)
    rows = Appointment.objects.exclude(status=AppointmentStatus.CANCELLED).filter(
        slot__starts_at__gte=start, slot__starts_at__lt=end
    )
    return count_by_subtree(rows, places, "slot__point__place__path")


@register_tile(
    "onewindow.points",
    history=False,
    title="开放服务阵地",
    unit="个",
    section=SECTION,
    permission=PERMISSION,
    order=60,
    link=lambda place: reverse("onewindow:points"),
)
def points(places, month):
    """Service points open now (党群服务中心, 驿站, 骑士之家 …)."""
    return count_by_subtree(
        ServicePoint.objects.filter(active_points()), places, "place__path"
    )
