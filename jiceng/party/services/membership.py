"""流动党员, the recruitment pipeline with its minimum periods, 党费 by income band,
and 小区党支部书记 双向推选."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from jiceng.core import audit
from jiceng.core.errors import Conflict, check_version
from jiceng.core.models import AuditAction
from jiceng.core.months import add_months
from jiceng.core.scope import require_in_scope
from jiceng.places.models import Place

from ..models import (
    STAGE_DATE,
    STAGE_ORDER,
    DuesBand,
    DuesPayment,
    ElectionStage,
    FlowingMember,
    MemberStatus,
    PartyOrg,
    Recruit,
    SecretaryElection,
    Stage,
)

# ---- 流动党员 ------------------------------------------------------------------


@transaction.atomic
def register_flow(
    *,
    actor,
    member,
    direction,
    formal_org_name,
    since,
    takes_part_in=None,
    takes_part_in_flex=None,
    elsewhere="",
):
    require_in_scope(member, actor, "change")
    if not (formal_org_name or "").strip():
        raise ValidationError({"formal_org_name": "请填写组织关系所在党组织"})
    if takes_part_in is None and takes_part_in_flex is None and direction == "in":
        raise ValidationError({"takes_part_in": "请选择参加组织生活的党组织"})
    flow = FlowingMember.objects.create(
        member=member,
        direction=direction,
        formal_org_name=formal_org_name.strip(),
        takes_part_in=takes_part_in,
        takes_part_in_flex=takes_part_in_flex,
        elsewhere=elsewhere.strip(),
        since=since,
    )
    if member.status != MemberStatus.MOBILE:
        member.status = MemberStatus.MOBILE
        member.version += 1
        member.save(update_fields=["status", "version"])
    audit.record(actor=actor, action=AuditAction.CREATE, target=flow)
    return flow


# ---- recruitment pipeline -----------------------------------------------------

# Minimum time since the previous step (党章, 发展党员工作细则): an activist is
# trained at least a year before becoming a 发展对象; probation lasts a year.
# Applicants are at least 18; an activist may be named once the branch has
# talked with the applicant (within a month), so no minimum there.
MIN_MONTHS = {
    Stage.ACTIVIST: 0,
    Stage.CANDIDATE: 12,
    Stage.PROBATIONARY: 0,
    Stage.FULL: 12,
}
DUE_SOON_DAYS = 30


def earliest(recruit, stage) -> date | None:
    """The first day recruit may reach stage (None while the previous step is open)."""
    previous = STAGE_ORDER[STAGE_ORDER.index(stage) - 1]
    since = getattr(recruit, STAGE_DATE[previous])
    if since is None:
        return None
    return add_months(since, MIN_MONTHS[stage])


@transaction.atomic
def add_recruit(*, actor, resident, org, applied_on, introducers=""):
    require_in_scope(org, actor, "change")
    if applied_on is None or applied_on > timezone.localdate():
        raise ValidationError({"applied_on": "请填写递交入党申请的日期（不晚于今天）"})
    if resident.birth_date and add_months(resident.birth_date, 18 * 12) > applied_on:
        raise ValidationError({"applied_on": "递交入党申请时应年满18周岁"})
    if hasattr(resident, "party_member"):
        raise ValidationError("该居民已是党员")
    try:
        with transaction.atomic():
            recruit = Recruit.objects.create(
                resident=resident,
                org=org,
                stage=Stage.APPLICANT,
                applied_on=applied_on,
                introducers=introducers.strip(),
            )
    except IntegrityError as exc:
        raise Conflict("该居民已在发展党员名单中") from exc
    audit.record(actor=actor, action=AuditAction.CREATE, target=recruit)
    return recruit


@transaction.atomic
def advance(*, actor, recruit, on, version=None):
    """Move a recruit to the next stage on a date, keeping order and minimum periods."""
    recruit = Recruit.objects.select_for_update().get(pk=recruit.pk)
    require_in_scope(recruit.org, actor, "change")
    check_version(recruit, version)
    if recruit.stage == Stage.FULL:
        raise ValidationError("已是正式党员")
    nxt = STAGE_ORDER[STAGE_ORDER.index(recruit.stage) + 1]
    first = earliest(recruit, nxt)
    if on is None or on > timezone.localdate():
        raise ValidationError({"on": "请填写日期（不晚于今天）"})
    if first is None or on < first:
        label = Stage(nxt).label
        raise ValidationError(
            {"on": f"最早于 {first:%Y-%m-%d} 才能确定为{label}（未满规定期限）"}
        )
    setattr(recruit, STAGE_DATE[nxt], on)
    recruit.stage = nxt
    recruit.version += 1
    recruit.save()
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=recruit,
        changes={"stage": recruit.get_stage_display(), "on": str(on)},
    )
    return recruit


def pipeline_warnings(recruits, today=None) -> list[tuple]:
    """(recruit, text) for steps that are due soon or overdue, and order violations
    in imported records (a later date before an earlier one)."""
    today = today or timezone.localdate()
    found = []
    for r in recruits:
        dates = [getattr(r, STAGE_DATE[s]) for s in STAGE_ORDER]
        reached = [d for d in dates if d]
        if reached != sorted(reached) or dates[: len(reached)] != reached:
            found.append((r, "各阶段日期顺序有误，请核对"))
            continue
        if r.stage == Stage.FULL:
            continue
        nxt = STAGE_ORDER[STAGE_ORDER.index(r.stage) + 1]
        first = earliest(r, nxt)
        if r.stage == Stage.PROBATIONARY and first:
            if first < today:
                found.append((r, f"预备期已于 {first:%Y-%m-%d} 期满，应及时讨论转正"))
            elif first - today <= timedelta(days=DUE_SOON_DAYS):
                found.append((r, f"预备期将于 {first:%Y-%m-%d} 期满"))
        elif r.stage == Stage.APPLICANT and today - r.applied_on > timedelta(days=30):
            found.append((r, "递交申请已满一个月，应派人谈话"))
        elif r.stage == Stage.ACTIVIST and first and first <= today:
            found.append((r, "培养已满一年，可研究确定为发展对象"))
    return found


# ---- 党费 ----------------------------------------------------------------------

# 中组部《关于中国共产党党费收缴、使用和管理的规定》: in-service members pay
# 0.5% of monthly after-tax income up to 3,000, 1% to 5,000, 1.5% to 10,000 and
# 2% above; retired members 0.5% up to 5,000 and 1% above. (above, rate %)
DEFAULT_BANDS = {
    False: [(0, "0.5"), (3000, "1"), (5000, "1.5"), (10000, "2")],
    True: [(0, "0.5"), (5000, "1")],
}
MINIMUM = Decimal("0.20")  # students, the unemployed: 0.2 元 a month


def bands_for(place, retired) -> list[tuple[Decimal, Decimal]]:
    paths = Place.lineage_paths(place.path)
    rows = list(
        DuesBand.objects.filter(place__path__in=paths, retired=retired)
        .select_related("place")
        .order_by("place__depth", "above")
    )
    if rows:
        deepest = max(r.place.depth for r in rows)
        return [(r.above, r.rate) for r in rows if r.place.depth == deepest]
    return [(Decimal(a), Decimal(r)) for a, r in DEFAULT_BANDS[retired]]


def dues_for(base: Decimal, bands) -> Decimal:
    """The month's dues on an income base: the whole base at its band's rate."""
    base = Decimal(base)
    if base <= 0:
        return MINIMUM
    rate = Decimal(0)
    for above, band_rate in bands:
        if base > above:
            rate = band_rate
    amount = (base * rate / 100).quantize(Decimal("0.01"), ROUND_HALF_UP)
    return max(amount, MINIMUM)


@transaction.atomic
def pay_dues(*, actor, member, year, month, base, paid_on=None):
    require_in_scope(member, actor, "change")
    if not 1 <= int(month) <= 12:
        raise ValidationError({"month": "月份应为1到12"})
    base = Decimal(base)
    if base < 0:
        raise ValidationError({"base": "缴费基数不能为负数"})
    retired = member.status == MemberStatus.RETIRED
    amount = dues_for(base, bands_for(member.place, retired))
    try:
        with transaction.atomic():
            payment = DuesPayment.objects.create(
                member=member,
                year=year,
                month=month,
                base=base,
                amount=amount,
                paid_on=paid_on or timezone.localdate(),
            )
    except IntegrityError as exc:
        raise Conflict(f"{year}年{month}月党费已缴纳") from exc
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        target=payment,
        changes={"amount": str(amount)},
    )
    return payment


@dataclass
class Statement:
    member: object
    paid: dict  # month -> DuesPayment
    owed_months: list

    @property
    def total(self):
        return sum((p.amount for p in self.paid.values()), Decimal(0))


def annual_statement(members, year, today=None) -> list[Statement]:
    """Each member's payments in year and the months in arrears (up to today)."""
    today = today or timezone.localdate()
    last_month = 12 if year < today.year else today.month if year == today.year else 0
    payments = {}
    for p in DuesPayment.objects.filter(member__in=members, year=year):
        payments.setdefault(p.member_id, {})[p.month] = p
    out = []
    for m in members:
        paid = payments.get(m.pk, {})
        owed = [mo for mo in range(1, last_month + 1) if mo not in paid]
        out.append(Statement(m, paid, owed))
    return out


# ---- 小区党支部书记 双向推选 ----------------------------------------------------


@transaction.atomic
def nominate(*, actor, org, nominee, member_nominations, resident_nominations):
    """推荐: the branch's members and the compound's residents both nominate."""
    require_in_scope(org, actor, "change")
    if nominee.org_id != org.pk:
        raise ValidationError({"nominee": "人选应为本支部党员"})
    if member_nominations < 0 or resident_nominations < 0:
        raise ValidationError("推荐票数不能为负数")
    election = SecretaryElection.objects.create(
        org=org,
        nominee=nominee,
        member_nominations=member_nominations,
        resident_nominations=resident_nominations,
    )
    audit.record(actor=actor, action=AuditAction.CREATE, target=election)
    return election


@transaction.atomic
def record_vote(*, actor, election, votes_for, voters, version=None):
    """The branch's members vote; more than half of those present elects."""
    election = SecretaryElection.objects.select_for_update().get(pk=election.pk)
    require_in_scope(election.org, actor, "change")
    check_version(election, version)
    if election.stage != ElectionStage.NOMINATED:
        raise Conflict("已表决")
    if voters <= 0 or not 0 <= votes_for <= voters:
        raise ValidationError({"votes_for": "赞成票应在0到到会人数之间"})
    election.votes_for, election.voters = votes_for, voters
    election.stage = (
        ElectionStage.VOTED if votes_for * 2 > voters else ElectionStage.FAILED
    )
    election.version += 1
    election.save()
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=election,
        changes={"votes": f"{votes_for}/{voters}"},
    )
    return election


@transaction.atomic
def appoint(*, actor, election, on, on_owners_committee=False, version=None):
    """The 党委 above appoints the elected nominee as the branch's secretary."""
    election = SecretaryElection.objects.select_for_update().get(pk=election.pk)
    org = election.org
    require_in_scope(PartyOrg.objects.get_parent(org) or org, actor, "change")
    check_version(election, version)
    if election.stage != ElectionStage.VOTED:
        raise ValidationError("表决通过后才能任命")
    election.stage, election.appointed_on = ElectionStage.APPOINTED, on
    election.on_owners_committee = on_owners_committee
    election.version += 1
    election.save()
    org.secretary = election.nominee
    org.version += 1
    org.save(update_fields=["secretary", "version"])
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=org,
        changes={"secretary": str(election.nominee), "双向推选": election.pk},
    )
    return election
