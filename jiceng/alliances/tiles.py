"""Dashboard tiles of 共建共治共享 (registered in AlliancesConfig.ready): 包联
coverage, the units that carry it, visits, joint meetings, overdue tasks and venue
use, each one grouped query by the place lookup of the model's Scope."""

from django.urls import reverse

from jiceng.core.tiles import (
    TileKind,
    as_of_day,
    count_by_subtree,
    month_bounds,
    month_span,
    rate,
    register_tile,
)
from jiceng.places.models import Place

from .models import (
    PAIR_PLACE_KIND,
    Booking,
    Meeting,
    MeetingStatus,
    Pair,
    PairKind,
    Task,
    Visit,
)

SECTION = "共建共治"
PERMISSION = "alliances.view"


def _unit_pairs():
    return Pair.objects.filter(kind=PairKind.UNIT_COMPOUND, active=True)


@register_tile(
    "alliances.pair_coverage",
    history=False,
    title="单位包联小区覆盖率",
    unit="%",
    section=SECTION,
    permission=PERMISSION,
    kind=TileKind.RATE,
    order=10,
    link=lambda place: reverse("alliances:coverage"),
)
def pair_coverage(places, month):
    """Compounds with an active unit pairing, of all compounds (the coverage page's
    paired / total)."""
    places = list(places)
    compounds = Place.objects.filter(kind=PAIR_PLACE_KIND[PairKind.UNIT_COMPOUND])
    total = count_by_subtree(compounds, places, "path")
    paired = count_by_subtree(_unit_pairs(), places, "place__path", distinct="place")
    return {p.pk: rate(paired.get(p.pk, 0), total.get(p.pk, 0)) for p in places}


@register_tile(
    "alliances.pair_units",
    history=False,
    title="包联单位",
    unit="个",
    section=SECTION,
    permission=PERMISSION,
    order=20,
    link=lambda place: reverse("alliances:coverage"),
)
def pair_units(places, month):
    """Units with an active pairing to a compound in the place (each unit once)."""
    return count_by_subtree(_unit_pairs(), places, "place__path", distinct="unit")


@register_tile(
    "alliances.visits",
    title="包联走访",
    unit="次",
    section=SECTION,
    permission=PERMISSION,
    kind=TileKind.FLOW,
    order=30,
    link=lambda place: reverse("alliances:coverage"),
)
def visits(places, month):
    """Visits of paired units and cadres made within the month."""
    first, following = month_bounds(month)
    rows = Visit.objects.filter(visited_on__gte=first, visited_on__lt=following)
    return count_by_subtree(rows, places, "pair__place__path")


@register_tile(
    "alliances.meetings",
    title="联席会议召开",
    unit="场",
    section=SECTION,
    permission=PERMISSION,
    kind=TileKind.FLOW,
    order=40,
    link=lambda place: reverse("alliances:meeting_list"),
)
def meetings(places, month):
    """Joint meetings held that started within the month."""
    start, end = month_span(month)
    rows = Meeting.objects.filter(
        status=MeetingStatus.HELD, starts_at__gte=start, starts_at__lt=end
    )
    return count_by_subtree(rows, places, "place__path")


@register_tile(
    "alliances.tasks_overdue",
    history=False,
    title="逾期督办事项",
    unit="件",
    section=SECTION,
    permission=PERMISSION,
    order=50,
    better="lower",
    link=lambda place: reverse("alliances:task_list"),
)
def tasks_overdue(places, month):
    """Open tasks past their due date (Task.objects.overdue) on the month's last day."""
    return count_by_subtree(
        Task.objects.overdue(today=as_of_day(month)), places, "place__path"
    )


@register_tile(
    "alliances.bookings",
    title="阵地预约使用",
    unit="次",
    section=SECTION,
    permission=PERMISSION,
    kind=TileKind.FLOW,
    order=60,
    link=lambda place: reverse("alliances:usage"),
)
def bookings(places, month):
    """Bookings holding their slot (pending, approved, checked in: the usage page's
    count) that start within the month, by the venue's place."""
    start, end = month_span(month)
    rows = Booking.objects.live().filter(starts_at__gte=start, starts_at__lt=end)
    return count_by_subtree(rows, places, "venue__place__path")
