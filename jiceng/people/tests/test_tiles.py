"""The registry tiles equal direct queries on the demo district (core.tiles)."""

from datetime import date, timedelta

import pytest

from jiceng.core.tiles import TILES, current_month
from jiceng.people.models import Household, Resident, ResidentTag, Unit
from jiceng.people.services import DUE_SOON_DAYS
from jiceng.places.models import Place, PlaceKind

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("kind", [PlaceKind.STREET, PlaceKind.GRID])
def test_registry_tiles_equal_direct_counts(kind):
    # given the places of a level
    places = list(Place.objects.filter(kind=kind))
    month = current_month()
    expected = {
        "people.residents": lambda p: Resident.objects.filter(
            place__path__startswith=p.path
        ).count(),
        "people.households": lambda p: Household.objects.filter(
            place__path__startswith=p.path
        ).count(),
        "people.units": lambda p: Unit.objects.filter(
            place__path__startswith=p.path
        ).count(),
        "people.key_due": lambda p: ResidentTag.objects.filter(
            resident__place__path__startswith=p.path,
            ended_on=None,
            next_review_on__lte=date.today() + timedelta(days=DUE_SOON_DAYS),
        ).count(),
    }
    for key, count in expected.items():
        # when the tile computes them
        figures = TILES[key].figures(places, month)
        # then each place's figure is the direct count under it
        for place in places:
            assert figures.get(place.pk, 0) == count(place), (key, place.code)
    district = Place.objects.get(kind=PlaceKind.DISTRICT)
    assert TILES["people.residents"].figures([district], month)[district.pk] == (
        Resident.objects.count()
    )
