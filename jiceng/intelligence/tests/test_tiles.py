"""Dashboard tiles of 未诉先办: each figure equals a direct query on the demo
district, per street and per community (an empty one included), in one query per
call, with the month's edges read in Asia/Shanghai."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from jiceng.cases.models import Category
from jiceng.core.tile_testing import levels_with_empty_places
from jiceng.core.tiles import TILES
from jiceng.intelligence.models import Kind, ProactiveTask, TaskStatus
from jiceng.places.models import Place, PlaceKind

KEYS = ["intelligence.found", "intelligence.closed", "intelligence.open"]
SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def month():
    return timezone.localdate().replace(day=1)


@pytest.fixture
def span(month):
    following = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return moment(month.year, month.month, 1), moment(
        following.year, following.month, 1
    )


@pytest.fixture
def levels(db):
    return levels_with_empty_places()


def moment(*args):
    return datetime(*args, tzinfo=SHANGHAI)


def under(queryset, lookup, place):
    prefix = f"{lookup}__path" if lookup else "path"
    return queryset.filter(**{f"{prefix}__startswith": place.path})


def assert_figures(key, month, places, direct):
    # when the tile answers for every place of the level
    figures = TILES[key].figures(places, month)
    # then each place's figure is the direct query's, the empty place's 0 or none
    assert {p.pk: figures.get(p.pk, 0) for p in places} == {
        p.pk: direct(p) for p in places
    }, key
    assert figures.get(places[-1].pk) in (None, 0)
    return figures


@pytest.fixture
def tasks(grids):
    """Proactive tasks on every other grid (the app's conftest clears the demo's)."""
    category = Category.objects.order_by("pk").first()
    now = timezone.now()
    return [
        ProactiveTask.objects.create(
            kind=Kind.CLUSTER,
            category=category,
            place=grid,
            summary="测试聚集",
            first=now,
            last=now,
        )
        for grid in grids[::2]
    ]


def test_the_tiles_are_registered_with_the_apps_view_permission():
    # given the registry filled in IntelligenceConfig.ready, when the tiles are
    # read, then each is there, readable with intelligence.view
    assert all(TILES[key].permission == "intelligence.view" for key in KEYS)
    assert TILES["intelligence.open"].better == "lower"


@pytest.mark.parametrize("kind", [PlaceKind.STREET, PlaceKind.COMMUNITY])
def test_figures_equal_direct_queries(levels, tasks, month, span, kind):
    # given proactive tasks on every other grid, one of them closed
    ProactiveTask.objects.filter(pk=tasks[0].pk).update(
        status=TaskStatus.CLOSED, closed_at=timezone.now()
    )
    places = levels[kind]
    start, end = span
    expected = {
        "intelligence.found": lambda p: under(
            ProactiveTask.objects.filter(created_at__gte=start, created_at__lt=end),
            "place",
            p,
        ).count(),
        "intelligence.closed": lambda p: under(
            ProactiveTask.objects.filter(
                status=TaskStatus.CLOSED, closed_at__gte=start, closed_at__lt=end
            ),
            "place",
            p,
        ).count(),
        "intelligence.open": lambda p: under(
            ProactiveTask.objects.filter(status=TaskStatus.OPEN), "place", p
        ).count(),
    }
    seen = [
        assert_figures(key, month, places, direct) for key, direct in expected.items()
    ]
    # and every task shows once, the closed one among the closed
    assert sum(seen[0].values()) == len(tasks)
    assert sum(seen[1].values()) == 1


@pytest.mark.parametrize("key", KEYS)
def test_one_query_whatever_the_number_of_places(
    levels, month, key, django_assert_max_num_queries
):
    # given every community of the district, when the tile answers for all of
    # them, then it costs one query
    with django_assert_max_num_queries(1):
        TILES[key].figures(levels[PlaceKind.COMMUNITY], month)


def test_a_task_counts_in_the_month_it_was_closed_in_shanghai(levels, tasks):
    # given two tasks closed either side of midnight on 1 December 2030, Shanghai
    first, second = tasks[:2]
    for task, at in (
        (first, moment(2030, 11, 30, 23, 59)),
        (second, moment(2030, 12, 1, 0, 1)),  # still 30 November in UTC
    ):
        ProactiveTask.objects.filter(pk=task.pk).update(
            status=TaskStatus.CLOSED, closed_at=at
        )
    district = Place.objects.get(kind=PlaceKind.DISTRICT)
    # when the tile answers for November and December 2030
    november = TILES["intelligence.closed"].figures([district], date(2030, 11, 1))
    december = TILES["intelligence.closed"].figures([district], date(2030, 12, 1))
    # then each task counts once, in its Shanghai month
    assert (november[district.pk], december[district.pk]) == (1, 1)
