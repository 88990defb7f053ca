"""上门服务 for the elderly and the disabled: requested by the resident (or for them
by staff), scheduled to a staff member or a volunteer, and marked done."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from jiceng.core import audit
from jiceng.core.errors import check_version
from jiceng.core.models import AuditAction
from jiceng.core.scope import require_in_scope
from jiceng.notices.models import NoticeKind
from jiceng.notices.services import notify

from ..errors import Code
from ..models import HomeVisit, VisitReason, VisitStatus
from .common import bad_state, require_covers

ELDERLY_AGE = 70
TAG_REASONS = {
    "disabled": VisitReason.DISABLED,
    "elderly_80": VisitReason.ELDERLY,
    "elderly_alone": VisitReason.ELDERLY,
    "elderly_empty_nest": VisitReason.ELDERLY,
}


def visit_reason(resident, today=None):
    """Why the resident may ask for a home visit, or None (not eligible)."""
    codes = set(
        resident.tags.filter(ended_on=None).values_list("category__code", flat=True)
    )
    if "disabled" in codes:
        return VisitReason.DISABLED
    if codes & set(TAG_REASONS):
        return VisitReason.ELDERLY
    today = today or date.today()
    born = resident.birth_date
    if born is not None:
        age = (
            today.year - born.year - ((today.month, today.day) < (born.month, born.day))
        )
        if age >= ELDERLY_AGE:
            return VisitReason.ELDERLY
    return None


@transaction.atomic
def request_visit(*, actor, resident, need, item=None, preferred_on=None):
    own = getattr(actor, "resident", None)
    if own is None or own.pk != resident.pk:
        require_covers(
            actor, resident.place, "onewindow.manage", "该居民不在您的辖区内"
        )
    reason = visit_reason(resident)
    if reason is None:
        raise ValidationError(
            f"上门服务面向{ELDERLY_AGE}周岁以上或行动不便的老人及残疾人",
            code=Code.NOT_ELIGIBLE,
        )
    if not (need or "").strip():
        raise ValidationError({"need": "请说明需要上门办理的事情"})
    visit = HomeVisit.objects.create(
        resident=resident,
        place=resident.place,
        item=item,
        need=need.strip()[:200],
        reason=reason,
        preferred_on=preferred_on,
        requested_by=actor,
    )
    audit.record(actor=actor, action=AuditAction.CREATE, target=visit)
    return visit


@transaction.atomic
def schedule_visit(*, actor, visit, when, staff=None, volunteer=None, version=None):
    row = HomeVisit.objects.select_for_update().get(pk=visit.pk)
    check_version(row, version)
    require_in_scope(row, actor, "manage")
    if row.status not in (VisitStatus.REQUESTED, VisitStatus.SCHEDULED):
        raise bad_state("该上门服务已完成或已取消")
    if staff is None and volunteer is None:
        raise ValidationError({"staff": "请安排工作人员或志愿者"})
    row.staff, row.volunteer, row.scheduled_at = staff, volunteer, when
    row.status = VisitStatus.SCHEDULED
    row.version += 1
    row.save()
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=row,
        changes={
            "status": row.status,
            "staff": getattr(staff, "pk", None),
            "volunteer": getattr(volunteer, "pk", None),
            "scheduled_at": when.isoformat(),
        },
    )
    local = timezone.localtime(when)
    going = [u for u in (staff, getattr(volunteer, "user", None)) if u is not None]
    notify(
        going,
        f"上门服务：{local:%m-%d %H:%M}（{row.need}）",
        row.get_absolute_url(),
        kind=NoticeKind.APPOINTMENT,
    )
    notify(
        [row.requested_by],
        f"上门服务已安排在{local:%m月%d日 %H:%M}",
        "/onewindow/my/",
        exclude=actor,
        kind=NoticeKind.APPOINTMENT,
    )
    return row


@transaction.atomic
def finish_visit(*, actor, visit, outcome):
    row = HomeVisit.objects.select_for_update().get(pk=visit.pk)
    require_in_scope(row, actor, "manage")
    if row.status != VisitStatus.SCHEDULED:
        raise bad_state("只有已安排的上门服务可以登记完成")
    row.status, row.done_at = VisitStatus.DONE, timezone.now()
    row.outcome = (outcome or "").strip()[:300]
    row.version += 1
    row.save()
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=row,
        changes={"status": row.status},
    )
    return row
