"""Duplicates: the same problem reported twice becomes one case (撤销 as 重复)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from jiceng.core import audit
from jiceng.core.errors import check_version
from jiceng.core.models import AuditAction
from jiceng.core.scope import can, require_in_scope

from ..errors import CaseError
from ..models import Case
from ..workflow import MERGEABLE, Status
from .timeline import add_event


@transaction.atomic
def merge_case(*, actor, case, into, version):
    """Merge a duplicate into the case that carries on (撤销 as 重复, reporters kept).

    The duplicate's reporters follow the surviving case: its public page shows
    that case's progress and they are told when it closes."""
    if case.pk == into.pk:
        raise ValidationError("不能合并到案件自身", code=CaseError.SELF_MERGE)
    locked = {
        c.pk: c
        for c in Case.objects.select_for_update(of=("self",))  # in id order
        .select_related("category", "place")
        .filter(pk__in=(case.pk, into.pk))
        .order_by("pk")
    }
    case, into = locked[case.pk], locked[into.pk]
    check_version(case, version)
    if case.status not in MERGEABLE:
        raise ValidationError(
            f"案件当前为“{case.get_status_display()}”，不能合并",
            code=CaseError.BAD_STATE,
        )
    if not into.is_open or into.merged_into_id:
        raise ValidationError(
            "目标案件已结案或已被合并，不能作为合并目标", code=CaseError.BAD_TARGET
        )
    if not (can(actor, case, "dispatch") and can(actor, into, "dispatch")):
        raise PermissionDenied("您无权合并这些案件")
    before = case.status
    case.status, case.merged_into = Status.CANCELLED, into
    case.version += 1
    case.save()
    # cases merged into the duplicate earlier follow it to the survivor
    Case.objects.filter(merged_into=case).update(merged_into=into)
    add_event(
        case, "merge", actor, f"与 {into.number} 重复，已合并", from_status=before
    )
    into.version += 1
    into.save(update_fields=["version"])
    add_event(
        into, "merged_in", actor, f"并入重复上报 {case.number}", from_status=into.status
    )
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=case,
        changes={"step": "merge", "into": into.number},
    )
    require_in_scope(case, actor, "dispatch")
    return case
