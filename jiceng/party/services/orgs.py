"""The party-organisation tree on places, and the 大工委/大党委 rosters of member
units and part-time members."""

from django.core.exceptions import ValidationError
from django.db import transaction

from jiceng.core import audit
from jiceng.core.errors import Conflict, check_version
from jiceng.core.models import AuditAction
from jiceng.core.scope import require_in_scope, require_place_in_scope

from ..errors import PartyError
from ..models import (
    ORG_PARENT_KINDS,
    ORG_PLACE_KINDS,
    JointCommitteeUnit,
    PartTimeMember,
    PartyMember,
    PartyOrg,
    PartyOrgKind,
)
from .members import move_member_to


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


ORG_FIELDS = ("name", "note", "founded_on", "is_joint_committee")


def _locked_org(org, actor, version):
    org = PartyOrg.objects.select_for_update().get(pk=org.pk)
    require_in_scope(org, actor, "change")
    check_version(org, version)
    return org


@transaction.atomic
def update_org(*, actor, org, version=None, **fields) -> PartyOrg:
    """Rename an organisation or correct its details (not its place in the tree)."""
    unknown = set(fields) - set(ORG_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    org = _locked_org(org, actor, version)
    if "name" in fields:
        fields["name"] = fields["name"].strip()
        if not fields["name"]:
            raise ValidationError({"name": "请填写组织名称"})
    if fields.get("is_joint_committee") is False and (
        org.member_units.exists() or org.part_time_members.exists()
    ):
        raise ValidationError(
            {
                "is_joint_committee": ValidationError(
                    "该组织仍有成员单位或兼职委员，请先移除",
                    code=PartyError.JOINT_UNIT_IN_USE,
                )
            }
        )
    before = {f: getattr(org, f) for f in ORG_FIELDS}
    for name, value in fields.items():
        setattr(org, name, value)
    org.version += 1
    org.save()
    changes = audit.diff(before, {f: getattr(org, f) for f in ORG_FIELDS})
    if changes:
        audit.record(
            actor=actor, action=AuditAction.UPDATE, target=org, changes=changes
        )
    return org


@transaction.atomic
def move_org(*, actor, org, new_parent, version=None) -> PartyOrg:
    """Put an organisation (with its whole subtree) under another parent.

    The new parent must be of the level above, cover the organisation's place, lie
    within the actor's scope, and not be the organisation or one of its own.
    """
    org = _locked_org(org, actor, version)
    new_parent = PartyOrg.objects.get(pk=new_parent.pk)
    require_in_scope(new_parent, actor, "change")
    if new_parent.path.startswith(org.path):
        raise ValidationError(
            "不能把党组织移到它自己或它的下级组织之下",
            code=PartyError.ORG_MOVE_CYCLE,
        )
    if not ORG_PARENT_KINDS[PartyOrgKind(org.kind)]:
        raise ValidationError(
            f"{PartyOrgKind(org.kind).label}是最高一级组织，不能移动",
            code=PartyError.ORG_KIND,
        )
    validate_org_placement(org.kind, new_parent, org.place)
    old_parent = PartyOrg.objects.get_parent(org)
    if old_parent is not None and old_parent.pk == new_parent.pk:
        return org
    PartyOrg.objects.move(org, new_parent, pos="last-child")
    org = PartyOrg.objects.get(pk=org.pk)
    org.version += 1
    org.save(update_fields=["version"])
    audit.record(
        actor=actor,
        action=AuditAction.MOVE,
        target=org,
        changes={"parent": [str(old_parent or ""), str(new_parent)]},
    )
    require_in_scope(org, actor, "change")
    return org


@transaction.atomic
def dissolve_org(*, actor, org, members_to=None, on=None, version=None) -> int:
    """撤销: end an organisation; its members move to members_to (none is left
    without an organisation). Returns how many members moved."""
    org = _locked_org(org, actor, version)
    if PartyOrg.objects.get_children(org).exists():
        raise ValidationError(
            "该组织仍有下级组织，请先移走或撤销下级组织",
            code=PartyError.ORG_HAS_CHILDREN,
        )
    members = list(PartyMember.objects.select_for_update().filter(org=org))
    if members and (members_to is None or members_to.pk == org.pk):
        raise ValidationError(
            {
                "members_to": ValidationError(
                    "请选择接收党员的党组织", code=PartyError.ORG_TARGET
                )
            }
        )
    if members_to is not None:
        require_in_scope(members_to, actor, "change")
    reason = f"原组织“{org.name}”撤销"
    for member in members:
        move_member_to(actor=actor, member=member, org=members_to, on=on, reason=reason)
    name, pk = str(org), org.pk
    audit.record(
        actor=actor,
        action=AuditAction.DELETE,
        target_type=org._meta.label_lower,
        target_id=pk,
        target_repr=name,
        changes={
            "members": len(members),
            "members_to": str(members_to or ""),
            "place": str(org.place),
        },
    )
    org.delete()
    return len(members)


@transaction.atomic
def remove_joint_unit(*, actor, row, version=None) -> None:
    """Take a unit off a 大工委/大党委's member units (its part-time members first)."""
    committee = _locked_org(row.committee, actor, version)
    row = JointCommitteeUnit.objects.filter(pk=row.pk, committee=committee).first()
    if row is None:
        raise Conflict("该成员单位已被移除")
    if PartTimeMember.objects.filter(committee=committee, unit=row.unit_id).exists():
        raise ValidationError(
            "该单位仍有兼职委员，请先移除兼职委员", code=PartyError.JOINT_UNIT_IN_USE
        )
    audit.record(
        actor=actor,
        action=AuditAction.DELETE,
        target=row,
        changes={"unit": str(row.unit)},
    )
    row.delete()
    committee.version += 1
    committee.save(update_fields=["version"])


@transaction.atomic
def remove_part_time_member(*, actor, row, version=None) -> None:
    committee = _locked_org(row.committee, actor, version)
    row = PartTimeMember.objects.filter(pk=row.pk, committee=committee).first()
    if row is None:
        raise Conflict("该兼职委员已被移除")
    audit.record(
        actor=actor,
        action=AuditAction.DELETE,
        target=row,
        changes={"unit": str(row.unit), "position": row.position},
    )
    row.delete()
    committee.version += 1
    committee.save(update_fields=["version"])
