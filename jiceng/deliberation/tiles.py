"""Dashboard tiles of 议事协商 (registered in DeliberationConfig.ready): topics raised,
under way, in their 公示 period and decided, and the meetings held; topics by the
place they concern, meetings by their community (the models' Scope lookups)."""

from django.urls import reverse

from jiceng.core.tiles import TileKind, count_by_subtree, month_span, register_tile

from .models import Meeting, MeetingStatus, Topic
from .workflow import DECIDED_STATUSES, OPEN_STATUSES, Status

SECTION = "议事协商"
PERMISSION = "deliberation.view"


def topics_link(place):
    return reverse("deliberation:topic_list")


@register_tile(
    "deliberation.raised",
    title="新提议题",
    unit="件",
    section=SECTION,
    permission=PERMISSION,
    kind=TileKind.FLOW,
    order=10,
    link=topics_link,
)
def raised(places, month):
    """Topics raised within the month."""
    start, end = month_span(month)
    rows = Topic.objects.filter(created_at__gte=start, created_at__lt=end)
    return count_by_subtree(rows, places, "place__path")


@register_tile(
    "deliberation.open",
    history=False,
    title="在议议题",
    unit="件",
    section=SECTION,
    permission=PERMISSION,
    order=20,
    link=topics_link,
)
def open_topics(places, month):
    """Topics raised by the month's end and not yet closed (done, rejected or
    declined): workflow.OPEN_STATUSES, as they stand now."""
    _start, end = month_span(month)
    rows = Topic.objects.filter(status__in=OPEN_STATUSES, created_at__lt=end)
    return count_by_subtree(rows, places, "place__path")


@register_tile(
    "deliberation.publicity",
    history=False,
    title="公示中决议",
    unit="件",
    section=SECTION,
    permission=PERMISSION,
    order=30,
    link=lambda place: reverse("deliberation:public_list"),
)
def publicity(places, month):
    """Voted results in their 公示 period now."""
    _start, end = month_span(month)
    rows = Topic.objects.filter(status=Status.PUBLICITY, created_at__lt=end)
    return count_by_subtree(rows, places, "place__path")


@register_tile(
    "deliberation.decided",
    title="形成决议",
    unit="件",
    section=SECTION,
    permission=PERMISSION,
    kind=TileKind.FLOW,
    order=40,
    link=topics_link,
)
def decided(places, month):
    """Topics decided within the month (大事 after 公示, 小事 by consultation, 急事
    by the 两委), whether or not carried out since."""
    start, end = month_span(month)
    rows = Topic.objects.filter(
        status__in=DECIDED_STATUSES, decided_at__gte=start, decided_at__lt=end
    )
    return count_by_subtree(rows, places, "place__path")


@register_tile(
    "deliberation.meetings",
    title="议事会议召开",
    unit="场",
    section=SECTION,
    permission=PERMISSION,
    kind=TileKind.FLOW,
    order=50,
    link=lambda place: reverse("deliberation:meeting_list"),
)
def meetings(places, month):
    """Meetings of 议事会, 物管会, 三方联动 and 联席会 held within the month."""
    start, end = month_span(month)
    rows = Meeting.objects.filter(
        status=MeetingStatus.HELD, held_at__gte=start, held_at__lt=end
    )
    return count_by_subtree(rows, places, "community__path")
