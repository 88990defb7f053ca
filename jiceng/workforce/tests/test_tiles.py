"""Dashboard tiles of the community workforce: each figure equals a direct query on
the demo district, per street and per community (an empty one included), in one
query per call (two for the coverage rate), with the month's edges read in
Asia/Shanghai."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db.models import Sum
from django.utils import timezone

from jiceng.core.tile_testing import (
    assert_figures,
    levels_with_empty_places,
    moment,
    month_moments,
    under,
)
from jiceng.core.tiles import TILES, TileKind, rate
from jiceng.people.models import Household
from jiceng.places.models import Place, PlaceKind
from jiceng.workforce.models import Deployment, Patrol, Visit, Worker, WorkerStatus

RATES = {"workforce.visit_coverage"}
KEYS = [
    "workforce.workers",
    "workforce.visit_coverage",
    "workforce.patrols",
    "workforce.patrol_km",
    "workforce.duty_hours",
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
    # given the registry filled in WorkforceConfig.ready, when the tiles are read,
    # then each is there, readable with workforce.view
    assert all(TILES[key].permission == "workforce.view" for key in KEYS)
    assert TILES["workforce.visit_coverage"].kind == TileKind.RATE


@pytest.mark.parametrize("kind", [PlaceKind.STREET, PlaceKind.COMMUNITY])
def test_figures_equal_direct_queries(levels, month, span, kind):
    # given the demo's workers, visits and patrols, and one duty shift served
    start, end = span
    Deployment.objects.filter(pk=Deployment.objects.order_by("pk").first().pk).update(
        starts_at=start + timedelta(hours=9),
        ends_at=start + timedelta(hours=12),
        hours=Decimal("2.5"),
    )
    places = levels[kind]
    last_day = end.date() - timedelta(days=1)
    patrols = Patrol.objects.filter(started_at__gte=start, started_at__lt=end)
    deployments = Deployment.objects.filter(
        starts_at__gte=start, starts_at__lt=end, hours__isnull=False
    )
    expected = {
        "workforce.workers": lambda p: under(
            Worker.objects.filter(status=WorkerStatus.ACTIVE, hired_on__lte=last_day),
            "community",
            p,
        ).count(),
        "workforce.visit_coverage": lambda p: rate(
            under(Visit.objects.filter(at__gte=start, at__lt=end), "grid", p)
            .values("household")
            .distinct()
            .count(),
            under(Household.objects.all(), "place", p).count(),
        ),
        "workforce.patrols": lambda p: under(patrols, "grid", p).count(),
        "workforce.patrol_km": lambda p: round(
            (under(patrols, "grid", p).aggregate(m=Sum("metres"))["m"] or 0) / 1000, 1
        ),
        "workforce.duty_hours": lambda p: float(
            under(deployments, "shift__post__mobilisation__area", p).aggregate(
                h=Sum("hours")
            )["h"]
            or 0
        ),
    }
    seen = [
        assert_figures(key, month, places, direct) for key, direct in expected.items()
    ]
    # and the demo gives the level workers to show, the street the served shift
    # (its mobilisation covers a street)
    assert any(seen[0].values())
    if kind == PlaceKind.STREET:
        assert sum(seen[-1].values()) == 2.5


@pytest.mark.parametrize("key", KEYS)
def test_a_fixed_number_of_queries_whatever_the_number_of_places(
    levels, month, key, django_assert_max_num_queries
):
    # given every community of the district, when the tile answers for all of
    # them, then it costs one query (two for a rate: its part and its whole)
    with django_assert_max_num_queries(2 if key in RATES else 1):
        TILES[key].figures(levels[PlaceKind.COMMUNITY], month)


def test_a_patrol_counts_in_the_month_it_starts_in_shanghai(levels):
    # given two patrols either side of midnight on 1 November 2030, Shanghai
    first, second = Patrol.objects.order_by("pk")[:2]
    for patrol, at, metres in (
        (first, moment(2030, 10, 31, 23, 30), 1200),  # 15:30 UTC on the 31st
        (second, moment(2030, 11, 1, 0, 10), 2600),  # still 31 October in UTC
    ):
        Patrol.objects.filter(pk=patrol.pk).update(
            started_at=at, ended_at=at + timedelta(minutes=30), metres=metres
        )
    district = Place.objects.get(kind=PlaceKind.DISTRICT)
    for key, october, november in (
        ("workforce.patrols", 1, 1),
        ("workforce.patrol_km", 1.2, 2.6),
    ):
        # when the tile answers for October and November 2030
        got = [
            TILES[key].figures([district], date(2030, m, 1))[district.pk]
            for m in (10, 11)
        ]
        # then each patrol counts in its Shanghai month
        assert got == [october, november], key
