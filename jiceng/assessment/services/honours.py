"""Honours (推荐 → 审核 → 公示 → 授予) and the annual 述职评议."""

from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Avg
from django.utils import timezone

from jiceng.core import audit
from jiceng.core.errors import Conflict
from jiceng.core.models import AuditAction
from jiceng.core.scope import has_permission
from jiceng.places.models import Place

from ..errors import AssessmentError
from ..models import (
    Appraisal,
    AppraisalScore,
    Grade,
    Honour,
    HonourStatus,
    ScorerKind,
)

PUBLICITY_DAYS = 7
# 述职评议: the street's score weighs 60%, the residents' representatives' 40%.
STREET_WEIGHT, RESIDENT_WEIGHT = Decimal("0.6"), Decimal("0.4")
NEXT = {
    HonourStatus.NOMINATED: HonourStatus.REVIEWED,
    HonourStatus.REVIEWED: HonourStatus.PUBLICITY,
    HonourStatus.PUBLICITY: HonourStatus.AWARDED,
}


def _require(actor):
    if not has_permission(actor, "assessment.honours"):
        raise PermissionDenied("无权办理评优表彰")


@transaction.atomic
def nominate(*, actor, kind, year, title, nominee, place, deeds, **who):
    _require(actor)
    if not Place.objects.visible_to(actor).filter(pk=place.pk).exists():
        raise PermissionDenied("只能推荐辖区内的对象")
    if len((deeds or "").strip()) < 10:
        raise ValidationError({"deeds": "请填写主要事迹（至少10个字）"})
    row = Honour.objects.create(
        kind=kind,
        year=year,
        title=title,
        nominee=nominee,
        place=place,
        deeds=deeds.strip(),
        nominated_by=actor,
        **who,
    )
    audit.record(actor=actor, action=AuditAction.CREATE, target=row)
    return row


@transaction.atomic
def advance(*, actor, honour, reject=False, today=None):
    """Move a nomination one step on: review, publicity (7 days), award; or reject."""
    _require(actor)
    today = today or timezone.localdate()
    row = Honour.objects.select_for_update().get(pk=honour.pk)
    if not Honour.objects.visible_to(actor).filter(pk=row.pk).exists():
        raise PermissionDenied("超出权限范围")
    before = row.status
    if reject and before in NEXT:
        row.status = HonourStatus.REJECTED
    elif before not in NEXT:
        raise ValidationError("该推荐已办结", code=AssessmentError.STATE)
    else:
        target = NEXT[before]
        if target == HonourStatus.AWARDED and row.publicity_until >= today:
            raise ValidationError(
                f"公示期至{row.publicity_until:%Y-%m-%d}，期满后方可授予"
            )
        row.status = target
        if target == HonourStatus.PUBLICITY:
            row.publicity_until = today + timedelta(days=PUBLICITY_DAYS)
        if target == HonourStatus.AWARDED:
            row.awarded_on = today
    row.save()
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=row,
        changes={"status": [before, row.status]},
    )
    return row


def grade_of(total: Decimal) -> str:
    if total >= 90:
        return Grade.EXCELLENT
    if total >= 80:
        return Grade.GOOD
    return Grade.FAIR if total >= 60 else Grade.POOR


@transaction.atomic
def open_appraisal(*, actor, community, year, secretary, report):
    _require(actor)
    if not Place.objects.visible_to(actor).filter(pk=community.pk).exists():
        raise PermissionDenied("超出权限范围")
    try:
        with transaction.atomic():
            row = Appraisal.objects.create(
                community=community, year=year, secretary=secretary, report=report
            )
    except IntegrityError:
        raise Conflict("该社区本年度已有述职评议") from None
    audit.record(actor=actor, action=AuditAction.CREATE, target=row)
    return row


@transaction.atomic
def add_score(*, actor, appraisal, kind, scorer, score):
    """A score from the street or a residents' representative; the totals and the
    grade follow (street 60%, representatives 40%)."""
    _require(actor)
    value = Decimal(str(score))
    if not 0 <= value <= 100 or kind not in ScorerKind.values:
        raise ValidationError("评分须在0至100之间")
    row = Appraisal.objects.select_for_update().get(pk=appraisal.pk)
    try:
        with transaction.atomic():
            AppraisalScore.objects.create(
                appraisal=row, kind=kind, scorer=scorer, score=value
            )
    except IntegrityError:
        raise Conflict(f"{scorer}已评分") from None
    means = {
        k: row.scores.filter(kind=k).aggregate(m=Avg("score"))["m"]
        for k in ScorerKind.values
    }
    two = Decimal("0.01")
    row.street_score = means["street"] and Decimal(means["street"]).quantize(two)
    row.resident_score = means["resident"] and Decimal(means["resident"]).quantize(two)
    if row.street_score is not None and row.resident_score is not None:
        row.total = (
            row.street_score * STREET_WEIGHT + row.resident_score * RESIDENT_WEIGHT
        ).quantize(two, ROUND_HALF_UP)
        row.grade = grade_of(row.total)
    row.save()
    audit.record(actor=actor, action=AuditAction.UPDATE, target=row)
    return row
