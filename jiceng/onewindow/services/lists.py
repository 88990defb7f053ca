"""The 准入清单, 权责清单 and cancelled 证明事项, kept by the district; a department's
request to hand a task to communities, decided against the 准入清单."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from jiceng.core import audit
from jiceng.core.errors import check_version
from jiceng.core.models import AuditAction
from jiceng.core.scope import require_in_scope

from ..errors import Code
from ..models import (
    CommunityMatter,
    ProofMatter,
    RequestStatus,
    StreetPower,
    TaskRequest,
)
from .common import bad_state, departments_of, require_covers

CONFIGURE = "onewindow.configure"


@transaction.atomic
def add_matter(*, actor, district, title, listed_on=None, **fields):
    require_covers(actor, district, CONFIGURE)
    matter = CommunityMatter.objects.create(
        district=district,
        title=title.strip(),
        listed_on=listed_on or timezone.localdate(),
        **fields,
    )
    audit.record(actor=actor, action=AuditAction.CREATE, target=matter)
    return matter


@transaction.atomic
def remove_matter(*, actor, matter, reason, on=None):
    row = CommunityMatter.objects.select_for_update().get(pk=matter.pk)
    require_covers(actor, row.district, CONFIGURE)
    if row.removed_on:
        raise bad_state("该事项已移出清单")
    if not (reason or "").strip():
        raise ValidationError({"reason": "请填写移出原因"})
    row.removed_on = on or timezone.localdate()
    row.removal_reason = reason.strip()[:200]
    row.save(update_fields=["removed_on", "removal_reason"])
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=row,
        changes={"removed_on": row.removed_on.isoformat()},
    )
    return row


@transaction.atomic
def add_power(*, actor, district, title, kind, **fields):
    require_covers(actor, district, CONFIGURE)
    power = StreetPower.objects.create(
        district=district, title=title.strip(), kind=kind, **fields
    )
    audit.record(actor=actor, action=AuditAction.CREATE, target=power)
    return power


@transaction.atomic
def add_proof(*, actor, district, title, reason, alternative=""):
    require_covers(actor, district, CONFIGURE)
    proof = ProofMatter.objects.create(
        district=district, title=title.strip(), reason=reason, alternative=alternative
    )
    audit.record(actor=actor, action=AuditAction.CREATE, target=proof)
    return proof


def in_force_on(queryset, day):
    return queryset.filter(
        Q(listed_on__lte=day), Q(removed_on__isnull=True) | Q(removed_on__gt=day)
    )


def matter_counts(queryset, today=None):
    """Matters handed to communities now and a year ago, with the change in percent."""
    today = today or timezone.localdate()
    try:
        year_ago = today.replace(year=today.year - 1)
    except ValueError:  # 29 February
        year_ago = today.replace(year=today.year - 1, day=28)
    now = in_force_on(queryset, today).count()
    before = in_force_on(queryset, year_ago).count()
    change = round(100 * (now - before) / before, 1) if before else None
    return {"now": now, "year_ago": before, "change": change, "on": year_ago}


def power_counts(queryset):
    counts = dict(
        queryset.order_by()
        .values_list("kind")
        .annotate(n=Count("pk"))
        .values_list("kind", "n")
    )
    return counts


@transaction.atomic
def file_request(
    *, actor, department, district, title, description="", basis="", funding=""
):
    if department.pk not in departments_of(actor, "onewindow.request") and not getattr(
        actor, "is_superuser", False
    ):
        raise PermissionDenied("只能以本部门名义申请")
    if not (title or "").strip():
        raise ValidationError({"title": "请填写拟交办事项"})
    row = TaskRequest.objects.create(
        district=district,
        department=department,
        title=title.strip()[:150],
        description=description,
        basis=basis,
        funding=funding,
        requested_by=actor,
    )
    audit.record(actor=actor, action=AuditAction.CREATE, target=row)
    return row


@transaction.atomic
def decide_request(*, actor, request, approve, matter=None, note="", version=None):
    """Approve only against an entry of the 准入清单 in force; refuse with a reason."""
    row = TaskRequest.objects.select_for_update().get(pk=request.pk)
    check_version(row, version)
    require_in_scope(row, actor, "configure")
    if row.status != RequestStatus.PENDING:
        raise bad_state("该申请已审核")
    note = (note or "").strip()
    if approve:
        if matter is None or matter.removed_on or matter.district_id != row.district_id:
            raise ValidationError(
                "准入须对应社区事务准入清单中在用的事项；清单外事项不得交由社区承担",
                code=Code.NOT_LISTED,
            )
        row.matter = matter
    elif not note:
        raise ValidationError({"note": "不予准入时请说明理由"})
    row.status = RequestStatus.APPROVED if approve else RequestStatus.REFUSED
    row.decision_note = note[:300]
    row.decided_by, row.decided_at = actor, timezone.now()
    row.version += 1
    row.save()
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=row,
        changes={"status": row.status, "matter": getattr(matter, "pk", None)},
    )
    return row


def year_start(year):
    return date(year, 1, 1)
