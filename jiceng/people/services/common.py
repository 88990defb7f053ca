"""What every registry service shares: the protected fields, snapshots for the
audit diff, and revealing a protected value."""

from django.core.exceptions import PermissionDenied, ValidationError

from jiceng.core import audit
from jiceng.core.models import AuditAction
from jiceng.core.scope import can

from ..errors import PeopleError
from ..models import GigWorker, Resident, Unit

PROTECTED_FIELDS = {
    Resident: {"id_number": "身份证号", "phone": "手机号码"},
    Unit: {"contact_phone": "联系电话"},
    GigWorker: {"id_number": "身份证号", "phone": "手机号码"},
}


def snapshot(obj, names):
    return {n: getattr(obj, n) for n in names}


def audit_diff(model, before, after):
    """The audit diff of a registry row; protected values show only that they changed."""
    return audit.diff(before, after, hidden=tuple(PROTECTED_FIELDS.get(model, {})))


def reveal(*, actor, obj, field: str) -> str:
    """Return a protected value in full, for an actor allowed to reveal it; audited."""
    labels = PROTECTED_FIELDS.get(type(obj))
    if not labels or field not in labels:
        raise ValidationError(
            "该字段不是敏感字段", code=PeopleError.FIELD_NOT_PROTECTED
        )
    if not can(actor, obj, "reveal"):
        raise PermissionDenied("您没有查看完整敏感信息的权限")
    audit.record(
        actor=actor,
        action=AuditAction.REVEAL,
        target=obj,
        changes={"field": labels[field]},
    )
    return getattr(obj, field)


def refuse_taken(taken, *, exclude_pk, field, message, code):
    """Raise a field error when another row (taken, minus the one being edited)
    already holds the value: ID numbers and credit codes are registered once."""
    if exclude_pk is not None:
        taken = taken.exclude(pk=exclude_pk)
    if taken.exists():
        raise ValidationError({field: ValidationError(message, code=code)})
