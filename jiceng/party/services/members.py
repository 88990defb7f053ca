"""Party members: register a resident as a member, change a membership."""

from django.core.exceptions import ValidationError
from django.db import transaction

from jiceng.core import audit
from jiceng.core.models import AuditAction
from jiceng.core.scope import require_in_scope

from ..errors import PartyError
from ..models import PartyMember

MEMBER_FIELDS = ("org", "unit", "status", "joined_on", "is_probationary", "note")


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
    if unit is not None:
        require_in_scope(unit, actor, "view")
    if PartyMember.objects.filter(resident=resident).exists():
        raise ValidationError("该居民已登记为党员", code=PartyError.MEMBER_EXISTS)
    if (
        joined_on
        and resident.birth_date
        and joined_on.year - resident.birth_date.year < 18
    ):
        raise ValidationError(
            {
                "joined_on": ValidationError(
                    "入党时应年满18周岁", code=PartyError.MEMBER_AGE
                )
            }
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
    if fields.get("unit") is not None and fields["unit"] != member.unit:
        require_in_scope(fields["unit"], actor, "view")
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
