"""The territory tiles equal direct queries on the demo district (core.tiles)."""

import pytest

from jiceng.core.tiles import TILES, current_month
from jiceng.places.models import Place, PlaceKind

pytestmark = pytest.mark.django_db


def test_grids_and_compounds_under_each_community():
    # given the demo communities
    places = list(Place.objects.filter(kind=PlaceKind.COMMUNITY))
    for key, kind in (
        ("places.grids", PlaceKind.GRID),
        ("places.compounds", PlaceKind.COMPOUND),
    ):
        # when the tile computes them
        figures = TILES[key].figures(places, current_month())
        # then each equals the places of that kind in the community's subtree
        for place in places:
            expected = Place.objects.filter(
                kind=kind, path__startswith=place.path
            ).count()
            assert figures.get(place.pk, 0) == expected, (key, place.code)
