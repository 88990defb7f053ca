"""Helpers the volunteering services share: state errors, places, profiles.

Permission and scope checks are core's (jiceng.core.scope: require_permission,
require_in_scope, require_place_in_scope, can); conflicts are core's Conflict.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from jiceng.core import audit
from jiceng.core.models import AuditAction
from jiceng.core.scope import covers
from jiceng.places.models import PlaceKind

from ..errors import Code
from ..models import Volunteer

MANAGE = "volunteer.manage"


def bad_state(message):
    return ValidationError(message, code=Code.BAD_STATE)


def can_at(actor, place, *permissions):
    """Whether a grant carrying any of the permissions covers the place.

    For rows about to be put at a place (a wish being collected), before any row
    exists for core.scope.can to ask about.
    """
    return any(covers(actor, place, p) for p in permissions)


def require_all_in_scope(rows, actor, action):
    """Raise PermissionDenied unless every row (of one model) is within the actor's
    scope for action: require_in_scope for what a bulk write made, in one query."""
    if not rows:
        return
    model = type(rows[0])
    found = model.objects.visible_to(actor, action).filter(pk__in=[r.pk for r in rows])
    if found.count() != len(rows):
        raise PermissionDenied("对象不在您的权限范围内")


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
    with transaction.atomic():
        volunteer, created = Volunteer.objects.get_or_create(
            user=user,
            defaults={
                "resident": resident,
                "member": member,
                "name": resident.name,
                "community": community,
                "unit": (member.unit if member else None) or resident.work_unit,
            },
        )
        if created:
            audit.record(actor=user, action=AuditAction.CREATE, target=volunteer)
    return volunteer


def public_name(volunteer):
    """A claimant's name as the public wall shows it: 张同志."""
    name = volunteer.name or ""
    return f"{name[:1]}同志" if name else "志愿者"
