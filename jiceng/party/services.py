"""Party-organisation operations: build the tree on places, register members,
and keep the 大工委/大党委 rosters of member units and part-time members."""

from django.core.exceptions import ValidationError
from django.db import transaction

from jiceng.core import audit
from jiceng.core.models import AuditAction
from jiceng.core.scope import require_in_scope, require_place_in_scope

from .models import (
    ORG_PARENT_KINDS,
    ORG_PLACE_KINDS,
    JointCommitteeUnit,
    PartTimeMember,
    PartyMember,
    PartyOrg,
    PartyOrgKind,
)

MEMBER_FIELDS = ("org", "unit", "status", "joined_on", "is_probationary", "note")


def validate_org_placement(kind, parent, place):
    kind = PartyOrgKind(kind)
    allowed_parents = ORG_PARENT_KINDS[kind]
    if (parent.kind if parent else None) not in allowed_parents and allowed_parents:
        labels = "、".join(str(PartyOrgKind(k).label) for k in allowed_parents)
        raise ValidationError(f"{kind.label}应设在{labels}之下", code="org_kind")
    if place.kind not in ORG_PLACE_KINDS[kind]:
        raise ValidationError(f"{kind.label}的驻地层级不正确", code="org_place_kind")
    if parent is not None and not place.path.startswith(parent.place.path):
        raise ValidationError("驻地须在上级党组织的辖区之内", code="org_place_outside")


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


def managed_place_for(resident, org):
    """Members are managed where their organisation sits, else where they live."""
    return org.place if org is not None else resident.place


@transaction.atomic
def register_member(
    *,
    actor,
    resident,
    status,
    org=None,
    unit=None,
    joined_on=None,
    is_probationary=False,
    note="",
) -> PartyMember:
    require_in_scope(resident, actor, "view")
    if org is not None:
        require_in_scope(org, actor, "change")
    if PartyMember.objects.filter(resident=resident).exists():
        raise ValidationError("该居民已登记为党员", code="member_exists")
    if (
        joined_on
        and resident.birth_date
        and joined_on.year - resident.birth_date.year < 18
    ):
        raise ValidationError(
            {"joined_on": ValidationError("入党时应年满18周岁", code="member_age")}
        )
    member = PartyMember.objects.create(
        resident=resident,
        org=org,
        unit=unit,
        status=status,
        joined_on=joined_on,
        is_probationary=is_probationary,
        note=note,
        place=managed_place_for(resident, org),
    )
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        target=member,
        changes={"org": str(org or ""), "status": status},
    )
    require_in_scope(member, actor, "change")
    return member


@transaction.atomic
def update_member(*, actor, member, **fields) -> PartyMember:
    member = (
        PartyMember.objects.select_for_update(of=("self",))
        .select_related("resident")
        .get(pk=member.pk)
    )
    require_in_scope(member, actor, "change")
    unknown = set(fields) - set(MEMBER_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    if fields.get("org") is not None:
        require_in_scope(fields["org"], actor, "change")
    before = {f: getattr(member, f) for f in MEMBER_FIELDS}
    for name, value in fields.items():
        setattr(member, name, value)
    member.place = managed_place_for(member.resident, member.org)
    member.save()
    changes = audit.diff(before, {f: getattr(member, f) for f in MEMBER_FIELDS})
    if changes:
        audit.record(
            actor=actor, action=AuditAction.UPDATE, target=member, changes=changes
        )
    require_in_scope(member, actor, "change")
    return member


def _require_joint(committee):
    if not committee.is_joint_committee:
        raise ValidationError("该党组织不是大工委/大党委", code="not_joint")


@transaction.atomic
def add_joint_unit(*, actor, committee, unit, joined_on=None) -> JointCommitteeUnit:
    require_in_scope(committee, actor, "change")
    _require_joint(committee)
    if JointCommitteeUnit.objects.filter(committee=committee, unit=unit).exists():
        raise ValidationError("该单位已是成员单位", code="joint_unit_exists")
    row = JointCommitteeUnit.objects.create(
        committee=committee, unit=unit, joined_on=joined_on
    )
    audit.record(
        actor=actor, action=AuditAction.CREATE, target=row, changes={"unit": str(unit)}
    )
    return row


@transaction.atomic
def add_part_time_member(*, actor, committee, name, unit, position="", since=None):
    require_in_scope(committee, actor, "change")
    _require_joint(committee)
    if not JointCommitteeUnit.objects.filter(committee=committee, unit=unit).exists():
        raise ValidationError("兼职委员须来自成员单位", code="part_time_unit")
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
    return row
