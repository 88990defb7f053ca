"""三会一课: frequency rules, meetings with attendance and make-up, and the
compliance of each branch per month (what was due, held, missing), with the 预警
for the 党委 above. 主题党日 come from volunteer through party.contributions."""

from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.db.models.functions import ExtractMonth, ExtractYear
from django.utils import timezone

from jiceng.core import audit
from jiceng.core.errors import Conflict
from jiceng.core.models import AuditAction
from jiceng.core.months import month_end
from jiceng.core.scope import path_prefix, require_in_scope
from jiceng.places.models import Place

from .. import contributions
from ..models import (
    PERIOD_MONTHS,
    Attendance,
    Meeting,
    MeetingForm,
    MeetingKind,
    MeetingPhoto,
    MeetingRule,
    PartyMember,
    PartyOrg,
    PartyOrgKind,
    Period,
)

# The usual rules (中国共产党支部工作条例): 支委会 monthly, 党员大会 and 党课 quarterly,
# 党小组会 monthly, 主题党日 monthly. A district or street may set its own.
DEFAULT_RULES = {
    MeetingKind.COMMITTEE: (Period.MONTH, 1),
    MeetingKind.ASSEMBLY: (Period.QUARTER, 1),
    MeetingKind.LESSON: (Period.QUARTER, 1),
    MeetingKind.GROUP: (Period.MONTH, 1),
    MeetingKind.THEME_DAY: (Period.MONTH, 1),
}
# Organisations that hold 三会一课 (a 党小组 meets as its branch's 党小组会).
BRANCH_KINDS = {PartyOrgKind.GRID_BRANCH}
RECORDED_KINDS = [k for k in MeetingKind if k != MeetingKind.THEME_DAY]
WARN_DAYS = 10  # 预警 this many days before a period ends with a meeting missing


def rules_for(place, all_rules=None) -> dict:
    """{kind: (period, times)} for branches at place: the nearest rule up the tree.

    all_rules: the rules already loaded (with their places), for many branches."""
    if all_rules is None:
        paths = Place.lineage_paths(place.path, include_self=True)
        all_rules = MeetingRule.objects.filter(place__path__in=paths).select_related(
            "place"
        )
    rules = dict(DEFAULT_RULES)
    found = {}
    for rule in all_rules:
        if not place.path.startswith(rule.place.path):
            continue
        held = found.get(rule.kind)
        if held is None or len(rule.place.path) > len(held.place.path):
            found[rule.kind] = rule
    rules.update({k: (r.period, r.times) for k, r in found.items()})
    return rules


def communities_of(orgs) -> dict:
    """{org id: id of the community its place lies in}, one query."""
    lineages = {o.pk: Place.lineage_paths(o.place.path) for o in orgs}
    paths = {p for lineage in lineages.values() for p in lineage}
    communities = dict(
        Place.objects.filter(path__in=paths, kind="community").values_list("path", "pk")
    )
    return {
        pk: next((communities[p] for p in lineage if p in communities), None)
        for pk, lineage in lineages.items()
    }


@lru_cache(maxsize=4096)
def period_of(day: date, period: str) -> tuple[date, date]:
    """The first and last day of the period (month, quarter, half, year) holding day."""
    span = PERIOD_MONTHS[period]
    start_month = (day.month - 1) // span * span + 1
    first = date(day.year, start_month, 1)
    end_month = start_month + span - 1
    last = date(day.year, end_month, 1) + timedelta(days=32)
    return first, last.replace(day=1) - timedelta(days=1)


@transaction.atomic
def record_meeting(
    *,
    actor,
    org,
    kind,
    topic,
    held_on,
    form=MeetingForm.ORDINARY,
    venue="",
    minutes="",
    present=(),
    absent=(),
    photos=(),
) -> Meeting:
    """Record a held meeting; present/absent are members, absent as (member, reason)."""
    require_in_scope(org, actor, "change")
    errors = {}
    if kind == MeetingKind.THEME_DAY:
        errors["kind"] = (
            "主题党日在“志愿服务—主题党日”中组织和签到，此处自动计入，无需重复录入"
        )
    elif kind not in MeetingKind.values:
        errors["kind"] = "请选择会议类型"
    if not (topic or "").strip():
        errors["topic"] = "请填写会议主题"
    if held_on is None:
        errors["held_on"] = "请填写召开日期"
    elif held_on > timezone.localdate():
        errors["held_on"] = "召开日期不能晚于今天（计划中的会议请在召开后记录）"
    members = {m.pk for m in PartyMember.objects.filter(org=org)}
    absent = [(m, (reason or "").strip()) for m, reason in absent]
    chosen = [m.pk for m in present] + [m.pk for m, _ in absent]
    if len(chosen) != len(set(chosen)):
        errors["present"] = "同一党员不能既出席又缺席"
    elif set(chosen) - members:
        errors["present"] = "只能登记本支部党员的出席情况"
    if any(not reason for _, reason in absent):
        errors["absent"] = "缺席的党员请填写缺席原因"
    if errors:
        raise ValidationError(errors)
    meeting = Meeting.objects.create(
        org=org,
        kind=kind,
        form=form or MeetingForm.ORDINARY,
        topic=topic.strip(),
        held_on=held_on,
        venue=venue.strip(),
        minutes=minutes.strip(),
        created_by=actor,
    )
    Attendance.objects.bulk_create(
        [Attendance(meeting=meeting, member=m, present=True) for m in present]
        + [
            Attendance(meeting=meeting, member=m, present=False, absence_reason=r)
            for m, r in absent
        ]
    )
    for photo in photos:
        MeetingPhoto.objects.create(meeting=meeting, image=photo)
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        target=meeting,
        changes={"present": len(present), "absent": len(absent)},
    )
    return meeting


@transaction.atomic
def make_up(*, actor, attendance, on, note) -> Attendance:
    """补学: an absent member makes the meeting up later (e.g. reads the minutes)."""
    attendance = Attendance.objects.select_for_update().get(pk=attendance.pk)
    meeting = attendance.meeting
    require_in_scope(meeting, actor, "change")
    if attendance.present:
        raise ValidationError("该党员已出席，无需补学")
    if attendance.made_up_on is not None:
        raise Conflict("该党员已登记补学")
    if on is None or on < meeting.held_on or on > timezone.localdate():
        raise ValidationError({"on": "补学日期应在会议之后、不晚于今天"})
    if not (note or "").strip():
        raise ValidationError({"note": "请填写补学方式（如：个人学习会议记录）"})
    attendance.made_up_on, attendance.made_up_note = on, note.strip()
    attendance.save()
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=meeting,
        changes={"made_up": [str(attendance.member), str(on)]},
    )
    return attendance


@transaction.atomic
def set_rule(*, actor, place, kind, period, times=1) -> MeetingRule:
    require_in_scope(place, actor, "change")
    if period not in Period.values or kind not in MeetingKind.values or times < 1:
        raise ValidationError("频次设置无效")
    try:
        rule, _ = MeetingRule.objects.update_or_create(
            place=place, kind=kind, defaults={"period": period, "times": times}
        )
    except IntegrityError as exc:
        raise Conflict() from exc
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=rule,
        changes={"period": period, "times": times},
    )
    return rule


# ---- compliance -------------------------------------------------------------


@dataclass
class Cell:
    """One kind of meeting in one branch and month: due (a period closes this
    month, or is open), held in its period so far, and the verdict."""

    kind: str
    period: str
    times: int
    held: int
    closes: bool  # the period ends with this month
    state: str = ""  # ok / missing / pending / warn

    @property
    def label(self):
        return MeetingKind(self.kind).label


@dataclass
class BranchRow:
    org: PartyOrg
    months: list = field(default_factory=list)  # [(year, month, [Cell])]
    missing: int = 0


def months_between(first: date, last: date):
    y, m = first.year, first.month
    while (y, m) <= (last.year, last.month):
        yield y, m
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)


@lru_cache(maxsize=1024)
def _window(y, m, period):
    """(whether period closes with month y-m, its months up to y-m, its last day)."""
    p_first, p_last = period_of(date(y, m, 1), period)
    last_day = month_end(y, m)
    return p_last == last_day, tuple(months_between(p_first, last_day)), p_last


def held_counts(orgs, first, last) -> dict:
    """{(org id, kind, year, month): meetings held}, one GROUP BY."""
    rows = (
        Meeting.objects.filter(org__in=orgs, held_on__range=(first, last))
        .annotate(y=ExtractYear("held_on"), m=ExtractMonth("held_on"))
        .values("org_id", "kind", "y", "m")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {(r["org_id"], r["kind"], r["y"], r["m"]): r["n"] for r in rows}


def compliance(orgs, first: date, last: date, today=None) -> list[BranchRow]:
    """Per branch and month, each due kind with what was held in its period.

    A monthly rule is judged every month; a quarterly one at the quarter's last
    month (held in any of its months counts). A period still running is pending
    until WARN_DAYS before its end (then 预警 warn), and missing once it is over.
    """
    today = today or timezone.localdate()
    orgs = list(orgs)
    # periods reach back to the start of the year so a quarter is judged whole
    start = date(first.year, 1, 1)
    held = held_counts(orgs, start, last)
    community_of = communities_of(orgs)
    theme = contributions.theme_days(
        {c for c in community_of.values() if c}, start, last
    )
    all_rules = list(MeetingRule.objects.select_related("place"))
    rows = []
    for org in orgs:
        rules = rules_for(org.place, all_rules)
        row = BranchRow(org)
        for y, m in months_between(first, last):
            cells = []
            for kind, (period, times) in rules.items():
                closes, window, p_last = _window(y, m, period)
                if not closes:
                    continue
                count = 0
                for py, pm in window:
                    count += held.get((org.pk, kind, py, pm), 0)
                    if kind == MeetingKind.THEME_DAY:
                        count += theme.get((community_of[org.pk], py, pm), 0)
                cell = Cell(kind, period, times, count, closes)
                if count >= times:
                    cell.state = "ok"
                elif p_last < today:
                    cell.state = "missing"
                    row.missing += 1
                elif p_last - today <= timedelta(days=WARN_DAYS):
                    cell.state = "warn"
                else:
                    cell.state = "pending"
                cells.append(cell)
            row.months.append((y, m, cells))
        rows.append(row)
    return rows


def compliance_tally(rows) -> tuple[int, int]:
    """(kinds held as due, kinds judged) over the rows' months: a kind counts once
    its period is judged (ok, missing, or 预警 warn); pending ones wait."""
    judged = [
        cell
        for row in rows
        for _y, _m, cells in row.months
        for cell in cells
        if cell.state != "pending"
    ]
    return sum(1 for cell in judged if cell.state == "ok"), len(judged)


def compliance_rate(rows):
    """三会一课落实率 (%): of the meetings judged due, the share held; None when
    none is judged yet."""
    held, judged = compliance_tally(rows)
    return round(100 * held / judged, 1) if judged else None


def branches_under(user, place=None):
    """Branches the user may see (in place's subtree when given)."""
    orgs = PartyOrg.objects.visible_to(user).filter(kind__in=BRANCH_KINDS)
    if place is not None:
        orgs = orgs.filter(path_prefix(place.path, "place_path"))
    return orgs.select_related("place").order_by("path")


def warnings(rows) -> list[tuple]:
    """预警 for the 党委 above: (branch, year, month, cell) missing or about to be."""
    return [
        (row.org, y, m, cell)
        for row in rows
        for y, m, cells in row.months
        for cell in cells
        if cell.state in ("missing", "warn")
    ]


def meeting_stats(member) -> dict:
    """A member's meetings: attended, absent and made up, absent not made up."""
    rows = Attendance.objects.filter(member=member)
    return {
        "present": rows.filter(present=True).count(),
        "made_up": rows.filter(present=False, made_up_on__isnull=False).count(),
        "owed": rows.filter(present=False, made_up_on__isnull=True).count(),
    }
