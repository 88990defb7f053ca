"""Dashboard tiles of 一窗受理: each figure equals a direct query on the demo
district, per street and per community (an empty one included), in one query per
call (two for a rate), with the month's edges read in Asia/Shanghai."""

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
from jiceng.core.tiles import TILES, TileKind, rate
from jiceng.onewindow.models import (
    FINISHED,
    OPEN,
    Application,
    Appointment,
    AppointmentStatus,
    ServicePoint,
)
from jiceng.places.models import Place, PlaceKind

RATES = {"onewindow.one_visit_rate"}
KEYS = [
    "onewindow.received",
    "onewindow.finished",
    "onewindow.one_visit_rate",
    "onewindow.overdue",
    "onewindow.appointments",
    "onewindow.points",
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
    # given the registry filled in OnewindowConfig.ready, when the tiles are read,
    # then each is there, readable with onewindow.view
    assert all(TILES[key].permission == "onewindow.view" for key in KEYS)
    assert TILES["onewindow.one_visit_rate"].kind == TileKind.RATE
    assert TILES["onewindow.overdue"].better == "lower"


@pytest.mark.parametrize("kind", [PlaceKind.STREET, PlaceKind.COMMUNITY])
def test_figures_equal_direct_queries(levels, month, span, kind):
    # given the demo's applications, appointments and service points
    places = levels[kind]
    start, end = span
    finished = Application.objects.filter(
        status__in=FINISHED, decided_at__gte=start, decided_at__lt=end
    )
    expected = {
        "onewindow.received": lambda p: under(
            Application.objects.filter(submitted_at__gte=start, submitted_at__lt=end),
            "place",
            p,
        ).count(),
        "onewindow.finished": lambda p: under(finished, "place", p).count(),
        "onewindow.one_visit_rate": lambda p: rate(
            under(finished.filter(visits__lte=1), "place", p).count(),
            under(finished, "place", p).count(),
        ),
        "onewindow.overdue": lambda p: under(
            Application.objects.filter(status__in=OPEN, deadline__lt=timezone.now()),
            "place",
            p,
        ).count(),
        "onewindow.appointments": lambda p: under(
            Appointment.objects.exclude(status=AppointmentStatus.CANCELLED).filter(
                slot__starts_at__gte=start, slot__starts_at__lt=end
            ),
            "slot__point__place",
            p,
        ).count(),
        "onewindow.points": lambda p: under(
            ServicePoint.objects.filter(active=True), "place", p
        ).count(),
    }
    seen = [
        assert_figures(key, month, places, direct) for key, direct in expected.items()
    ]
    # and the demo's open service points show somewhere
    assert any(seen[-1].values())


@pytest.mark.parametrize("key", KEYS)
def test_a_fixed_number_of_queries_whatever_the_number_of_places(
    levels, month, key, django_assert_max_num_queries
):
    # given every community of the district, when the tile answers for all of
    # them, then it costs one query (two for a rate: its part and its whole)
    with django_assert_max_num_queries(2 if key in RATES else 1):
        TILES[key].figures(levels[PlaceKind.COMMUNITY], month)


def test_an_application_counts_in_the_month_it_was_submitted_in_shanghai(levels):
    # given two applications submitted either side of 1 November 2030, Shanghai
    first, second = Application.objects.all()[:2]
    Application.objects.filter(pk=first.pk).update(
        submitted_at=moment(2030, 10, 31, 23, 30)  # 15:30 UTC on the 31st
    )
    Application.objects.filter(pk=second.pk).update(
        submitted_at=moment(2030, 11, 1, 0, 10)  # still 31 October in UTC
    )
    district = Place.objects.get(kind=PlaceKind.DISTRICT)
    # when the tile answers for October and November 2030
    october = TILES["onewindow.received"].figures([district], date(2030, 10, 1))
    november = TILES["onewindow.received"].figures([district], date(2030, 11, 1))
    # then each application counts once, in its Shanghai month
    assert (october[district.pk], november[district.pk]) == (1, 1)


def test_the_one_visit_rate_counts_the_applicants_who_came_at_most_once(levels):
    # given three applications finished in November 2030, one taking two visits
    rows = list(Application.objects.all()[:3])
    for row, visits in zip(rows, (0, 1, 2), strict=True):
        Application.objects.filter(pk=row.pk).update(
            status=FINISHED[0], decided_at=moment(2030, 11, 15, 10), visits=visits
        )
    district = Place.objects.get(kind=PlaceKind.DISTRICT)
    # when the rate is read for November 2030
    figures = TILES["onewindow.one_visit_rate"].figures([district], date(2030, 11, 1))
    # then two of the three came at most once
    assert figures[district.pk] == 66.7
