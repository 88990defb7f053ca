"""Helpers the workforce pages share."""

from datetime import date

from django.db.models import Q

from jiceng.core.bounds import parse_id
from jiceng.core.scope import path_prefix, place_prefixes
from jiceng.places.models import Place, PlaceKind


def places_for(user, permission, kind):
    """Places of a kind inside the user's subtrees for a permission (or above them:
    a grid worker's community)."""
    prefixes = place_prefixes(user, permission)
    if not prefixes:
        return Place.objects.none()
    if "" in prefixes:
        return Place.objects.filter(kind=kind)
    within = Q(pk__in=[])
    for prefix in prefixes:
        within |= path_prefix(prefix)
    return Place.objects.filter(within, kind=kind)


def grids_for(user, permission="workforce.patrol"):
    return places_for(user, permission, PlaceKind.GRID).order_by("path")


def int_or(value, default):
    """A positive whole number from a form or query (ids, years, counts, days), else
    default — also when it is out of the database's range (core.bounds.parse_id), so
    a huge number is never looked up (SQLite would overflow)."""
    parsed = parse_id(value)
    return default if parsed is None else parsed


def month_or(value, default):
    """A "YYYY-MM" parameter as its first day, else default."""
    try:
        year, month = str(value).split("-")[:2]
        return date(int(year), int(month), 1)
    except (TypeError, ValueError):
        return default
