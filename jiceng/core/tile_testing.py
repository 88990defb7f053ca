"""Helpers for the tests of dashboard tiles (each app's tests/test_tiles.py): the
demo district's streets and communities with an empty one of each, Shanghai
moments, and the check that a tile's figures equal a direct query per place."""

from datetime import datetime
from zoneinfo import ZoneInfo

from django.apps import apps

from .months import add_months
from .tiles import TILES

SHANGHAI = ZoneInfo("Asia/Shanghai")


def moment(*args):
    """A moment on the Shanghai clock: moment(2026, 10, 31, 23, 30)."""
    return datetime(*args, tzinfo=SHANGHAI)


def month_moments(month):
    """[the month's first moment, the next month's first moment), in Shanghai."""
    following = add_months(month, 1)
    return moment(month.year, month.month, 1), moment(
        following.year, following.month, 1
    )


def levels_with_empty_places():
    """{kind: places} for the demo district's streets and communities, plus a new
    street and community with no rows (last in path order)."""
    place_model = apps.get_model("places", "Place")  # core imports no app
    district = place_model.objects.get(kind="district")
    street = place_model.objects.add_child(
        district,
        {"name": "无数据街道", "kind": "street", "code": f"{district.code}987"},
    )
    place_model.objects.add_child(
        street, {"name": "无数据社区", "kind": "community", "code": f"{street.code}001"}
    )
    return {
        kind: list(place_model.objects.filter(kind=kind))
        for kind in ("street", "community")
    }


def under(queryset, lookup, place):
    """The rows of queryset whose place (lookup; "" for places) is under place."""
    prefix = f"{lookup}__path" if lookup else "path"
    return queryset.filter(**{f"{prefix}__startswith": place.path})


def assert_figures(key, month, places, direct):
    """The tile answers every place of the level with direct(place); the empty
    place (last) with 0 or none. Returns the figures."""
    figures = TILES[key].figures(places, month)
    assert {p.pk: figures.get(p.pk, 0) for p in places} == {
        p.pk: direct(p) for p in places
    }, key
    assert figures.get(places[-1].pk) in (None, 0)
    return figures
