"""Dashboard tiles of 双报到 and volunteering: each figure equals a direct query on
the demo district, per street and per community (an empty one included), in one
query per call, with the month's edges read in Asia/Shanghai."""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db.models import Sum
from django.utils import timezone

from jiceng.core.tile_testing import levels_with_empty_places
from jiceng.core.tiles import TILES, TileKind, month_bounds
from jiceng.places.models import Place, PlaceKind
from jiceng.volunteer import tiles
from jiceng.volunteer.models import (
    FINISHED_PROJECT,
    HoursSource,
    HoursStatus,
    MemberRegistration,
    Project,
    RegistrationStatus,
    ServiceHours,
    UnitRegistration,
    Volunteer,
    Wish,
    WishStatus,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")
KEYS = [
    "volunteer.members",
    "volunteer.units",
    "volunteer.hours",
    "volunteer.active",
    "volunteer.wishes_done",
    "volunteer.practical_rate",
]


@pytest.fixture
def month():
    return timezone.localdate().replace(day=1)


@pytest.fixture
def levels(db):
    return levels_with_empty_places()


def under(queryset, lookup, place):
    return queryset.filter(**{f"{lookup}__path__startswith": place.path})


def moment(*args):
    return datetime(*args, tzinfo=SHANGHAI)


def test_the_tiles_are_registered_with_the_apps_view_permission():
    # given the registry filled in VolunteerConfig.ready, when the tiles are read,
    # then each is there, readable with volunteer.view
    for key in KEYS:
        assert TILES[key].permission == "volunteer.view"
    assert TILES["volunteer.hours"].kind == TileKind.FLOW
    assert TILES["volunteer.practical_rate"].kind == TileKind.RATE


@pytest.mark.parametrize("kind", [PlaceKind.STREET, PlaceKind.COMMUNITY])
def test_counts_equal_direct_queries(levels, month, kind):
    # given the demo's registrations, hours and wishes
    places = levels[kind]
    start = moment(month.year, month.month, 1)
    end = datetime.combine(month_bounds(month)[1], datetime.min.time(), SHANGHAI)
    confirmed = ServiceHours.objects.filter(
        status=HoursStatus.CONFIRMED, started_at__gte=start, started_at__lt=end
    )
    expected = {
        "volunteer.members": lambda p: under(
            MemberRegistration.objects.filter(status=RegistrationStatus.CONFIRMED),
            "community",
            p,
        ).count(),
        "volunteer.units": lambda p: under(
            UnitRegistration.objects.filter(status=RegistrationStatus.CONFIRMED),
            "community",
            p,
        ).count(),
        "volunteer.hours": lambda p: float(
            under(confirmed, "community", p).aggregate(h=Sum("hours"))["h"] or 0
        ),
        "volunteer.active": lambda p: (
            under(confirmed, "community", p).values("volunteer").distinct().count()
        ),
        "volunteer.wishes_done": lambda p: under(
            Wish.objects.filter(
                status=WishStatus.DONE, done_at__gte=start, done_at__lt=end
            ),
            "place",
            p,
        ).count(),
    }
    for key, direct in expected.items():
        # when the tile answers for every place of the level
        figures = TILES[key].figures(places, month)
        # then each place's figure is the direct query's, the empty place's 0
        assert {p.pk: figures.get(p.pk, 0) for p in places} == {
            p.pk: direct(p) for p in places
        }, key
        assert figures.get(places[-1].pk, 0) == 0


@pytest.mark.parametrize("kind", [PlaceKind.STREET, PlaceKind.COMMUNITY])
def test_practical_rate_is_the_share_of_the_years_list_finished(levels, month, kind):
    # given the year's 为民办实事 projects, one of them finished in the test
    project = Project.objects.practical(month.year).first() or Project.objects.first()
    Project.objects.filter(pk=project.pk).update(
        practical=True, year=month.year, status=FINISHED_PROJECT[0]
    )
    places = levels[kind]
    # when the tile answers
    figures = TILES["volunteer.practical_rate"].figures(places, month)
    # then each place's rate is finished / listed from a direct query, and a place
    # with no list has no rate (not 0 %)
    for place in places:
        listed = under(Project.objects.practical(month.year), "community", place)
        done = listed.filter(status__in=FINISHED_PROJECT).count()
        total = listed.count()
        assert figures[place.pk] == (round(100 * done / total, 1) if total else None)
    assert figures[places[-1].pk] is None
    assert any(value for value in figures.values())


@pytest.mark.parametrize("key", KEYS)
def test_one_query_per_call_whatever_the_number_of_places(
    levels, month, key, django_assert_max_num_queries
):
    # given every community of the district
    places = levels[PlaceKind.COMMUNITY]
    # when the tile answers for all of them, then it costs one query
    with django_assert_max_num_queries(1):
        TILES[key].figures(places, month)


def test_hours_fall_in_the_month_they_start_in_shanghai(levels):
    # given a volunteer's confirmed stretches either side of 1 November, Shanghai
    volunteer = Volunteer.objects.filter(community__isnull=False).first()
    community = volunteer.community

    def stretch(start, hours):
        return ServiceHours.objects.create(
            volunteer=volunteer,
            community=community,
            source=HoursSource.SELF,
            title="测试服务",
            started_at=start,
            ended_at=start + (moment(2000, 1, 1, 1) - moment(2000, 1, 1)),
            hours=Decimal(hours),
            status=HoursStatus.CONFIRMED,
        )

    stretch(moment(2030, 10, 31, 23, 30), "1.5")  # 15:30 UTC on the 31st
    stretch(moment(2030, 11, 1, 0, 10), "2.0")  # still 31 October in UTC
    stretch(moment(2030, 11, 30, 23, 0), "0.5")
    stretch(moment(2030, 12, 1, 0, 0), "4.0")
    # when the hours tile answers for October and November 2030
    october = tiles.hours([community], date(2030, 10, 1))
    november = tiles.hours([community], date(2030, 11, 1))
    active = tiles.active([community], date(2030, 11, 1))
    # then each stretch counts in its Shanghai month
    assert october[community.pk] == 1.5
    assert november[community.pk] == 2.5
    assert active[community.pk] == 1


def test_a_wish_done_counts_in_the_month_it_was_done(levels):
    # given two wishes done either side of midnight on 1 December, Shanghai
    wishes = list(Wish.objects.all()[:2])
    Wish.objects.filter(pk=wishes[0].pk).update(
        status=WishStatus.DONE, done_at=moment(2030, 11, 30, 23, 59)
    )
    Wish.objects.filter(pk=wishes[1].pk).update(
        status=WishStatus.DONE, done_at=moment(2030, 12, 1, 0, 1)
    )
    district = Place.objects.get(kind=PlaceKind.DISTRICT)
    # when the tile answers for November and December 2030
    november = tiles.wishes_done([district], date(2030, 11, 1))
    december = tiles.wishes_done([district], date(2030, 12, 1))
    # then each wish counts once, in its own month
    assert november[district.pk] == 1
    assert december[district.pk] == 1
