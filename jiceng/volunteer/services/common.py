"""Helpers the volunteering services share: permission checks, conflicts, profiles."""

from django.core.exceptions import PermissionDenied, ValidationError

from jiceng.core.errors import Conflict, check_version  # noqa: F401
from jiceng.core.scope import has_permission, place_path_allowed, place_prefixes
from jiceng.places.models import PlaceKind

from ..errors import Code
from ..models import Volunteer


def require(actor, permission, message="没有执行此操作的权限"):
    if not has_permission(actor, permission):
        raise PermissionDenied(message)


def bad_state(message):
    return ValidationError(message, code=Code.BAD_STATE)


def require_manage(actor, place, message="该社区不在您的管理范围内"):
    """The actor holds volunteer.manage over the place."""
    if not place_path_allowed(place.path, place_prefixes(actor, "volunteer.manage")):
        raise PermissionDenied(message)


def can_at(actor, place, *permissions):
    return any(
        place_path_allowed(place.path, place_prefixes(actor, p)) for p in permissions
    )


def community_of(place):
    if place is None:
        return None
    return place.ancestor_of_kind(PlaceKind.COMMUNITY)


def is_user(actor):
    return actor is not None and getattr(actor, "is_authenticated", False)


def volunteer_of(user, *, create=True):
    """The user's volunteer profile, made from their resident record on first use."""
    if not is_user(user):
        return None
    found = Volunteer.objects.filter(user=user).first()
    if found is not None or not create:
        return found
    resident = getattr(user, "resident", None)
    if resident is None:
        raise ValidationError(
            "您的账号尚未关联居民登记信息，请联系社区登记后再参加志愿服务",
            code=Code.NO_PROFILE,
        )
    member = getattr(resident, "party_member", None)
    community = community_of(resident.place)
    if community is None:
        raise ValidationError("无法确定您所在的社区", code=Code.NO_PROFILE)
    volunteer, _ = Volunteer.objects.get_or_create(
        user=user,
        defaults={
            "resident": resident,
            "member": member,
            "name": resident.name,
            "community": community,
            "unit": (member.unit if member else None) or resident.work_unit,
        },
    )
    return volunteer


def public_name(volunteer):
    """A claimant's name as the public wall shows it: 张同志."""
    name = volunteer.name or ""
    return f"{name[:1]}同志" if name else "志愿者"
