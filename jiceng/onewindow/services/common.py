"""Helpers the one-window services share."""

from django.core.exceptions import PermissionDenied, ValidationError

from jiceng.core.scope import covers, grants_for
from jiceng.places.models import PlaceKind

from ..errors import Code


def bad_state(message):
    return ValidationError(message, code=Code.BAD_STATE)


def community_of(place):
    if place is None:
        return None
    if place.kind == PlaceKind.COMMUNITY:
        return place
    return place.ancestor_of_kind(PlaceKind.COMMUNITY)


def street_of(place):
    if place is None:
        return None
    if place.kind == PlaceKind.STREET:
        return place
    return place.ancestor_of_kind(PlaceKind.STREET)


def district_of(place):
    if place is None:
        return None
    if place.kind == PlaceKind.DISTRICT:
        return place
    return place.ancestor_of_kind(PlaceKind.DISTRICT)


def require_covers(actor, place, permission, message="该地点不在您的权限范围内"):
    if not covers(actor, place, permission):
        raise PermissionDenied(message)


def departments_of(actor, permission) -> set[int]:
    return {
        g.department_id
        for g in grants_for(actor)
        if g.department_id and g.allows(permission)
    }


def resident_of(user):
    """The resident record linked to a user account, or an error for the phone."""
    resident = getattr(user, "resident", None) if user is not None else None
    if resident is None:
        raise ValidationError(
            "您的账号尚未关联居民登记信息，请到社区窗口办理或联系网格员代办",
            code=Code.NO_PROFILE,
        )
    return resident
