"""Dashboard tiles of 共建共治: each figure equals a direct query on the demo district,
per street and per community (an empty one included), in one or two queries per
call, with the month's edges read in Asia/Shanghai."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from jiceng.alliances.models import (
    Booking,
    Meeting,
    MeetingStatus,
    Pair,
    PairKind,
    Task,
    Visit,
)
from jiceng.core.tile_testing import (
    assert_figures,
    levels_with_empty_places,
    moment,
    month_moments,
    under,
)
from jiceng.core.tiles import TILES, rate
from jiceng.places.models import Place, PlaceKind

RATES = {"alliances.pair_coverage"}
KEYS = [
    "alliances.pair_coverage",
    "alliances.pair_units",
    "alliances.visits",
    "alliances.meetings",
    "alliances.tasks_overdue",
    "alliances.bookings",
]


@pytest.fixture
def month():
    return timezone.localdate().replace(day=1)


@pytest.fixture
def span(month):
    return month_moments(month)


@pytest.fixture
def levels(db):
    """Streets and communities of the demo district, plus one of each with no rows."""
    return levels_with_empty_places()


def test_the_tiles_are_registered_with_the_apps_view_permission():
    # given the registry filled in AlliancesConfig.ready, when the tiles are read,
    # then each is there, readable with alliances.view
    assert all(TILES[key].permission == "alliances.view" for key in KEYS)
    assert TILES["alliances.tasks_overdue"].better == "lower"


@pytest.mark.parametrize("kind", [PlaceKind.STREET, PlaceKind.COMMUNITY])
def test_figures_equal_direct_queries(levels, month, span, kind):
    # given the demo's pairings, visits, meetings, tasks and bookings
    places = levels[kind]
    start, end = span
    first, following = month, end.date()
    pairs = Pair.objects.filter(kind=PairKind.UNIT_COMPOUND, active=True)
    expected = {
        "alliances.pair_coverage": lambda p: rate(
            under(pairs, "place", p).values("place").distinct().count(),
            under(Place.objects.filter(kind=PlaceKind.COMPOUND), "", p).count(),
        ),
        "alliances.pair_units": lambda p: (
            under(pairs, "place", p)
            .exclude(unit=None)
            .values("unit")
            .distinct()
            .count()
        ),
        "alliances.visits": lambda p: under(
            Visit.objects.filter(visited_on__gte=first, visited_on__lt=following),
            "pair__place",
            p,
        ).count(),
        "alliances.meetings": lambda p: under(
            Meeting.objects.filter(
                status=MeetingStatus.HELD, starts_at__gte=start, starts_at__lt=end
            ),
            "place",
            p,
        ).count(),
        "alliances.tasks_overdue": lambda p: under(
            Task.objects.overdue(), "place", p
        ).count(),
        "alliances.bookings": lambda p: under(
            Booking.objects.live().filter(starts_at__gte=start, starts_at__lt=end),
            "venue__place",
            p,
        ).count(),
    }
    seen = [
        assert_figures(key, month, places, direct) for key, direct in expected.items()
    ]
    # and the demo gives the street level something to show
    if kind == PlaceKind.STREET:
        assert any(seen[0].values()) and any(seen[1].values())


@pytest.mark.parametrize("key", KEYS)
def test_a_fixed_number_of_queries_whatever_the_number_of_places(
    levels, month, key, django_assert_max_num_queries
):
    # given every community of the district, when the tile answers for all of
    # them, then it costs one query (two for a rate: its part and its whole)
    with django_assert_max_num_queries(2 if key in RATES else 1):
        TILES[key].figures(levels[PlaceKind.COMMUNITY], month)


def test_a_meeting_counts_in_the_month_it_starts_in_shanghai(levels):
    # given two held meetings either side of midnight on 1 November 2030, Shanghai
    first, second = Meeting.objects.all()[:2]
    for meeting, start in (
        (first, moment(2030, 10, 31, 23, 30)),  # 15:30 UTC on the 31st
        (second, moment(2030, 11, 1, 0, 10)),  # still 31 October in UTC
    ):
        Meeting.objects.filter(pk=meeting.pk).update(
            status=MeetingStatus.HELD,
            starts_at=start,
            ends_at=start + timedelta(minutes=20),
        )
    district = Place.objects.get(kind=PlaceKind.DISTRICT)
    # when the tile answers for October and November 2030
    october = TILES["alliances.meetings"].figures([district], date(2030, 10, 1))
    november = TILES["alliances.meetings"].figures([district], date(2030, 11, 1))
    # then each meeting counts once, in its Shanghai month
    assert october[district.pk] == 1
    assert november[district.pk] == 1
