"""The party-organisation tree on places, and the 大工委/大党委 rosters of member
units and part-time members."""

from django.core.exceptions import ValidationError
from django.db import transaction

from jiceng.core import audit
from jiceng.core.models import AuditAction
from jiceng.core.scope import require_in_scope, require_place_in_scope

from ..errors import PartyError
from ..models import (
    ORG_PARENT_KINDS,
    ORG_PLACE_KINDS,
    JointCommitteeUnit,
    PartTimeMember,
    PartyOrg,
    PartyOrgKind,
)


def validate_org_placement(kind, parent, place):
    kind = PartyOrgKind(kind)
    allowed_parents = ORG_PARENT_KINDS[kind]
    if (parent.kind if parent else None) not in allowed_parents and allowed_parents:
        labels = "、".join(str(PartyOrgKind(k).label) for k in allowed_parents)
        raise ValidationError(
            f"{kind.label}应设在{labels}之下", code=PartyError.ORG_KIND
        )
    if place.kind not in ORG_PLACE_KINDS[kind]:
        raise ValidationError(
            f"{kind.label}的驻地层级不正确", code=PartyError.ORG_PLACE_KIND
        )
    if parent is not None and not place.path.startswith(parent.place.path):
        raise ValidationError(
            "驻地须在上级党组织的辖区之内", code=PartyError.ORG_PLACE_OUTSIDE
        )


@transaction.atomic
def create_org(
    *,
    actor,
    parent,
    kind,
    name,
    place,
    is_joint_committee=False,
    founded_on=None,
    note="",
) -> PartyOrg:
    require_place_in_scope(place, actor, "party.change")
    if parent is not None:
        require_in_scope(parent, actor, "change")
    validate_org_placement(kind, parent, place)
    fields = dict(
        kind=kind,
        name=name.strip(),
        place=place,
        is_joint_committee=is_joint_committee,
        founded_on=founded_on,
        note=note,
    )
    org = (
        PartyOrg.objects.add_root(fields)
        if parent is None
        else PartyOrg.objects.add_child(parent, fields)
    )
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        target=org,
        changes={"kind": kind, "place": str(place), "parent": str(parent or "")},
    )
    require_in_scope(org, actor, "change")
    return org


def _require_joint(committee):
    if not committee.is_joint_committee:
        raise ValidationError("该党组织不是大工委/大党委", code=PartyError.NOT_JOINT)


@transaction.atomic
def add_joint_unit(*, actor, committee, unit, joined_on=None) -> JointCommitteeUnit:
    require_in_scope(committee, actor, "change")
    _require_joint(committee)
    if JointCommitteeUnit.objects.filter(committee=committee, unit=unit).exists():
        raise ValidationError("该单位已是成员单位", code=PartyError.JOINT_UNIT_EXISTS)
    row = JointCommitteeUnit.objects.create(
        committee=committee, unit=unit, joined_on=joined_on
    )
    audit.record(
        actor=actor, action=AuditAction.CREATE, target=row, changes={"unit": str(unit)}
    )
    require_in_scope(row, actor, "change")
    return row


@transaction.atomic
def add_part_time_member(*, actor, committee, name, unit, position="", since=None):
    require_in_scope(committee, actor, "change")
    _require_joint(committee)
    if not JointCommitteeUnit.objects.filter(committee=committee, unit=unit).exists():
        raise ValidationError("兼职委员须来自成员单位", code=PartyError.PART_TIME_UNIT)
    row = PartTimeMember.objects.create(
        committee=committee,
        name=name.strip(),
        unit=unit,
        position=position,
        since=since,
    )
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        target=row,
        changes={"unit": str(unit), "position": position},
    )
    require_in_scope(row, actor, "change")
    return row
