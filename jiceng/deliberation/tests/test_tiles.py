"""Dashboard tiles of 议事协商: each figure equals a direct query on the demo
district, per street and per community (an empty one included), in one query per
call, with the month's edges read in Asia/Shanghai."""

from datetime import date

import pytest
from django.utils import timezone

from jiceng.core.tile_testing import (
    assert_figures,
    levels_with_empty_places,
    moment,
    month_moments,
    under,
)
from jiceng.core.tiles import TILES, TileKind
from jiceng.deliberation.models import Meeting, MeetingStatus, Topic
from jiceng.deliberation.workflow import DECIDED_STATUSES, OPEN_STATUSES, Status
from jiceng.places.models import Place, PlaceKind

KEYS = [
    "deliberation.raised",
    "deliberation.open",
    "deliberation.publicity",
    "deliberation.decided",
    "deliberation.meetings",
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
    # given the registry filled in DeliberationConfig.ready, when the tiles are
    # read, then each is there, readable with deliberation.view
    assert all(TILES[key].permission == "deliberation.view" for key in KEYS)
    assert TILES["deliberation.raised"].kind == TileKind.FLOW


@pytest.mark.parametrize("kind", [PlaceKind.STREET, PlaceKind.COMMUNITY])
def test_figures_equal_direct_queries(levels, month, span, kind):
    # given the demo's topics and meetings
    places = levels[kind]
    start, end = span
    expected = {
        "deliberation.raised": lambda p: under(
            Topic.objects.filter(created_at__gte=start, created_at__lt=end),
            "place",
            p,
        ).count(),
        "deliberation.open": lambda p: under(
            Topic.objects.filter(status__in=OPEN_STATUSES), "place", p
        ).count(),
        "deliberation.publicity": lambda p: under(
            Topic.objects.filter(status=Status.PUBLICITY), "place", p
        ).count(),
        "deliberation.decided": lambda p: under(
            Topic.objects.filter(
                status__in=DECIDED_STATUSES, decided_at__gte=start, decided_at__lt=end
            ),
            "place",
            p,
        ).count(),
        "deliberation.meetings": lambda p: under(
            Meeting.objects.filter(
                status=MeetingStatus.HELD, held_at__gte=start, held_at__lt=end
            ),
            "community",
            p,
        ).count(),
    }
    seen = [
        assert_figures(key, month, places, direct) for key, direct in expected.items()
    ]
    # and the demo's open topics show somewhere
    assert any(seen[1].values())


@pytest.mark.parametrize("key", KEYS)
def test_one_query_whatever_the_number_of_places(
    levels, month, key, django_assert_max_num_queries
):
    # given every community of the district, when the tile answers for all of
    # them, then it costs one query
    with django_assert_max_num_queries(1):
        TILES[key].figures(levels[PlaceKind.COMMUNITY], month)


def test_topics_count_in_the_month_they_were_raised_and_decided_in_shanghai(levels):
    # given two topics raised and decided either side of 1 November 2030, Shanghai
    first, second = Topic.objects.all()[:2]
    Topic.objects.filter(pk=first.pk).update(
        created_at=moment(2030, 10, 31, 23, 30),  # 15:30 UTC on the 31st
        decided_at=moment(2030, 10, 31, 23, 59),
        status=Status.DECIDED,
    )
    Topic.objects.filter(pk=second.pk).update(
        created_at=moment(2030, 11, 1, 0, 10),  # still 31 October in UTC
        decided_at=moment(2030, 11, 1, 0, 0),
        status=Status.DONE,
    )
    district = Place.objects.get(kind=PlaceKind.DISTRICT)
    for key in ("deliberation.raised", "deliberation.decided"):
        # when the tile answers for October and November 2030
        october = TILES[key].figures([district], date(2030, 10, 1))
        november = TILES[key].figures([district], date(2030, 11, 1))
        # then each topic counts once, in its Shanghai month
        assert (october[district.pk], november[district.pk]) == (1, 1), key
