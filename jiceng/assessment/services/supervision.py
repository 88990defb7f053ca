"""督察检查: plans, inspections on the phone, and the rectification ledger
(owner, deadline, evidence, verification by the inspector, reopening), with the
rectification rate and overdue list per street, community and department."""

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.db.models.functions import Substr
from django.utils import timezone

from jiceng.core import audit
from jiceng.core.errors import check_version
from jiceng.core.models import AuditAction
from jiceng.core.scope import can, has_permission, path_prefix
from jiceng.places.models import Place, PlaceKind

from ..errors import AssessmentError
from ..models import (
    OPEN_PROBLEM,
    Inspection,
    InspectionPhoto,
    InspectionPlan,
    Problem,
    ProblemStatus,
)

MAX_PHOTOS = 6


def require(actor, permission, message):
    if not has_permission(actor, permission):
        raise PermissionDenied(message)


def in_reach(actor, place):
    return Place.objects.visible_to(actor).filter(pk=place.pk).exists()


@transaction.atomic
def create_plan(
    *, actor, title, topic, place, targets, checklist, inspectors, starts_on, ends_on
):
    require(actor, "assessment.inspect", "无权制定督察计划")
    if not in_reach(actor, place):
        raise PermissionDenied("超出权限范围")
    items = [str(i).strip() for i in checklist if str(i).strip()]
    if not items:
        raise ValidationError({"checklist": "检查清单至少一项"})
    if ends_on < starts_on:
        raise ValidationError({"ends_on": "结束日期不能早于开始日期"})
    targets = list(targets)
    outside = [t for t in targets if not t.path.startswith(place.path)]
    if not targets or outside:
        raise ValidationError({"targets": "督察对象须在组织单位辖区内"})
    plan = InspectionPlan.objects.create(
        title=title,
        topic=topic,
        place=place,
        checklist=items,
        starts_on=starts_on,
        ends_on=ends_on,
        created_by=actor,
    )
    plan.targets.set(targets)
    plan.inspectors.set(inspectors)
    audit.record(actor=actor, action=AuditAction.CREATE, target=plan)
    return plan


@transaction.atomic
def inspect(*, actor, plan, target, answers, photos=(), problems=()):
    """Record one target's inspection: the checklist answered, photos, and each
    problem found (description, owner, deadline) opened in the ledger.

    answers: {item: (ok: bool, note)}; problems: [dict(description, owner_name,
    deadline, owner_unit=None, owner_department=None)]."""
    if not plan.inspectors.filter(pk=actor.pk).exists() and not can(
        actor, plan, "view"
    ):
        raise PermissionDenied("您不是本次督察的督察人员")
    if not plan.targets.filter(pk=target.pk).exists():
        raise ValidationError("该地点不是本计划的督察对象")
    missing = [item for item in plan.checklist if item not in answers]
    if missing:
        raise ValidationError(f"请逐项填写检查结果：{missing[0]}")
    photos = list(photos)
    if len(photos) > MAX_PHOTOS:
        raise ValidationError(f"照片最多{MAX_PHOTOS}张")
    row = Inspection.objects.create(
        plan=plan,
        target=target,
        inspector=actor,
        answers=[
            {"item": item, "ok": bool(answers[item][0]), "note": answers[item][1]}
            for item in plan.checklist
        ],
    )
    for photo in photos:
        InspectionPhoto.objects.create(inspection=row, file=photo)
    audit.record(actor=actor, action=AuditAction.CREATE, target=row)
    for problem in problems:
        open_problem(actor=actor, inspection=row, place=target, **problem)
    return row


def open_problem(
    *,
    actor,
    place,
    description,
    owner_name,
    deadline,
    owner_unit=None,
    owner_department=None,
    inspection=None,
    check_scope=True,
):
    """Open one row of the rectification ledger."""
    if check_scope and not in_reach(actor, place):
        raise PermissionDenied("超出权限范围")
    if not (description or "").strip():
        raise ValidationError({"description": "请描述发现的问题"})
    if not (owner_name or "").strip():
        raise ValidationError({"owner_name": "请填写整改责任人"})
    if deadline is None or deadline < timezone.localdate():
        raise ValidationError({"deadline": "整改时限不能早于今天"})
    problem = Problem.objects.create(
        inspection=inspection,
        place=place,
        description=description.strip(),
        owner_unit=owner_unit,
        owner_department=owner_department,
        owner_name=owner_name.strip(),
        deadline=deadline,
    )
    audit.record(actor=actor, action=AuditAction.CREATE, target=problem)
    return problem


def _locked(problem, version):
    row = Problem.objects.select_for_update().get(pk=problem.pk)
    check_version(row, version)
    return row


def _save(actor, row, before):
    row.version += 1
    row.save()
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=row,
        changes={"status": [before, row.status]},
    )
    return row


@transaction.atomic
def submit_fix(*, actor, problem, evidence, photo=None, version=None):
    """The owner reports the fix with evidence; the inspector then verifies it."""
    require(actor, "assessment.rectify", "无权提交整改")
    row = _locked(problem, version)
    if not Problem.objects.visible_to(actor).filter(pk=row.pk).exists():
        raise PermissionDenied("超出权限范围")
    if row.status not in OPEN_PROBLEM:
        raise ValidationError("该问题不在待整改状态", code=AssessmentError.STATE)
    if not (evidence or "").strip():
        raise ValidationError({"evidence": "请说明整改情况"})
    before = row.status
    row.status, row.evidence = ProblemStatus.SUBMITTED, evidence.strip()
    if photo is not None:
        row.evidence_photo = photo
    row.fixed_at = timezone.now()
    return _save(actor, row, before)


@transaction.atomic
def verify(*, actor, problem, passed, note="", version=None):
    """The inspector checks the fix: passed closes it (销号), failed reopens it."""
    require(actor, "assessment.inspect", "只有督察人员可以核验")
    row = _locked(problem, version)
    if not Problem.objects.visible_to(actor).filter(pk=row.pk).exists():
        raise PermissionDenied("超出权限范围")
    if row.status != ProblemStatus.SUBMITTED:
        raise ValidationError("尚未提交整改，不能核验", code=AssessmentError.STATE)
    if not passed and not (note or "").strip():
        raise ValidationError({"note": "退回重新整改时请写明原因"})
    before = row.status
    row.verifier, row.verify_note = actor, (note or "").strip()[:200]
    if passed:
        row.status, row.verified_at = ProblemStatus.VERIFIED, timezone.now()
    else:
        row.status, row.reopen_count = ProblemStatus.REOPENED, row.reopen_count + 1
    return _save(actor, row, before)


@transaction.atomic
def reopen(*, actor, problem, note, version=None):
    """Reopen a closed row found not fixed after all (复查未整改到位)."""
    require(actor, "assessment.inspect", "只有督察人员可以重新打开")
    row = _locked(problem, version)
    if not Problem.objects.visible_to(actor).filter(pk=row.pk).exists():
        raise PermissionDenied("超出权限范围")
    if row.status != ProblemStatus.VERIFIED:
        raise ValidationError("只有已销号的问题可以重新打开")
    if not (note or "").strip():
        raise ValidationError({"note": "请写明重新打开的原因"})
    before = row.status
    row.status, row.verify_note = ProblemStatus.REOPENED, note.strip()[:200]
    row.verified_at, row.reopen_count = None, row.reopen_count + 1
    return _save(actor, row, before)


@dataclass
class Rate:
    label: str
    found: int = 0
    fixed: int = 0
    overdue: int = 0
    rows: list = field(default_factory=list)

    @property
    def rate(self):
        return round(100 * self.fixed / self.found, 1) if self.found else None

    @property
    def sentence(self):
        """In the reports' form: 发现问题792个，已整改746个，整改率94.2%."""
        rate = f"{self.rate}%" if self.rate is not None else "—"
        return (
            f"发现问题{self.found}个，已整改{self.fixed}个，整改率{rate}，"
            f"逾期未整改{self.overdue}个"
        )


def rates(actor, *, by="street", within=None, today=None, start=None, end=None):
    """The rectification rate overall and per street / community / department."""
    today = today or timezone.localdate()
    rows = Problem.objects.visible_to(actor)
    if within is not None:
        rows = rows.filter(path_prefix(within.path, "place__path"))
    if start is not None:
        rows = rows.filter(created_at__date__gte=start, created_at__date__lte=end)
    total = Rate("合计", **rows.aggregate(**rectification_figures(today)))
    groups = []
    if by == "department":
        grouped = (
            rows.filter(owner_department__isnull=False)
            .values("owner_department__name")
            .annotate(**rectification_figures(today))
            .order_by("owner_department__name")
        )
        groups = [Rate(g.pop("owner_department__name"), **g) for g in grouped]
    else:
        kind = PlaceKind.STREET if by == "street" else PlaceKind.COMMUNITY
        length = Place.steplen * (2 if kind == PlaceKind.STREET else 3)
        grouped = (
            rows.annotate(group=Substr("place__path", 1, length))
            .values("group")
            .annotate(**rectification_figures(today))
            .order_by("group")
        )
        names = dict(Place.objects.filter(kind=kind).values_list("path", "name"))
        groups = [Rate(names.get(g.pop("group"), "—"), **g) for g in grouped]
    return total, groups


def rectification_figures(today):
    """Problems found, verified (销号, the one "rectified") and open past their
    deadline on today, as aggregates for any grouping of the ledger."""
    return {
        "found": Count("pk"),
        "fixed": Count("pk", filter=Q(status=ProblemStatus.VERIFIED)),
        "overdue": Count("pk", filter=Q(status__in=OPEN_PROBLEM, deadline__lt=today)),
    }


def overdue(actor, today=None):
    today = today or timezone.localdate()
    return (
        Problem.objects.visible_to(actor)
        .filter(status__in=OPEN_PROBLEM, deadline__lt=today)
        .select_related("place", "owner_unit", "owner_department")
    )
