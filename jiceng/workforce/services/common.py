"""Helpers the workforce services share."""

from django.core.exceptions import PermissionDenied, ValidationError

from jiceng.core.scope import covers
from jiceng.places.models import PlaceKind

from ..errors import Code

MANAGE = "workforce.manage"
PATROL = "workforce.patrol"
MOBILISE = "workforce.mobilise"


def bad_state(message, code=Code.BAD_STATE):
    return ValidationError(message, code=code)


def require_covers(actor, place, permission, message="该地点不在您的权限范围内"):
    if place is None or not covers(actor, place, permission):
        raise PermissionDenied(message)


def of_kind(place, kind):
    return None if place is None else place.ancestor_of_kind(kind)


def community_of(place):
    return of_kind(place, PlaceKind.COMMUNITY)


def grid_of(place):
    return of_kind(place, PlaceKind.GRID)


def is_user(actor):
    return actor is not None and getattr(actor, "is_authenticated", False)
