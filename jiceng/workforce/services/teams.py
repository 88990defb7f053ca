"""Grid teams (网格力量: 三长三员一民警, 一长七员, 四支队伍) and the 11-duty checklist."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from jiceng.core import audit
from jiceng.core.models import AuditAction
from jiceng.core.scope import require_in_scope
from jiceng.core.validators import validate_mobile
from jiceng.places.models import PlaceKind

from ..models import DUTIES, DUTY_LABELS, DutyCheck, TeamMember
from .common import MANAGE, PATROL, require_covers


@transaction.atomic
def add_team_member(
    *, actor, grid, role, name, phone="", force="", building=None, worker=None
):
    require_covers(actor, grid, MANAGE)
    if grid.kind != PlaceKind.GRID:
        raise ValidationError({"grid": "请选择网格"})
    if building is not None and not building.path.startswith(grid.path):
        raise ValidationError({"building": "楼栋/街巷须在本网格内"})
    member = TeamMember.objects.create(
        grid=grid,
        role=role,
        force=force,
        name=name.strip(),
        phone=validate_mobile(phone) if phone else "",
        building=building,
        worker=worker,
    )
    audit.record(actor=actor, action=AuditAction.CREATE, target=member)
    return member


@transaction.atomic
def remove_team_member(*, actor, member):
    require_in_scope(member, actor, "manage")
    audit.record(actor=actor, action=AuditAction.DELETE, target=member)
    member.delete()


def checklist(grid, period):
    """The 11 duties of the period with their state (unchecked ones too)."""
    period = period.replace(day=1)
    done = {c.duty: c for c in DutyCheck.objects.filter(grid=grid, period=period)}
    return [(code, label, done.get(code)) for code, label in DUTIES]


@transaction.atomic
def check_duty(*, actor, grid, period, duty, done=True, note=""):
    require_covers(actor, grid, PATROL)
    if duty not in DUTY_LABELS:
        raise ValidationError({"duty": "未知的网格职责"})
    row, created = DutyCheck.objects.select_for_update().update_or_create(
        grid=grid,
        period=period.replace(day=1),
        duty=duty,
        defaults={
            "done": bool(done),
            "note": note[:200],
            "checked_by": actor,
            "checked_at": timezone.now(),
        },
    )
    audit.record(
        actor=actor,
        action=AuditAction.CREATE if created else AuditAction.UPDATE,
        target=row,
        target_repr=f"{grid} {period:%Y-%m} {DUTY_LABELS[duty]}",
        changes={"done": [None, bool(done)]},
    )
    return row
