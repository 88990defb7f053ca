"""3岗18级: hiring, posts and grades, the step-up rule, pay tables and salary sheets.

The step-up rule (one place, used by the list page, the API and the yearly run):
a worker is due one grade up in a year when, by the 31 December of that year, they
have held their grade for STEP_YEARS years and are below their post's top grade;
not when the last assessment before that year was 不称职 or 基本称职 (the years
restart from that one), nor while a disciplinary sanction is in effect on the
31 December. Every decision carries its reason in Chinese.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from jiceng.core import audit
from jiceng.core.errors import check_version
from jiceng.core.models import AuditAction
from jiceng.core.scope import path_prefix, require_in_scope
from jiceng.core.validators import validate_mobile
from jiceng.places.models import PlaceKind

from ..errors import Code
from ..models import (
    POST_GRADES,
    STEP_YEARS,
    Assessment,
    AssessmentGrade,
    CareerEvent,
    Certificate,
    EventKind,
    PayTable,
    Post,
    SalaryLine,
    SalarySheet,
    Worker,
    WorkerStatus,
)
from .common import MANAGE, bad_state, of_kind, require_covers

BLOCKING_GRADES = {AssessmentGrade.BASIC, AssessmentGrade.INCOMPETENT}


def check_grade(post, grade):
    low, high = POST_GRADES[Post(post)]
    if not low <= int(grade) <= high:
        raise ValidationError(
            {"grade": f"{Post(post).label}的等级范围是{low}–{high}级"}, code=Code.GRADE
        )


@transaction.atomic
def hire_worker(
    *,
    actor,
    community,
    name,
    post,
    grade,
    hired_on,
    kind="grid",
    phone="",
    grids=(),
    user=None,
):
    require_covers(actor, community, MANAGE)
    check_grade(post, grade)
    worker = Worker.objects.create(
        name=name.strip(),
        kind=kind,
        community=community,
        phone=validate_mobile(phone) if phone else "",
        post=post,
        grade=grade,
        grade_since=hired_on,
        hired_on=hired_on,
        user=user,
    )
    if grids:
        worker.grids.set(grids)
    CareerEvent.objects.create(
        worker=worker, kind=EventKind.HIRE, on=hired_on, post=post, grade=grade
    )
    audit.record(actor=actor, action=AuditAction.CREATE, target=worker)
    require_in_scope(worker, actor, "manage")
    return worker


def _locked(worker, actor, version=None):
    locked = Worker.objects.select_for_update().get(pk=worker.pk)
    check_version(locked, version)
    require_in_scope(locked, actor, "manage")
    return locked


@transaction.atomic
def change_post(*, actor, worker, post, grade, on, note="", version=None):
    """Move a worker to another post; the grade restarts its three years."""
    worker = _locked(worker, actor, version)
    check_grade(post, grade)
    before = {"post": worker.post, "grade": worker.grade}
    worker.post, worker.grade, worker.grade_since = post, int(grade), on
    worker.version += 1
    worker.save()
    CareerEvent.objects.create(
        worker=worker, kind=EventKind.POST, on=on, post=post, grade=grade, note=note
    )
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=worker,
        changes=audit.diff(before, {"post": post, "grade": int(grade)}),
    )
    return worker


@transaction.atomic
def record_discipline(*, actor, worker, on, until, note):
    worker = _locked(worker, actor)
    if until < on:
        raise ValidationError({"until": "影响期不能早于处分日期"}, code=Code.INVALID)
    event = CareerEvent.objects.create(
        worker=worker, kind=EventKind.DISCIPLINE, on=on, until=until, note=note[:200]
    )
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=worker,
        changes={"处分": [None, f"{on}–{until} {note}"]},
    )
    return event


@transaction.atomic
def add_certificate(*, actor, worker, kind, issued_on, expires_on=None, number=""):
    worker = _locked(worker, actor)
    if expires_on is not None and expires_on < issued_on:
        raise ValidationError({"expires_on": "有效期不能早于发证日期"})
    certificate = Certificate.objects.create(
        worker=worker,
        kind=kind,
        issued_on=issued_on,
        expires_on=expires_on,
        number=number,
    )
    CareerEvent.objects.create(
        worker=worker,
        kind=EventKind.CERTIFICATE,
        on=issued_on,
        note=certificate.get_kind_display(),
    )
    audit.record(actor=actor, action=AuditAction.CREATE, target=certificate)
    return certificate


@dataclass
class StepDecision:
    worker: Worker
    due: bool
    reason: str
    next_grade: int | None = None


def step_decision(worker, year, *, assessments=None, sanctions=None) -> StepDecision:
    """Whether worker is due one grade up in year, and why (see module docstring).

    assessments: {year: grade} of this worker; sanctions: [(on, until)]; both are
    read from the database when not given (the list passes them in bulk).
    """
    year_end = date(year, 12, 31)
    high = POST_GRADES[Post(worker.post)][1]
    if worker.grade >= high:
        return StepDecision(
            worker, False, f"已达{worker.get_post_display()}最高{high}级"
        )
    if assessments is None:
        assessments = dict(
            Assessment.objects.filter(worker=worker).values_list("year", "grade")
        )
    if sanctions is None:
        sanctions = list(
            CareerEvent.objects.filter(
                worker=worker, kind=EventKind.DISCIPLINE
            ).values_list("on", "until")
        )
    since = worker.grade_since
    # A 基本称职/不称职 year restarts the count from the next January.
    blocked = [y for y, g in assessments.items() if g in BLOCKING_GRADES and y < year]
    if blocked and date(max(blocked) + 1, 1, 1) > since:
        last = max(blocked)
        since = date(last + 1, 1, 1)
        reason_prefix = f"{last}年度考核{AssessmentGrade(assessments[last]).label}，"
    else:
        reason_prefix = ""
    years_held = (
        year_end.year
        - since.year
        - ((year_end.month, year_end.day) < (since.month, since.day))
    )
    if years_held < STEP_YEARS:
        return StepDecision(
            worker,
            False,
            f"{reason_prefix}自{since:%Y年%m月}起任现级未满{STEP_YEARS}年",
        )
    for on, until in sanctions:
        if on <= year_end and (until is None or until >= year_end):
            return StepDecision(
                worker, False, f"处分影响期内（至{until:%Y年%m月%d日}），暂缓晋级"
            )
    return StepDecision(
        worker,
        True,
        f"{reason_prefix}自{since:%Y年%m月}起任{worker.grade}级满{STEP_YEARS}年",
        worker.grade + 1,
    )


def step_up_list(workers, year) -> list[StepDecision]:
    """The step-up decision for each worker, with three queries in all."""
    workers = list(workers)
    ids = [w.pk for w in workers]
    assessments: dict = {}
    for worker_id, y, grade in Assessment.objects.filter(worker_id__in=ids).values_list(
        "worker_id", "year", "grade"
    ):
        assessments.setdefault(worker_id, {})[y] = grade
    sanctions: dict = {}
    for worker_id, on, until in CareerEvent.objects.filter(
        worker_id__in=ids, kind=EventKind.DISCIPLINE
    ).values_list("worker_id", "on", "until"):
        sanctions.setdefault(worker_id, []).append((on, until))
    return [
        step_decision(
            w,
            year,
            assessments=assessments.get(w.pk, {}),
            sanctions=sanctions.get(w.pk, []),
        )
        for w in workers
    ]


@transaction.atomic
def step_up(*, actor, worker, year, on=None):
    """Apply the step-up the rule says is due (refused, with the reason, if not)."""
    worker = _locked(worker, actor)
    decision = step_decision(worker, year)
    if not decision.due:
        raise bad_state(f"{worker.name}本年度不晋级：{decision.reason}")
    on = on or timezone.localdate()
    before = worker.grade
    worker.grade, worker.grade_since = decision.next_grade, on
    worker.version += 1
    worker.save()
    CareerEvent.objects.create(
        worker=worker,
        kind=EventKind.GRADE,
        on=on,
        post=worker.post,
        grade=worker.grade,
        note=decision.reason,
    )
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=worker,
        changes={"grade": [before, worker.grade]},
    )
    return worker


def first_of_month(day):
    return day.replace(day=1)


@transaction.atomic
def set_pay_table(
    *, actor, district, effective_from, base, qualification, grade_allowances, note=""
):
    """A new pay standard from a month on; never for a month already begun before
    this one (past months keep what they were paid)."""
    require_covers(actor, district, MANAGE)
    if district.kind != PlaceKind.DISTRICT:
        raise ValidationError("薪酬标准由区级统一制定", code=Code.INVALID)
    effective_from = first_of_month(effective_from)
    this_month = first_of_month(timezone.localdate())
    if effective_from < this_month:
        raise ValidationError(
            {"effective_from": "薪酬标准只能从本月或以后月份起执行，已过去的月份不变"},
            code=Code.PAST_MONTH,
        )
    if SalarySheet.objects.filter(
        table__district=district, month__gte=effective_from
    ).exists():
        raise ValidationError(
            {"effective_from": "该月份的工资表已生成，新标准请从下月起执行"},
            code=Code.PAST_MONTH,
        )
    allowances = {
        str(g): str(Decimal(str(grade_allowances[g]))) for g in grade_allowances
    }
    missing = [g for g in range(1, 19) if str(g) not in allowances]
    if missing:
        raise ValidationError({"grade_allowances": f"缺少等级津贴：{missing}"})
    table, created = PayTable.objects.update_or_create(
        district=district,
        effective_from=effective_from,
        defaults={
            "base": base,
            "qualification": qualification,
            "grade_allowances": allowances,
            "note": note,
        },
    )
    audit.record(
        actor=actor,
        action=AuditAction.CREATE if created else AuditAction.UPDATE,
        target=table,
        changes={
            "base": [None, str(base)],
            "qualification": [None, str(qualification)],
        },
    )
    return table


def table_for(district, month):
    """The pay standard in force in a month: the latest that began by then."""
    return (
        PayTable.objects.filter(district=district, effective_from__lte=month)
        .order_by("-effective_from")
        .first()
    )


def certified_ids(worker_ids, day) -> set:
    return set(
        Certificate.objects.filter(worker_id__in=worker_ids, issued_on__lte=day)
        .filter(Q(expires_on__isnull=True) | Q(expires_on__gte=day))
        .values_list("worker_id", flat=True)
    )


@transaction.atomic
def make_salary_sheet(*, actor, community, month):
    """The month's sheet for a community, made once and frozen after."""
    require_covers(actor, community, MANAGE)
    month = first_of_month(month)
    existing = SalarySheet.objects.filter(community=community, month=month).first()
    if existing is not None:
        return existing
    district = of_kind(community, PlaceKind.DISTRICT)
    table = table_for(district, month)
    if table is None:
        raise bad_state(f"{month:%Y年%m月}尚无薪酬标准，请先设置")
    workers = list(
        Worker.objects.filter(
            community=community,
            status=WorkerStatus.ACTIVE,
            hired_on__lte=month.replace(day=28),
        )
    )
    certified = certified_ids([w.pk for w in workers], month)
    sheet = SalarySheet.objects.create(community=community, month=month, table=table)
    lines = []
    for w in workers:
        allowance = table.allowance(w.grade)
        qualification = table.qualification if w.pk in certified else Decimal("0")
        lines.append(
            SalaryLine(
                sheet=sheet,
                worker=w,
                name=w.name,
                post=w.post,
                grade=w.grade,
                base=table.base,
                grade_allowance=allowance,
                qualification=qualification,
                total=table.base + allowance + qualification,
            )
        )
    SalaryLine.objects.bulk_create(lines)
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        target=sheet,
        changes={"lines": [None, len(lines)]},
    )
    return sheet


def certificate_rates(places, day=None):
    """持证率 per place (street or community): active workers with a valid
    certificate on day over active workers, [(place, certified, total, rate)]."""
    day = day or timezone.localdate()
    rows = []
    for place in places:
        workers = Worker.objects.filter(
            path_prefix(place.path, "community__path"), status=WorkerStatus.ACTIVE
        )
        total = workers.count()
        certified = (
            workers.filter(certificates__issued_on__lte=day)
            .filter(
                Q(certificates__expires_on__isnull=True)
                | Q(certificates__expires_on__gte=day)
            )
            .distinct()
            .count()
        )
        rate = round(100 * certified / total, 1) if total else None
        rows.append((place, certified, total, rate))
    return rows
