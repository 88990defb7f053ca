"""共建协议: 草拟 → 签订 → 履行中 → 到期 / 续签 / 终止, one named service per step;
commitments whose progress is read from what already records the work."""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from jiceng.core import audit
from jiceng.core.errors import check_version
from jiceng.core.models import AuditAction
from jiceng.core.scope import can, require_in_scope, require_place_in_scope
from jiceng.volunteer.models import FINISHED_PROJECT

from ..errors import Code, bad_state
from ..models import Agreement, AgreementStatus, Commitment, Evaluation
from .common import CHANGE


def _step(actor, agreement, status, version, **changes):
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    require_in_scope(agreement, actor, "change")
    check_version(agreement, version)
    return agreement


def _save(actor, agreement, **changes):
    for name, value in changes.items():
        setattr(agreement, name, value)
    agreement.version += 1
    agreement.save()
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=agreement,
        changes={k: str(v) for k, v in changes.items()},
    )
    return agreement


@transaction.atomic
def draft_agreement(*, actor, place, unit, title, starts_on, ends_on, **fields):
    require_place_in_scope(place, actor, CHANGE)
    if ends_on <= starts_on:
        raise ValidationError({"ends_on": "协议期止须晚于协议期起"}, code=Code.INVALID)
    agreement = Agreement.objects.create(
        place=place,
        unit=unit,
        title=title.strip()[:150],
        starts_on=starts_on,
        ends_on=ends_on,
        created_by=actor,
        **fields,
    )
    audit.record(actor=actor, action=AuditAction.CREATE, target=agreement)
    require_in_scope(agreement, actor, "change")
    return agreement


@transaction.atomic
def add_commitment(*, actor, agreement, title, kind, quantity, **fields):
    require_in_scope(agreement, actor, "change")
    if agreement.status not in (AgreementStatus.DRAFT, AgreementStatus.SIGNED):
        raise bad_state("协议签订履行后不能再增加承诺，请续签")
    if Decimal(quantity) <= 0:
        raise ValidationError({"quantity": "数量须大于0"}, code=Code.INVALID)
    for name in ("resource", "project", "registration"):
        linked = fields.get(name)
        if linked is not None and not can(actor, linked, "view"):
            raise PermissionDenied("关联的清单或报到不在您的权限范围内")
    commitment = Commitment.objects.create(
        agreement=agreement,
        title=title.strip()[:200],
        kind=kind,
        quantity=quantity,
        **fields,
    )
    audit.record(actor=actor, action=AuditAction.CREATE, target=commitment)
    return commitment


@transaction.atomic
def sign_agreement(
    *,
    actor,
    agreement,
    place_signatory,
    unit_signatory,
    signed_on,
    scan=None,
    version=None,
):
    """草拟 → 签订 (and at once 履行中 when the term has begun)."""
    agreement = _step(actor, agreement, AgreementStatus.SIGNED, version)
    if agreement.status != AgreementStatus.DRAFT:
        raise bad_state("只有草拟中的协议可以签订")
    if not agreement.commitments.exists():
        raise ValidationError("请先填写承诺事项", code=Code.INVALID)
    if not (place_signatory and unit_signatory):
        raise ValidationError({"unit_signatory": "请填写双方签字人"}, code=Code.INVALID)
    if scan is not None:
        agreement.scan = scan
    status = (
        AgreementStatus.ACTIVE
        if agreement.starts_on <= timezone.localdate()
        else AgreementStatus.SIGNED
    )
    return _save(
        actor,
        agreement,
        status=status,
        place_signatory=place_signatory,
        unit_signatory=unit_signatory,
        signed_on=signed_on,
    )


@transaction.atomic
def start_performance(*, actor, agreement, version=None):
    """签订 → 履行中 (the term has begun)."""
    agreement = _step(actor, agreement, AgreementStatus.ACTIVE, version)
    if agreement.status != AgreementStatus.SIGNED:
        raise bad_state("只有已签订的协议可以开始履行")
    return _save(actor, agreement, status=AgreementStatus.ACTIVE)


@transaction.atomic
def expire_agreement(*, actor, agreement, version=None, today=None):
    """履行中 → 到期 (its term is over)."""
    today = today or timezone.localdate()
    agreement = _step(actor, agreement, AgreementStatus.EXPIRED, version)
    if agreement.status not in (AgreementStatus.SIGNED, AgreementStatus.ACTIVE):
        raise bad_state("协议不在履行中")
    if agreement.ends_on > today:
        raise bad_state("协议尚未到期")
    return _save(actor, agreement, status=AgreementStatus.EXPIRED)


def expire_due(*, actor, today=None):
    """Move every agreement past its end to 到期 (the daily command)."""
    today = today or timezone.localdate()
    done = []
    for agreement in Agreement.objects.filter(
        status__in=[AgreementStatus.SIGNED, AgreementStatus.ACTIVE], ends_on__lt=today
    ):
        with transaction.atomic():
            locked = Agreement.objects.select_for_update().get(pk=agreement.pk)
            done.append(_save(actor, locked, status=AgreementStatus.EXPIRED))
    return done


@transaction.atomic
def terminate_agreement(*, actor, agreement, reason, version=None):
    agreement = _step(actor, agreement, AgreementStatus.TERMINATED, version)
    if agreement.status not in (AgreementStatus.SIGNED, AgreementStatus.ACTIVE):
        raise bad_state("只有履行中的协议可以终止")
    if not (reason or "").strip():
        raise ValidationError({"end_note": "请填写终止原因"}, code=Code.INVALID)
    return _save(
        actor, agreement, status=AgreementStatus.TERMINATED, end_note=reason[:300]
    )


@transaction.atomic
def renew_agreement(*, actor, agreement, starts_on, ends_on, version=None):
    """到期/履行中 → 续签: a new draft with the same commitments for the next term."""
    agreement = _step(actor, agreement, AgreementStatus.RENEWED, version)
    if agreement.status not in (
        AgreementStatus.SIGNED,
        AgreementStatus.ACTIVE,
        AgreementStatus.EXPIRED,
    ):
        raise bad_state("该协议不能续签")
    if ends_on <= starts_on:
        raise ValidationError({"ends_on": "协议期止须晚于协议期起"}, code=Code.INVALID)
    _save(actor, agreement, status=AgreementStatus.RENEWED)
    renewal = Agreement.objects.create(
        title=agreement.title,
        place=agreement.place,
        unit=agreement.unit,
        alliance=agreement.alliance,
        starts_on=starts_on,
        ends_on=ends_on,
        renewed_from=agreement,
        created_by=actor,
    )
    Commitment.objects.bulk_create(
        Commitment(
            agreement=renewal,
            kind=c.kind,
            tag=c.tag,
            title=c.title,
            quantity=c.quantity,
            measure=c.measure,
            resource=c.resource,
            project=c.project,
            registration=c.registration,
        )
        for c in agreement.commitments.all()
    )
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        target=renewal,
        changes={"renewed_from": agreement.pk},
    )
    return renewal


def achieved(commitment):
    """How much of a commitment is done, read once from where the work is recorded.

    A project counts its progress (done = the whole quantity); a 双报到
    registration its service records within the term; a resource its accepted
    matches; otherwise the quantity registered by hand.
    """
    agreement = commitment.agreement
    if commitment.project_id:
        project = commitment.project
        if project.status in FINISHED_PROJECT:
            return commitment.quantity
        return (commitment.quantity * project.progress / 100).quantize(Decimal("0.1"))
    if commitment.registration_id:
        records = commitment.registration.services.filter(
            served_on__gte=agreement.starts_on, served_on__lte=agreement.ends_on
        )
        if commitment.measure == "小时":
            return records.aggregate(n=Sum("hours"))["n"] or Decimal(0)
        return Decimal(records.count())
    if commitment.resource_id:
        return Decimal(commitment.resource.matches.filter(status="accepted").count())
    return commitment.done_quantity


def suggested_evaluation(commitment):
    done = achieved(commitment)
    if done >= commitment.quantity:
        return Evaluation.DONE
    return Evaluation.PARTLY if done > 0 else Evaluation.NOT


@transaction.atomic
def record_done(*, actor, commitment, quantity):
    """Register work by hand for a commitment that links to no list."""
    require_in_scope(commitment.agreement, actor, "change")
    if commitment.source is not None:
        raise bad_state("该承诺按关联清单自动计数，不需手工登记")
    commitment.done_quantity = Decimal(quantity)
    commitment.save(update_fields=["done_quantity"])
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=commitment,
        changes={"done_quantity": str(quantity)},
    )
    return commitment


@transaction.atomic
def evaluate_commitment(*, actor, commitment, evaluation, note=""):
    """At term end, each commitment is judged done / partly / not."""
    require_in_scope(commitment.agreement, actor, "change")
    agreement = commitment.agreement
    if not agreement.is_ended and agreement.ends_on > timezone.localdate():
        raise bad_state("协议期满后才能评价承诺")
    if evaluation not in Evaluation.values:
        raise ValidationError({"evaluation": "请选择评价"}, code=Code.INVALID)
    commitment.evaluation, commitment.evaluation_note = evaluation, note[:300]
    commitment.save(update_fields=["evaluation", "evaluation_note"])
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=commitment,
        changes={"evaluation": evaluation},
    )
    return commitment
