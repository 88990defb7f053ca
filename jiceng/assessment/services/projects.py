"""示范项目评选 and 创投: applications, eligibility, an expert panel that never
scores its own unit's or street's applications, per-expert normalisation,
ranking, funding within the budget (with the cut-off explained), milestones and
the final evaluation."""

import statistics
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from jiceng.core import audit
from jiceng.core.errors import Conflict, check_version
from jiceng.core.models import AuditAction
from jiceng.core.scope import grants_for, has_permission, place_prefixes
from jiceng.people.models import Unit
from jiceng.places.models import Place, PlaceKind

from ..errors import AssessmentError
from ..models import (
    Application,
    ApplicationFile,
    ApplicationStatus,
    Call,
    CallStatus,
    Milestone,
    Normalisation,
    Review,
)

MAX_FILES = 5
MAX_FILE_BYTES = 10 * 1024 * 1024


def _require(actor, permission, message):
    if not has_permission(actor, permission):
        raise PermissionDenied(message)


def _street_id(place):
    street = place.ancestor_of_kind(PlaceKind.STREET)
    return street.pk if street else None


@transaction.atomic
def create_call(
    *, actor, kind, title, place, budget, max_grant, criteria, deadline, **extra
):
    _require(actor, "assessment.projects", "无权发布项目评选")
    if not Place.objects.visible_to(actor).filter(pk=place.pk).exists():
        raise PermissionDenied("超出权限范围")
    weights = [Decimal(str(c["weight"])) for c in criteria]
    if not criteria or sum(weights) != 100:
        raise ValidationError({"criteria": "评审标准的权重之和须为100"})
    if Decimal(budget) <= 0 or Decimal(max_grant) <= 0:
        raise ValidationError({"budget": "预算和单项上限须大于0"})
    call = Call.objects.create(
        kind=kind,
        title=title,
        place=place,
        budget=budget,
        max_grant=max_grant,
        criteria=[{"name": c["name"], "weight": float(c["weight"])} for c in criteria],
        deadline=deadline,
        created_by=actor,
        **extra,
    )
    audit.record(actor=actor, action=AuditAction.CREATE, target=call)
    return call


@transaction.atomic
def apply(*, actor, call, title, community, summary, requested, unit=None, files=()):
    """A community or a social organisation applies, with attachments."""
    _require(actor, "assessment.apply", "无权申报项目")
    if call.status != CallStatus.OPEN or call.deadline < timezone.localdate():
        raise ValidationError("该项目评选已截止申报", code=AssessmentError.STATE)
    if not community.path.startswith(call.place.path):
        raise ValidationError({"community": "实施社区不在本次评选范围内"})
    if (
        unit is None
        and not Place.objects.visible_to(actor).filter(pk=community.pk).exists()
    ):
        raise PermissionDenied("只能以本社区名义申报")
    files = list(files)
    if len(files) > MAX_FILES or any(f.size > MAX_FILE_BYTES for f in files):
        raise ValidationError({"files": f"附件最多{MAX_FILES}个，每个不超过10MB"})
    if Decimal(requested) <= 0:
        raise ValidationError({"requested": "申请金额须大于0"})
    row = Application.objects.create(
        call=call,
        title=title,
        community=community,
        unit=unit,
        summary=summary,
        requested=requested,
        submitted_by=actor,
    )
    for upload in files:
        ApplicationFile.objects.create(application=row, file=upload, name=upload.name)
    audit.record(actor=actor, action=AuditAction.CREATE, target=row)
    return row


@transaction.atomic
def check_eligibility(*, actor, application, eligible, note=""):
    _require(actor, "assessment.projects", "无权进行资格审查")
    row = Application.objects.select_for_update().get(pk=application.pk)
    if row.status not in (
        ApplicationStatus.SUBMITTED,
        ApplicationStatus.ELIGIBLE,
        ApplicationStatus.INELIGIBLE,
    ):
        raise ValidationError("评审已开始，不能再修改资格审查结果")
    if not eligible and not note.strip():
        raise ValidationError({"note": "不通过时请写明原因"})
    if Decimal(row.requested) > row.call.max_grant:
        eligible, note = False, note or f"申请金额超过单项上限{row.call.max_grant}元"
    row.status = (
        ApplicationStatus.ELIGIBLE if eligible else ApplicationStatus.INELIGIBLE
    )
    row.eligibility_note = note.strip()[:200]
    row.save()
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=row,
        changes={"status": row.status},
    )
    return row


def conflicted(expert, application) -> str:
    """Why an expert may not score an application ("" when they may)."""
    if expert.unit_id and expert.unit_id == application.unit_id:
        return "申报单位为专家所在单位"
    if expert.street_id and expert.street_id == _street_id(application.community):
        return "申报社区位于专家所在街道"
    return ""


@transaction.atomic
def assign_panel(*, actor, call, experts, per_application=None):
    """Assign every eligible application to each panel expert without a conflict
    of interest; an expert never sees their own unit's or street's applications."""
    _require(actor, "assessment.projects", "无权组织评审")
    call = Call.objects.select_for_update().get(pk=call.pk)
    if call.status not in (CallStatus.OPEN, CallStatus.REVIEW):
        raise ValidationError("已确定资助，不能再调整评审", code=AssessmentError.STATE)
    call.experts.set(experts)
    excluded = []
    for application in call.applications.filter(status=ApplicationStatus.ELIGIBLE):
        free = [e for e in experts if not conflicted(e, application)]
        excluded += [
            (e.name, application.title, conflicted(e, application))
            for e in experts
            if conflicted(e, application)
        ]
        if len(free) < 3:
            raise ValidationError(
                f"“{application.title}”回避后可评审专家不足3人，请增加专家",
                code=AssessmentError.CONFLICT_OF_INTEREST,
            )
        for expert in free[:per_application] if per_application else free:
            Review.objects.get_or_create(application=application, expert=expert)
    call.status = CallStatus.REVIEW
    call.save()
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=call,
        changes={"experts": [e.name for e in experts], "excluded": excluded},
    )
    return excluded


@transaction.atomic
def score(*, actor, application, scores):
    """An expert scores an application assigned to them, once (0–100 per criterion)."""
    review = (
        Review.objects.select_for_update()
        .filter(application=application, expert__user=actor)
        .first()
    )
    if review is None:
        raise PermissionDenied("该项目未分配给您评审")
    if conflicted(review.expert, application):
        raise PermissionDenied("按回避规定，您不能评审该项目")
    if review.submitted_at:
        raise Conflict("您已提交该项目的评分")
    criteria = application.call.criteria
    total = Decimal(0)
    cleaned = {}
    for criterion in criteria:
        try:
            value = Decimal(str(scores.get(criterion["name"])))
        except ArithmeticError:
            value = Decimal(-1)
        if not 0 <= value <= 100:
            raise ValidationError(f"“{criterion['name']}”须打0至100分")
        cleaned[criterion["name"]] = float(value)
        total += value * Decimal(str(criterion["weight"])) / 100
    review.scores = cleaned
    review.total = total.quantize(Decimal("0.01"), ROUND_HALF_UP)
    review.submitted_at = timezone.now()
    review.save()
    audit.record(actor=actor, action=AuditAction.UPDATE, target=review.application)
    return review


def normalised(reviews, method) -> dict[int, float]:
    """application id -> final score.

    zscore: each expert's totals become z-scores over the applications that expert
    scored (a harsh and a lenient expert count alike), then averaged per
    application; trim: the plain totals with the highest and lowest dropped (when
    at least three) and the rest averaged."""
    by_app: dict[int, list[float]] = {}
    if method == Normalisation.ZSCORE:
        by_expert: dict[int, list] = {}
        for r in reviews:
            by_expert.setdefault(r.expert_id, []).append(r)
        for rows in by_expert.values():
            values = [float(r.total) for r in rows]
            mean = statistics.fmean(values)
            spread = statistics.pstdev(values) if len(values) > 1 else 0.0
            for r, v in zip(rows, values, strict=True):
                z = (v - mean) / spread if spread else 0.0
                by_app.setdefault(r.application_id, []).append(z)
        return {a: round(statistics.fmean(v), 3) for a, v in by_app.items()}
    for r in reviews:
        by_app.setdefault(r.application_id, []).append(float(r.total))
    result = {}
    for app, values in by_app.items():
        values = sorted(values)
        kept = values[1:-1] if len(values) >= 3 else values
        result[app] = round(statistics.fmean(kept), 3)
    return result


def allocate_within(ranked, budget):
    """Fund in rank order, each its request, while the budget lasts; the first
    that does not fit draws the line (资助线). Returns ({id: grant}, note)."""
    left = Decimal(budget)
    grants, note = {}, ""
    for app in ranked:
        want = Decimal(app.requested)
        if want <= left and not note:
            grants[app.pk] = want
            left -= want
        elif not note:
            note = (
                f"按得分排序依次资助，第{app.rank}名“{app.title}”申请"
                f"{want}元，超过剩余预算{left}元，资助线划在第{app.rank - 1}名之后；"
                f"共资助{len(grants)}项，合计{Decimal(budget) - left}元，"
                f"结余{left}元。"
            )
    if not note:
        note = f"全部{len(grants)}项均获资助，合计{Decimal(budget) - left}元。"
    return grants, note


@transaction.atomic
def rank_and_allocate(*, actor, call, version=None):
    """Normalise the submitted scores, rank, and allocate within the budget."""
    _require(actor, "assessment.projects", "无权确定资助")
    call = Call.objects.select_for_update().get(pk=call.pk)
    check_version(call, version)
    if call.status != CallStatus.REVIEW:
        raise ValidationError("评审尚未开始或已确定资助", code=AssessmentError.STATE)
    pending = Review.objects.filter(
        application__call=call, submitted_at__isnull=True
    ).count()
    if pending:
        raise ValidationError(f"还有{pending}份评分未提交")
    apps = list(call.applications.filter(status=ApplicationStatus.ELIGIBLE))
    reviews = list(Review.objects.filter(application__in=apps))
    final = normalised(reviews, call.normalisation)
    means = {}
    for r in reviews:
        means.setdefault(r.application_id, []).append(float(r.total))
    apps.sort(key=lambda a: (-final.get(a.pk, -99), a.pk))
    for n, app in enumerate(apps, start=1):
        app.rank = n
        app.final_score = Decimal(str(final.get(app.pk, 0)))
        app.mean_score = Decimal(str(round(statistics.fmean(means[app.pk]), 2)))
    grants, note = allocate_within(apps, call.budget)
    for app in apps:
        app.granted = grants.get(app.pk, Decimal(0))
        app.status = (
            ApplicationStatus.FUNDED
            if app.pk in grants
            else ApplicationStatus.NOT_FUNDED
        )
    Application.objects.bulk_update(
        apps, ["rank", "final_score", "mean_score", "granted", "status"]
    )
    call.status, call.allocation_note = CallStatus.ALLOCATED, note
    call.version += 1
    call.save()
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=call,
        changes={"allocated": str(sum(grants.values(), Decimal(0))), "note": note},
    )
    return call


@transaction.atomic
def report_milestone(*, actor, application, title, due_on, done_on, report, spent):
    _require(actor, "assessment.apply", "无权填报进度")
    if application.status != ApplicationStatus.FUNDED:
        raise ValidationError("只有获得资助的项目需要填报进度")
    used = sum((m.spent for m in application.milestones.all()), Decimal(0))
    if used + Decimal(spent) > application.granted:
        raise ValidationError(
            f"累计支出{used + Decimal(spent)}元将超过资助金额{application.granted}元"
        )
    row = Milestone.objects.create(
        application=application,
        title=title,
        due_on=due_on,
        done_on=done_on,
        report=report,
        spent=spent,
    )
    audit.record(actor=actor, action=AuditAction.CREATE, target=application)
    return row


@transaction.atomic
def evaluate(*, actor, application, grade, note):
    """The final evaluation (结项): 优秀/良好/合格/不合格, with funds used."""
    _require(actor, "assessment.projects", "无权结项评价")
    if grade not in ("优秀", "良好", "合格", "不合格"):
        raise ValidationError({"grade": "请选择结项等次"})
    if application.status != ApplicationStatus.FUNDED:
        raise ValidationError("只有获得资助的项目可以结项")
    application.evaluation, application.evaluation_note = grade, note
    application.status = ApplicationStatus.COMPLETED
    application.save()
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=application,
        changes={"evaluation": grade},
    )
    return application


def open_calls(actor):
    """Open calls the actor may apply to: those whose area covers a place where the
    actor holds the apply permission (a district's call reaches every community)."""
    prefixes = place_prefixes(actor, "assessment.apply")
    units = [
        g.unit_id
        for g in grants_for(actor)
        if g.unit_id and g.allows("assessment.apply")
    ]
    prefixes += [
        path
        for path in Unit.objects.filter(pk__in=units).values_list(
            "place__path", flat=True
        )
        if path
    ]
    candidates = Call.objects.filter(
        status=CallStatus.OPEN, deadline__gte=timezone.localdate()
    ).select_related("place")
    ids = [
        c.pk
        for c in candidates
        if "" in prefixes or any(p.startswith(c.place.path) for p in prefixes)
    ]
    return Call.objects.filter(pk__in=ids).select_related("place")
