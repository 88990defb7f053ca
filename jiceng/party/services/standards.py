"""党支部标准化: score a branch's checklist by weight, self-assess, review, grade, and
track the rectification of 后进 branches (四抓两整治) to done."""

from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from jiceng.core import audit
from jiceng.core.errors import Conflict, check_version
from jiceng.core.models import AuditAction
from jiceng.core.scope import require_in_scope
from jiceng.places.models import Place

from ..models import (
    Assessment,
    AssessmentItem,
    AssessmentStatus,
    Grade,
    PartyOrg,
    Rectification,
    Standard,
)

# 示范 from 90 points, 达标 from 70, below that 后进 (the district may differ;
# these are the Jinchang-style thresholds).
GRADE_FLOORS = [(Decimal(90), Grade.MODEL), (Decimal(70), Grade.PASS)]


def weighted_score(scores: dict) -> Decimal:
    """Total out of 100: each standard's 0-100 score weighted by its weight.

    scores: {Standard: score}. Worked example in tests: weights 20/30/50 with
    scores 100/80/60 give (20*100 + 30*80 + 50*60) / 100 = 74.0."""
    total_weight = sum(s.weight for s in scores)
    if not total_weight:
        return Decimal(0)
    points = sum(Decimal(s.weight) * Decimal(v) for s, v in scores.items())
    return (points / total_weight).quantize(Decimal("0.1"), ROUND_HALF_UP)


def grade_for(score: Decimal) -> str:
    for floor, grade in GRADE_FLOORS:
        if score >= floor:
            return grade
    return Grade.BEHIND


def standards_for(org):
    """The active checklist that applies to org: its street's if the street set
    one, else its district's (the nearest checklist up the tree, never both)."""
    return standards_at(org.place)


def standards_at(place):
    paths = Place.lineage_paths(place.path)
    standards = Standard.objects.filter(active=True, place__path__in=paths)
    nearest = standards.order_by("-place__depth").values("place_id")[:1]
    return standards.filter(place_id__in=nearest).order_by("order", "pk")


def _checked_scores(standards, scores, label):
    missing = [s.title for s in standards if s.pk not in scores]
    if missing:
        raise ValidationError(f"请为每一项{label}：{'、'.join(missing[:3])}")
    bad = [s.title for s in standards if not 0 <= int(scores[s.pk]) <= 100]
    if bad:
        raise ValidationError(f"得分应在0到100之间：{'、'.join(bad[:3])}")


@transaction.atomic
def self_assess(*, actor, org, year, scores, evidence=None) -> Assessment:
    """The branch scores itself on every standard (0-100), with evidence."""
    require_in_scope(org, actor, "change")
    standards = list(standards_for(org))
    if not standards:
        raise ValidationError("尚未设置标准化条目")
    _checked_scores(standards, scores, "自评打分")
    total = weighted_score({s: scores[s.pk] for s in standards})
    try:
        assessment = Assessment.objects.create(
            org=org, year=year, status=AssessmentStatus.SELF, self_score=total
        )
    except IntegrityError as exc:
        raise Conflict(f"{org} {year}年已自评") from exc
    evidence = evidence or {}
    AssessmentItem.objects.bulk_create(
        AssessmentItem(
            assessment=assessment,
            standard=s,
            self_score=int(scores[s.pk]),
            evidence=(evidence.get(s.pk) or "")[:300],
        )
        for s in standards
    )
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        target=assessment,
        changes={"self_score": str(total)},
    )
    return assessment


@transaction.atomic
def review(*, actor, assessment, scores, version=None) -> Assessment:
    """The 党委 above reviews: its scores make the grade."""
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    check_version(assessment, version)
    parent = PartyOrg.objects.get_parent(assessment.org)
    require_in_scope(parent or assessment.org, actor, "change")
    if assessment.status == AssessmentStatus.REVIEWED:
        raise Conflict("该评定已审核")
    items = list(assessment.items.select_related("standard"))
    _checked_scores([i.standard for i in items], scores, "审核打分")
    for item in items:
        item.review_score = int(scores[item.standard_id])
    AssessmentItem.objects.bulk_update(items, ["review_score"])
    total = weighted_score({i.standard: i.review_score for i in items})
    assessment.review_score, assessment.grade = total, grade_for(total)
    assessment.status = AssessmentStatus.REVIEWED
    assessment.reviewed_by, assessment.reviewed_at = actor, timezone.now()
    assessment.version += 1
    assessment.save()
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=assessment,
        changes={"review_score": str(total), "grade": assessment.grade},
    )
    return assessment


@transaction.atomic
def plan_rectification(*, actor, assessment, problem, measure, due_on):
    require_in_scope(assessment.org, actor, "change")
    if assessment.grade != Grade.BEHIND:
        raise ValidationError("只有评为后进的党支部需要制定整改计划")
    if not problem.strip() or not measure.strip() or due_on is None:
        raise ValidationError("请填写问题、整改措施和时限")
    item = Rectification.objects.create(
        assessment=assessment,
        problem=problem.strip(),
        measure=measure.strip(),
        due_on=due_on,
    )
    audit.record(actor=actor, action=AuditAction.CREATE, target=item)
    return item


@transaction.atomic
def finish_rectification(*, actor, item, result, on=None):
    item = Rectification.objects.select_for_update().get(pk=item.pk)
    require_in_scope(item.assessment.org, actor, "change")
    if item.done_on:
        raise Conflict("该整改事项已完成")
    if not (result or "").strip():
        raise ValidationError({"result": "请填写整改结果"})
    item.done_on, item.result = on or timezone.localdate(), result.strip()
    item.save()
    audit.record(
        actor=actor, action=AuditAction.UPDATE, target=item, changes={"done": True}
    )
    return item


def rectification_status(assessment, today=None) -> str:
    """How a branch's rectification stands, in words for the 党委 above."""
    if assessment is None:
        return "未自评"
    if assessment.status != AssessmentStatus.REVIEWED:
        return "待审核"
    if assessment.grade != Grade.BEHIND:
        return "无需整改"
    items = list(assessment.rectifications.all())
    if not items:
        return "待制定整改计划"
    done = sum(1 for r in items if r.done_on)
    if done == len(items):
        return f"已完成整改（{done}项）"
    today = today or timezone.localdate()
    late = sum(1 for r in items if not r.done_on and r.due_on < today)
    text = f"整改中（已完成{done}/{len(items)}）"
    return f"{text}，逾期{late}项" if late else text


def results(branches, year):
    """(branch, its assessment of year or None, rectification status) per branch."""
    branches = list(branches)
    assessments = {
        a.org_id: a
        for a in Assessment.objects.filter(
            org__in=branches, year=year
        ).prefetch_related("rectifications")
    }
    today = timezone.localdate()
    return [
        (b, assessments.get(b.pk), rectification_status(assessments.get(b.pk), today))
        for b in branches
    ]
