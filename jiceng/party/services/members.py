"""Party members: register a resident as a member, change a membership."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from jiceng.core import audit
from jiceng.core.errors import check_version
from jiceng.core.models import AuditAction
from jiceng.core.scope import require_in_scope

from ..errors import PartyError
from ..models import MemberStatus, MemberTransfer, PartyMember, TransferKind

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
    if status == MemberStatus.TRANSFERRED_OUT:
        raise ValidationError(
            {"status": ValidationError("请选择党员状态", code=PartyError.MEMBER_STATUS)}
        )
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


def _locked(member, actor, version):
    member = (
        PartyMember.objects.select_for_update(of=("self",))
        .select_related("resident", "org")
        .get(pk=member.pk)
    )
    require_in_scope(member, actor, "change")
    check_version(member, version)
    return member


@transaction.atomic
def update_member(*, actor, member, version=None, **fields) -> PartyMember:
    """Correct a membership (status, unit, dates); organisation changes are transfers."""
    member = _locked(member, actor, version)
    unknown = set(fields) - set(MEMBER_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    if (
        "status" in fields
        and (
            fields["status"] == MemberStatus.TRANSFERRED_OUT
            or member.status == MemberStatus.TRANSFERRED_OUT
        )
        and fields["status"] != member.status
    ):
        raise ValidationError(
            {
                "status": ValidationError(
                    "转出或转入请使用“组织关系转接”", code=PartyError.MEMBER_STATUS
                )
            }
        )
    if fields.get("org") is not None:
        require_in_scope(fields["org"], actor, "change")
    if fields.get("unit") is not None and fields["unit"] != member.unit:
        require_in_scope(fields["unit"], actor, "view")
    before = {f: getattr(member, f) for f in MEMBER_FIELDS}
    for name, value in fields.items():
        setattr(member, name, value)
    member.place = managed_place_for(member.resident, member.org)
    member.version += 1
    member.save()
    changes = audit.diff(before, {f: getattr(member, f) for f in MEMBER_FIELDS})
    if changes:
        audit.record(
            actor=actor, action=AuditAction.UPDATE, target=member, changes=changes
        )
    require_in_scope(member, actor, "change")
    return member


def move_member_to(*, actor, member, org, on=None, reason, status=None):
    """Record and make one change of organisation (the caller holds the lock and has
    checked scope); used by transfers and by dissolving an organisation."""
    was_out = member.status == MemberStatus.TRANSFERRED_OUT
    transfer = MemberTransfer.objects.create(
        member=member,
        kind=TransferKind.IN if was_out else TransferKind.WITHIN,
        from_org=member.org,
        to_org=org,
        from_name=str(member.org or ""),
        to_name=str(org),
        transferred_on=on or timezone.localdate(),
        reason=reason.strip(),
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    before = {"org": str(member.org or ""), "status": member.status}
    member.org = org
    if was_out or status:
        member.status = status or MemberStatus.IN_SERVICE
    member.place = managed_place_for(member.resident, org)
    member.version += 1
    member.save()
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=member,
        changes={
            **audit.diff(before, {"org": str(org), "status": member.status}),
            "transfer": transfer.get_kind_display(),
            "reason": transfer.reason,
            "on": str(transfer.transferred_on),
        },
    )
    return transfer


def _require_reason(reason):
    if not (reason or "").strip():
        raise ValidationError({"reason": "请填写转接原因"})


@transaction.atomic
def transfer_member(
    *, actor, member, org, reason, on=None, status=None, version=None
) -> MemberTransfer:
    """组织关系转接 within the district (or 转入 of a member who had left)."""
    member = _locked(member, actor, version)
    _require_reason(reason)
    require_in_scope(org, actor, "change")
    if org.pk == member.org_id:
        raise ValidationError(
            {"org": ValidationError("已在该党组织", code=PartyError.ORG_TARGET)}
        )
    if status == MemberStatus.TRANSFERRED_OUT:
        raise ValidationError(
            {"status": ValidationError("请选择党员状态", code=PartyError.MEMBER_STATUS)}
        )
    transfer = move_member_to(
        actor=actor, member=member, org=org, on=on, reason=reason, status=status
    )
    require_in_scope(member, actor, "change")
    return transfer


@transaction.atomic
def transfer_out(
    *, actor, member, destination, reason, on=None, version=None
) -> MemberTransfer:
    """转出本区: the member leaves the district's organisations (status 已转出)."""
    member = _locked(member, actor, version)
    _require_reason(reason)
    if member.status == MemberStatus.TRANSFERRED_OUT:
        raise ValidationError("该党员已转出", code=PartyError.MEMBER_STATUS)
    if not (destination or "").strip():
        raise ValidationError({"destination": "请填写转往的党组织"})
    transfer = MemberTransfer.objects.create(
        member=member,
        kind=TransferKind.OUT,
        from_org=member.org,
        from_name=str(member.org or ""),
        to_name=destination.strip()[:200],
        transferred_on=on or timezone.localdate(),
        reason=reason.strip(),
        created_by=actor,
    )
    before = {"org": str(member.org or ""), "status": member.status}
    member.org, member.status = None, MemberStatus.TRANSFERRED_OUT
    member.place = managed_place_for(member.resident, None)
    member.version += 1
    member.save()
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=member,
        changes={
            **audit.diff(before, {"org": "", "status": member.status}),
            "transfer": transfer.get_kind_display(),
            "to": transfer.to_name,
            "reason": transfer.reason,
            "on": str(transfer.transferred_on),
        },
    )
    return transfer
