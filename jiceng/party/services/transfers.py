"""组织关系转接 with acceptance: the sending branch sends, the receiving branch accepts
(or returns) it. The member stays in the sending branch until the moment of
acceptance, so no one is ever between branches; one pending transfer per member
(a unique constraint), so two racing transfers of one member cannot both go."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from jiceng.core import audit
from jiceng.core.errors import Conflict, check_version
from jiceng.core.models import AuditAction
from jiceng.core.scope import require_in_scope

from ..errors import PartyError
from ..models import (
    MemberStatus,
    MemberTransfer,
    PartyMember,
    PartyOrg,
    TransferKind,
    TransferStatus,
)
from .members import managed_place_for


def receivable_by(user):
    """Organisations whose incoming transfers the user may accept: those in the
    user's change subtrees (a district-wide transfer goes to another branch)."""
    if user.is_superuser:
        return PartyOrg.objects.all()
    return PartyOrg.objects.visible_to(user, "change")


@transaction.atomic
def send_transfer(*, actor, member, org, reason, on=None, version=None):
    """Send a member to another branch in the district; pending its acceptance."""
    try:
        member = PartyMember.objects.select_for_update().get(pk=member.pk)
    except PartyMember.DoesNotExist as exc:
        raise Conflict() from exc
    require_in_scope(member, actor, "change")
    check_version(member, version)
    if not (reason or "").strip():
        raise ValidationError({"reason": "请填写转接原因"})
    if member.status == MemberStatus.TRANSFERRED_OUT:
        raise ValidationError("该党员已转出本区", code=PartyError.MEMBER_STATUS)
    if org is None or org.pk == member.org_id:
        raise ValidationError(
            {"org": ValidationError("请选择另一个党组织", code=PartyError.ORG_TARGET)}
        )
    if member.transfers.filter(status=TransferStatus.PENDING).exists():
        raise Conflict("该党员已有一项待接收的组织关系转接")
    try:
        with transaction.atomic():
            transfer = MemberTransfer.objects.create(
                member=member,
                kind=TransferKind.WITHIN,
                status=TransferStatus.PENDING,
                from_org=member.org,
                to_org=org,
                from_name=str(member.org or ""),
                to_name=str(org),
                transferred_on=on or timezone.localdate(),
                reason=reason.strip(),
                created_by=actor,
            )
    except IntegrityError as exc:  # another transfer was sent meanwhile
        raise Conflict("该党员已有一项待接收的组织关系转接") from exc
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        target=transfer,
        changes={"from": transfer.from_name, "to": transfer.to_name},
    )
    return transfer


def _pending(transfer):
    try:
        transfer = MemberTransfer.objects.select_for_update().get(pk=transfer.pk)
    except MemberTransfer.DoesNotExist as exc:
        raise Conflict() from exc
    if transfer.status != TransferStatus.PENDING:
        raise Conflict(f"该转接已{transfer.get_status_display()}")
    return transfer


def _may_receive(actor, transfer):
    if transfer.to_org is None:
        raise ValidationError("接收党组织已撤销，请退回后重新转接")
    if not receivable_by(actor).filter(pk=transfer.to_org_id).exists():
        raise ValidationError("只有接收党组织所在的社区或街道可以办理接收")


@transaction.atomic
def accept_transfer(*, actor, transfer, note=""):
    """The receiving branch accepts: the member moves in one step."""
    transfer = _pending(transfer)
    _may_receive(actor, transfer)
    member = PartyMember.objects.select_for_update().get(pk=transfer.member_id)
    if member.org_id != transfer.from_org_id:
        # the member was moved by other means meanwhile: the request is stale
        raise Conflict("该党员的组织关系已变动，请退回后重新发起")
    before = str(member.org or "")
    member.org = transfer.to_org
    member.place = managed_place_for(member.resident, member.org)
    member.version += 1
    member.save()
    transfer.status = TransferStatus.ACCEPTED
    transfer.decided_by, transfer.decided_at = actor, timezone.now()
    transfer.decision_note = (note or "").strip()[:200]
    transfer.transferred_on = timezone.localdate()
    transfer.save()
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=member,
        changes={"org": [before, str(member.org)], "transfer": "接收"},
    )
    return transfer


@transaction.atomic
def reject_transfer(*, actor, transfer, note):
    """退回: the receiving branch declines, with a reason; the member stays put."""
    transfer = _pending(transfer)
    _may_receive(actor, transfer)
    if not (note or "").strip():
        raise ValidationError({"note": "请填写退回原因"})
    return _close(actor, transfer, TransferStatus.REJECTED, note)


@transaction.atomic
def cancel_transfer(*, actor, transfer, note=""):
    """撤回 by the sending side."""
    transfer = _pending(transfer)
    require_in_scope(transfer.member, actor, "change")
    return _close(actor, transfer, TransferStatus.CANCELLED, note)


def _close(actor, transfer, status, note):
    transfer.status = status
    transfer.decided_by, transfer.decided_at = actor, timezone.now()
    transfer.decision_note = (note or "").strip()[:200]
    transfer.save()
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=transfer,
        changes={"status": transfer.get_status_display(), "note": note},
    )
    return transfer


def incoming(user):
    """Pending transfers the user may accept."""
    return MemberTransfer.objects.filter(
        status=TransferStatus.PENDING, to_org__in=receivable_by(user)
    )
