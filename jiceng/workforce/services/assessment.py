"""The annual assessment (优秀/称职/基本称职/不称职).

Automatic indicators, from the worker's grids over the year:
- cases (30%): 按期办结率 of the cases closed there (cases.kpi rollups);
- coverage (20%): households visited at least once in the year / households;
- ratings (20%): 满意率 of the residents' ratings of those cases;
and the manager's score (30%). An indicator with nothing to measure counts 100
(a grid without a single case is not a failing one) and says so in the basis.
Total ≥ 90 优秀, ≥ 75 称职, ≥ 60 基本称职, else 不称职.
"""

from datetime import date, datetime, time
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from jiceng.cases import kpi
from jiceng.cases.models import StatDimension
from jiceng.core import audit
from jiceng.core.models import AuditAction
from jiceng.core.scope import path_prefix, require_in_scope
from jiceng.people.models import Household

from ..models import Assessment, AssessmentGrade, Visit

WEIGHTS = {"case": 30, "patrol": 20, "rating": 20, "manager": 30}
THRESHOLDS = [
    (90, AssessmentGrade.EXCELLENT),
    (75, AssessmentGrade.COMPETENT),
    (60, AssessmentGrade.BASIC),
]


def grade_for(total) -> str:
    for floor, grade in THRESHOLDS:
        if total >= floor:
            return grade
    return AssessmentGrade.INCOMPETENT


def _year_bounds(year):
    tz = timezone.get_current_timezone()
    return (
        datetime.combine(date(year, 1, 1), time.min, tz),
        datetime.combine(date(year + 1, 1, 1), time.min, tz),
    )


def indicators(worker, year) -> dict:
    """The automatic indicators of a worker's year and what they rest on."""
    paths = [g.path for g in worker.grids.all()]
    figures = (
        kpi.totals(
            kpi.stats(
                StatDimension.PLACE,
                (date(year, 1, 1), date(year, 12, 1)),
                prefixes=paths,
            )
        )
        if paths
        else kpi.Figures()
    )
    start, end = _year_bounds(year)
    households = 0
    for path in paths:
        households += Household.objects.filter(path_prefix(path, "place_path")).count()
    visited = (
        Visit.objects.filter(grid__in=worker.grids.all(), at__gte=start, at__lt=end)
        .values("household")
        .distinct()
        .count()
    )
    coverage = round(100 * visited / households, 1) if households else None
    return {
        "case": figures.on_time_rate,
        "patrol": min(coverage, 100) if coverage is not None else None,
        "rating": figures.satisfaction_rate,
        "closed": figures.closed,
        "rated": figures.rated,
        "households": households,
        "visited": visited,
    }


def _d(value):
    return Decimal(str(100 if value is None else value)).quantize(
        Decimal("0.1"), rounding=ROUND_HALF_UP
    )


@transaction.atomic
def assess(*, actor, worker, year, manager_score):
    """Compute (or recompute) the worker's assessment for the year."""
    require_in_scope(worker, actor, "manage")
    manager = Decimal(str(manager_score))
    if not 0 <= manager <= 100:
        raise ValidationError({"manager_score": "组织评分应在0–100之间"})
    found = indicators(worker, year)
    scores = {
        "case": _d(found["case"]),
        "patrol": _d(found["patrol"]),
        "rating": _d(found["rating"]),
        "manager": manager,
    }
    total = (sum(scores[k] * WEIGHTS[k] for k in WEIGHTS) / 100).quantize(
        Decimal("0.1"), rounding=ROUND_HALF_UP
    )
    basis = {k: v for k, v in found.items()}
    for key in ("case", "patrol", "rating"):
        if found[key] is None:
            basis[f"{key}_note"] = "无可计量数据，按满分计"
    row, created = Assessment.objects.update_or_create(
        worker=worker,
        year=year,
        defaults={
            "case_score": scores["case"],
            "patrol_score": scores["patrol"],
            "rating_score": scores["rating"],
            "manager_score": manager,
            "total": total,
            "grade": grade_for(total),
            "basis": basis,
        },
    )
    audit.record(
        actor=actor,
        action=AuditAction.CREATE if created else AuditAction.UPDATE,
        target=row,
        changes={"total": [None, str(total)], "grade": [None, row.grade]},
    )
    return row
