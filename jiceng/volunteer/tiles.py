"""Dashboard tiles of 双报到 and volunteering (registered in VolunteerConfig.ready).

Each figure is one grouped query over the places asked about, by the place lookup
of the model's Scope: registrations and projects by their community, hours by the
community served, wishes by their place.
"""

from django.db.models import Count, Q, Sum
from django.urls import reverse
from django.utils import timezone

from jiceng.core.tiles import (
    TileKind,
    count_by_subtree,
    month_span,
    rate,
    register_tile,
    tally_by_subtree,
)

from .models import (
    FINISHED_PROJECT,
    HoursStatus,
    MemberRegistration,
    Project,
    RegistrationStatus,
    ServiceHours,
    UnitRegistration,
    Wish,
    WishStatus,
)

SECTION = "双报到与志愿服务"
PERMISSION = "volunteer.view"


def stats_link(place):
    year = timezone.localdate().year
    return f"{reverse('volunteer:stats')}?place={place.pk}&year={year}"


@register_tile(
    "volunteer.members",
    history=False,
    title="双报到党员",
    unit="人",
    section=SECTION,
    permission=PERMISSION,
    order=10,
    link=stats_link,
)
def members(places, month):
    """In-service members whose 双报到 the community has confirmed (on record now)."""
    _start, end = month_span(month)
    rows = MemberRegistration.objects.filter(
        status=RegistrationStatus.CONFIRMED, registered_at__lt=end
    )
    return count_by_subtree(rows, places, "community__path")


@register_tile(
    "volunteer.units",
    history=False,
    title="双报到单位",
    unit="个",
    section=SECTION,
    permission=PERMISSION,
    order=20,
    link=stats_link,
)
def units(places, month):
    """Unit party organisations whose 双报到 the community has confirmed."""
    _start, end = month_span(month)
    rows = UnitRegistration.objects.filter(
        status=RegistrationStatus.CONFIRMED, registered_at__lt=end
    )
    return count_by_subtree(rows, places, "community__path")


def _confirmed_hours(month):
    start, end = month_span(month)
    return ServiceHours.objects.filter(
        status=HoursStatus.CONFIRMED, started_at__gte=start, started_at__lt=end
    )


@register_tile(
    "volunteer.hours",
    title="志愿服务时长",
    unit="小时",
    section=SECTION,
    permission=PERMISSION,
    kind=TileKind.FLOW,
    order=30,
    link=lambda place: reverse("volunteer:hours"),
)
def hours(places, month):
    """Confirmed service hours that started within the month, where they were served."""
    tallies = tally_by_subtree(
        _confirmed_hours(month), places, "community__path", hours=Sum("hours")
    )
    return {pk: float(row["hours"] or 0) for pk, row in tallies.items()}


@register_tile(
    "volunteer.active",
    title="参与服务志愿者",
    unit="人",
    section=SECTION,
    permission=PERMISSION,
    kind=TileKind.FLOW,
    order=40,
    link=lambda place: reverse("volunteer:volunteers"),
)
def active(places, month):
    """Volunteers with confirmed hours that started within the month (each once)."""
    return count_by_subtree(
        _confirmed_hours(month), places, "community__path", distinct="volunteer"
    )


@register_tile(
    "volunteer.wishes_done",
    title="实现微心愿",
    unit="个",
    section=SECTION,
    permission=PERMISSION,
    kind=TileKind.FLOW,
    order=50,
    link=lambda place: reverse("volunteer:wishes"),
)
def wishes_done(places, month):
    """Wishes confirmed done within the month (the stats page's 实现微心愿)."""
    start, end = month_span(month)
    rows = Wish.objects.filter(
        status=WishStatus.DONE, done_at__gte=start, done_at__lt=end
    )
    return count_by_subtree(rows, places, "place__path")


@register_tile(
    "volunteer.practical_rate",
    history=False,
    title="为民办实事完成率",
    unit="%",
    section=SECTION,
    permission=PERMISSION,
    kind=TileKind.RATE,
    order=60,
    link=lambda place: reverse("volunteer:practical"),
)
def practical_rate(places, month):
    """Share of the year's 为民办实事 projects finished (done or evaluated)."""
    places = list(places)
    tallies = tally_by_subtree(
        Project.objects.practical(month.year),
        places,
        "community__path",
        listed=Count("pk"),
        finished=Count("pk", filter=Q(status__in=FINISHED_PROJECT)),
    )
    rows = {p.pk: tallies.get(p.pk, {"finished": 0, "listed": 0}) for p in places}
    return {pk: rate(row["finished"], row["listed"]) for pk, row in rows.items()}
