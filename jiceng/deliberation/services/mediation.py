"""矛盾纠纷排查化解: 排查 rounds per grid, disputes with parties and sessions, passed
up a level when the level below cannot settle them, closed by an agreement, a
referral (司法所, 派出所, court…) or a failed mediation; the rates by level."""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from jiceng.core import audit
from jiceng.core.errors import check_version
from jiceng.core.models import AuditAction
from jiceng.core.scope import covers, require_in_scope
from jiceng.places.models import PlaceKind

from ..models import (
    LEVEL_ORDER,
    Dispute,
    DisputeStatus,
    Level,
    MediationSession,
    Party,
    ScreeningRound,
)
from .common import bad_state, community_of

MEDIATE = "deliberation.mediate"


def _require_grid(actor, grid):
    if grid.kind != PlaceKind.GRID:
        raise ValidationError({"place": "请选择网格"})
    if not covers(actor, grid, MEDIATE):
        raise PermissionDenied("该网格不在您的权限范围内")


@transaction.atomic
def record_screening(
    *, actor, grid, period_start, period_end, households_visited=0, note=""
):
    """A grid's periodic 排查 round."""
    _require_grid(actor, grid)
    if period_end < period_start:
        raise ValidationError({"period_end": "结束日期不能早于开始日期"})
    round_ = ScreeningRound.objects.create(
        grid=grid,
        period_start=period_start,
        period_end=period_end,
        households_visited=max(0, int(households_visited or 0)),
        note=(note or "").strip(),
        conducted_by=actor,
    )
    audit.record(actor=actor, action=AuditAction.CREATE, target=round_)
    return round_


def _next_number(day):
    prefix = f"TJ{day:%Y%m}"
    last = (
        Dispute.objects.filter(number__startswith=prefix)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    )
    return f"{prefix}{int(last[len(prefix) :]) + 1 if last else 1:04d}"


@transaction.atomic
def register_dispute(
    *,
    actor,
    grid,
    kind,
    summary,
    parties,
    mediator_kind,
    mediator_name,
    mediator_user=None,
    level=Level.GRID,
    screening=None,
    reported_on=None,
):
    """Enter a dispute in the ledger, at the level that takes it up first."""
    _require_grid(actor, grid)
    if len((summary or "").strip()) < 4:
        raise ValidationError({"summary": "请填写纠纷概况"})
    names = [p for p in parties if (p.get("name") or "").strip()]
    if len(names) < 1:
        raise ValidationError({"parties": "请至少填写一名当事人"})
    if not (mediator_name or "").strip():
        raise ValidationError({"mediator_name": "请填写调解人"})
    if screening is not None and screening.grid_id != grid.pk:
        raise ValidationError({"screening": "排查记录不属于该网格"})
    reported_on = reported_on or timezone.localdate()
    dispute = Dispute.objects.create(
        number=_next_number(reported_on),
        community=community_of(grid),
        place=grid,
        kind=kind,
        summary=summary.strip(),
        level=level,
        mediator_kind=mediator_kind,
        mediator_name=mediator_name.strip()[:50],
        mediator_user=mediator_user,
        screening=screening,
        reported_on=reported_on,
        created_by=actor,
    )
    Party.objects.bulk_create(
        [
            Party(
                dispute=dispute,
                name=p["name"].strip()[:50],
                role=(p.get("role") or "当事人").strip()[:20],
                address=(p.get("address") or "").strip()[:100],
            )
            for p in names
        ]
    )
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        target=dispute,
        changes={"kind": kind, "level": level},
    )
    require_in_scope(dispute, actor, "mediate")
    return dispute


def _open(dispute, actor, version=None):
    row = Dispute.objects.select_for_update().get(pk=dispute.pk)
    check_version(row, version)
    require_in_scope(row, actor, "mediate")
    if row.status != DisputeStatus.OPEN:
        raise bad_state(f"该纠纷已{row.get_status_display()}")
    return row


def _save(row, actor, changes):
    row.version += 1
    row.save()
    audit.record(actor=actor, action=AuditAction.UPDATE, target=row, changes=changes)
    return row


@transaction.atomic
def record_session(*, actor, dispute, held_on, mediator_name, notes):
    row = _open(dispute, actor)
    if not (notes or "").strip():
        raise ValidationError({"notes": "请填写调解经过"})
    session = MediationSession.objects.create(
        dispute=row,
        held_on=held_on,
        level=row.level,
        mediator_name=(mediator_name or row.mediator_name).strip()[:50],
        notes=notes.strip(),
        recorded_by=actor,
    )
    _save(row, actor, {"session": str(held_on)})
    return session


@transaction.atomic
def escalate(*, actor, dispute, mediator_kind, mediator_name, version=None):
    """Pass the dispute up one level (网格 → 社区 → 街道)."""
    row = _open(dispute, actor, version)
    index = LEVEL_ORDER.index(row.level)
    if index + 1 >= len(LEVEL_ORDER):
        raise bad_state("已在街道层级，请调解结案或移交")
    row.level = LEVEL_ORDER[index + 1]
    row.mediator_kind = mediator_kind
    row.mediator_name = (mediator_name or "").strip()[:50] or row.mediator_name
    row.mediator_user = None
    return _save(row, actor, {"level": row.level})


@transaction.atomic
def settle(*, actor, dispute, agreement, closed_on=None, version=None):
    """调解成功: the agreement is recorded and the level it was resolved at."""
    row = _open(dispute, actor, version)
    if not (agreement or "").strip():
        raise ValidationError({"agreement": "请填写调解协议内容"})
    if not row.sessions.exists():
        raise ValidationError("请先登记至少一次调解经过")
    row.status = DisputeStatus.AGREED
    row.agreement = agreement.strip()
    row.resolved_level = row.level
    row.closed_on = closed_on or timezone.localdate()
    return _save(row, actor, {"status": row.status, "level": row.level})


@transaction.atomic
def refer(*, actor, dispute, referred_to, note="", closed_on=None, version=None):
    """移交: to the 司法所, 派出所, court, arbitration or a department."""
    row = _open(dispute, actor, version)
    row.status = DisputeStatus.REFERRED
    row.referred_to = referred_to
    row.agreement = (note or "").strip()
    row.closed_on = closed_on or timezone.localdate()
    return _save(row, actor, {"status": row.status, "referred_to": referred_to})


@dataclass(frozen=True)
class LevelRate:
    level: str
    label: str
    resolved: int  # resolved at this level
    within: int  # resolved at this level or below
    closed: int  # all closed disputes
    measure: str

    @property
    def rate(self):
        return None if not self.closed else self.within / self.closed


MEASURES = {
    Level.GRID: "琐事不出网格",
    Level.COMMUNITY: "小事不出社区",
    Level.STREET: "大事不出街道",
}


def level_rates(disputes):
    """Resolved at each level, and within it, among the closed disputes.

    不出网格率 = resolved at the grid / closed; 不出社区率 = resolved at the grid or
    the community / closed; 不出街道率 = resolved at any level / closed (referrals
    out of the street count against it)."""
    closed = disputes.exclude(status=DisputeStatus.OPEN)
    counts = closed.aggregate(
        closed=Count("pk"),
        **{
            level: Count("pk", filter=Q(resolved_level=level)) for level in Level.values
        },
    )
    rates, within = [], 0
    for level in LEVEL_ORDER:
        within += counts[level]
        rates.append(
            LevelRate(
                level=level,
                label=Level(level).label,
                resolved=counts[level],
                within=within,
                closed=counts["closed"],
                measure=MEASURES[level],
            )
        )
    return rates
