"""Dashboard tiles of 考核督察: each figure equals a direct query on the demo
district, per street and per community (an empty one included), in one query per
call, with the month's edges read in Asia/Shanghai."""

from datetime import date, timedelta

import pytest
from django.db.models import Count, Sum
from django.utils import timezone

from jiceng.assessment import periods
from jiceng.assessment.models import (
    OPEN_PROBLEM,
    Problem,
    ProblemStatus,
    Rating,
    Spending,
)
from jiceng.core.tile_testing import (
    assert_figures,
    levels_with_empty_places,
    moment,
    month_moments,
    under,
)
from jiceng.core.tiles import TILES, TileKind, rate
from jiceng.places.models import Place, PlaceKind

KEYS = [
    "assessment.rectified_rate",
    "assessment.problems_found",
    "assessment.problems_overdue",
    "assessment.property_rating",
    "assessment.spending",
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
    # given the registry filled in AssessmentConfig.ready, when the tiles are read,
    # then each is there, readable with assessment.view
    assert all(TILES[key].permission == "assessment.view" for key in KEYS)
    assert TILES["assessment.rectified_rate"].kind == TileKind.RATE
    assert TILES["assessment.problems_overdue"].better == "lower"


@pytest.mark.parametrize("kind", [PlaceKind.STREET, PlaceKind.COMMUNITY])
@pytest.mark.parametrize("back", [0, 1])
def test_figures_equal_direct_queries(levels, month, kind, back):
    # given the demo's ledger, ratings and spending, read for this month and the
    # one before (the demo spends last month), one problem verified in the test
    Problem.objects.filter(pk=Problem.objects.order_by("pk").first().pk).update(
        status=ProblemStatus.VERIFIED
    )
    month = (month - timedelta(days=1)).replace(day=1) if back else month
    following = (month + timedelta(days=31)).replace(day=1)
    start, end = (
        moment(month.year, month.month, 1),
        moment(following.year, following.month, 1),
    )
    last_day = min(following - timedelta(days=1), timezone.localdate())
    places = levels[kind]
    found = Problem.objects.filter(created_at__lt=end)

    def mean(place):
        got = under(
            Rating.objects.filter(period=periods.quarter_of(month)), "compound", place
        ).aggregate(total=Sum("score"), n=Count("pk"))
        return round(float(got["total"]) / got["n"], 1) if got["n"] else None

    expected = {
        "assessment.rectified_rate": lambda p: rate(
            under(found.filter(status=ProblemStatus.VERIFIED), "place", p).count(),
            under(found, "place", p).count(),
        ),
        "assessment.problems_found": lambda p: under(
            Problem.objects.filter(created_at__gte=start, created_at__lt=end),
            "place",
            p,
        ).count(),
        "assessment.problems_overdue": lambda p: under(
            found.filter(status__in=OPEN_PROBLEM, deadline__lt=last_day), "place", p
        ).count(),
        "assessment.property_rating": mean,
        "assessment.spending": lambda p: float(
            under(
                Spending.objects.filter(spent_on__gte=month, spent_on__lt=following),
                "budget__community",
                p,
            ).aggregate(a=Sum("amount"))["a"]
            or 0
        ),
    }
    seen = [
        assert_figures(key, month, places, direct) for key, direct in expected.items()
    ]
    # and the demo's ledger shows this month, its spending the month before
    assert any(seen[-1 if back else 0].values())


def test_the_property_rating_is_the_quarters_mean(levels):
    # given the households' ratings of the demo's latest rated quarter
    period = Rating.objects.order_by("-period").values_list("period", flat=True)[0]
    month = periods.bounds(period)[0]
    district = Place.objects.get(kind=PlaceKind.DISTRICT)
    ratings = Rating.objects.filter(period=period)
    # when the tile answers for a month of that quarter
    figures = TILES["assessment.property_rating"].figures([district], month)
    # then it is the mean of the quarter's ratings, to one decimal
    total = sum(r.score for r in ratings)
    assert figures[district.pk] == round(float(total) / ratings.count(), 1)


@pytest.mark.parametrize("key", KEYS)
def test_one_query_whatever_the_number_of_places(
    levels, month, key, django_assert_max_num_queries
):
    # given every community of the district, when the tile answers for all of
    # them, then it costs one query
    with django_assert_max_num_queries(1):
        TILES[key].figures(levels[PlaceKind.COMMUNITY], month)


def test_a_problem_counts_in_the_month_it_was_found_in_shanghai(levels):
    # given two problems found either side of midnight on 1 November 2030, Shanghai
    first, second = Problem.objects.order_by("pk")[:2]
    Problem.objects.filter(pk=first.pk).update(
        created_at=moment(2030, 10, 31, 23, 30)  # 15:30 UTC on the 31st
    )
    Problem.objects.filter(pk=second.pk).update(
        created_at=moment(2030, 11, 1, 0, 10)  # still 31 October in UTC
    )
    district = Place.objects.get(kind=PlaceKind.DISTRICT)
    # when the tile answers for October and November 2030
    october = TILES["assessment.problems_found"].figures([district], date(2030, 10, 1))
    november = TILES["assessment.problems_found"].figures([district], date(2030, 11, 1))
    # then each problem counts once, in its Shanghai month
    assert (october[district.pk], november[district.pk]) == (1, 1)
