"""The territory's dashboard tiles (core.tiles): grids and compounds under a place."""

from django.urls import reverse

from jiceng.core.tiles import count_by_subtree, register_tile

from .models import Place, PlaceKind

SECTION = "辖区网格"
PERMISSION = "places.view"


def place_page(place):
    return reverse("places:detail", args=[place.pk])


def _count_kind(kind):
    def figures(places, month):
        return count_by_subtree(Place.objects.filter(kind=kind), places, "path")

    return figures


register_tile(
    "places.grids",
    title="网格",
    unit="个",
    section=SECTION,
    permission=PERMISSION,
    order=10,
    link=place_page,
    history=False,
)(_count_kind(PlaceKind.GRID))
register_tile(
    "places.compounds",
    title="小区",
    unit="个",
    section=SECTION,
    permission=PERMISSION,
    order=20,
    link=place_page,
    history=False,
)(_count_kind(PlaceKind.COMPOUND))
