"""core.tiles: the grouped subtree counts every tile builds on, on SQLite and on
PostgreSQL (run the file with DATABASE_URL set for the second).

core imports no app: the demo district's models are looked up by name."""

from datetime import date

import pytest
from django.apps import apps
from django.db.models import Count, Q

from jiceng.core import tiles
from jiceng.core.tiles import (
    add_months,
    count_by_subtree,
    month_bounds,
    tally_by_subtree,
)

pytestmark = pytest.mark.django_db


def model(label):
    return apps.get_model(*label.split("."))


def places_of(kind):
    return list(model("places.Place").objects.filter(kind=kind).order_by("path"))


def direct(queryset, lookup, place):
    return queryset.filter(**{f"{lookup}__startswith": place.path}).count()


@pytest.mark.parametrize("kind", ["district", "street", "community", "grid"])
def test_count_by_subtree_equals_a_count_under_each_place(kind):
    # given the places of a level and the residents
    Resident = model("people.Resident")
    places = places_of(kind)
    # when they are counted in one grouped query
    counts = count_by_subtree(Resident.objects.all(), places, "place__path")
    # then each place has the residents under it; empty places are left out
    for place in places:
        assert counts.get(place.pk, 0) == direct(
            Resident.objects.all(), "place__path", place
        )
    assert (
        sum(counts.values())
        == Resident.objects.filter(
            Q(place__path__startswith=places[0].path[:4])
        ).count()
    )


def test_many_places_read_through_their_common_ancestor(monkeypatch):
    # given more places than one statement ORs (the threshold lowered to one)
    monkeypatch.setattr(tiles, "MANY_PLACES", 1)
    Place = model("places.Place")
    grids = places_of("grid")
    assert len(grids) > 1
    # when the grids' compounds are counted
    counts = count_by_subtree(Place.objects.filter(kind="compound"), grids, "path")
    # then the same counts as place by place
    for grid in grids:
        assert counts.get(grid.pk, 0) == direct(
            Place.objects.filter(kind="compound"), "path", grid
        )


def test_a_subset_of_places_counts_only_those():
    # given two of the communities
    Resident = model("people.Resident")
    chosen = places_of("community")[:2]
    # when counted
    counts = count_by_subtree(Resident.objects.all(), chosen, "place__path")
    # then only they answer
    assert set(counts) <= {p.pk for p in chosen}


def test_distinct_and_tallies():
    # given the streets and the households' residents
    Resident = model("people.Resident")
    streets = places_of("street")
    # when distinct households and two aggregates are counted
    households = count_by_subtree(
        Resident.objects.exclude(household=None),
        streets,
        "place__path",
        distinct="household",
    )
    tally = tally_by_subtree(
        Resident.objects.all(),
        streets,
        "place__path",
        n=Count("pk"),
        housed=Count("pk", filter=Q(household__isnull=False)),
    )
    # then they agree with direct queries
    for street in streets:
        under = Resident.objects.filter(place__path__startswith=street.path)
        assert households.get(street.pk, 0) == (
            under.exclude(household=None).values("household").distinct().count()
        )
        assert tally[street.pk] == {
            "n": under.count(),
            "housed": under.exclude(household=None).count(),
        }


def test_places_of_mixed_kinds_are_refused():
    Resident = model("people.Resident")
    with pytest.raises(ValueError):
        count_by_subtree(
            Resident.objects.all(),
            places_of("street")[:1] + places_of("community")[:1],
            "place__path",
        )


def test_no_places_no_query(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert count_by_subtree(model("people.Resident").objects.all(), [], "x") == {}


def test_months():
    assert month_bounds(date(2026, 12, 15)) == (date(2026, 12, 1), date(2027, 1, 1))
    assert add_months(date(2026, 1, 1), -1) == date(2025, 12, 1)
    assert add_months(date(2026, 11, 1), 14) == date(2028, 1, 1)
