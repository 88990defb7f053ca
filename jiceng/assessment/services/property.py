"""红色物业: indicator sets, household ratings (one per household and period), the
two-way ratings, and the 红黑榜 (computed, approved by the street, published).

Scoring, on a worked example (tests/test_property.py checks it by hand):
- a household's rating is the weighted mean of its resident indicators (1–5
  stars → 20–100);
- a company's score is the weighted mean of the resident part (the mean of its
  ratings), the community's rating, and the objective case indicators (response,
  on-time and satisfaction rates of the cases dispatched to its compounds, from
  jiceng.cases.kpi); parts with no data drop out and the others' weights count;
- scores are normalised min–max within the board (0–100) and starred from that;
- the top tenth scoring ≥ 80 make the 红榜, the bottom tenth below 60 the 黑榜.
"""

import math
from collections import defaultdict
from datetime import datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Avg, Count, Q
from django.utils import timezone

from jiceng.cases import kpi
from jiceng.cases.models import CaseEvent
from jiceng.core import audit
from jiceng.core.errors import Conflict, check_version
from jiceng.core.models import Assignment, AuditAction
from jiceng.core.roles import Role
from jiceng.core.scope import has_permission, path_prefix, require_in_scope
from jiceng.people.models import Unit, UnitKind
from jiceng.places.models import Place, PlaceKind

from .. import periods
from ..errors import AssessmentError
from ..models import (
    LOW_SCORE,
    Board,
    Direction,
    Indicator,
    IndicatorSet,
    IndicatorSource,
    Interview,
    MutualRating,
    Ranking,
    RankingEntry,
    RankingStatus,
    Rating,
)
from .supervision import open_problem

CASE_INDICATORS = {
    "response_rate": "事件响应率",
    "on_time_rate": "按期办结率",
    "satisfaction_rate": "群众满意率",
}
COMMUNITY_CODE = "community"
DEFAULT_INDICATORS = [
    ("service", "服务态度", IndicatorSource.RESIDENT, 15),
    ("cleaning", "环境卫生", IndicatorSource.RESIDENT, 15),
    ("security", "秩序安全", IndicatorSource.RESIDENT, 10),
    ("repair", "设施维修", IndicatorSource.RESIDENT, 10),
    (COMMUNITY_CODE, "社区评价", IndicatorSource.COMMUNITY, 20),
    ("response_rate", "事件响应率", IndicatorSource.CASE, 10),
    ("on_time_rate", "按期办结率", IndicatorSource.CASE, 10),
    ("satisfaction_rate", "群众满意率", IndicatorSource.CASE, 10),
]
RED_MIN, BLACK_MAX = Decimal(80), Decimal(60)
TWO = Decimal("0.01")


def q2(value) -> Decimal:
    return Decimal(str(value)).quantize(TWO, ROUND_HALF_UP)


# --- who serves where -----------------------------------------------------------------


def service_map(companies=None) -> dict[int, int]:
    """compound id -> property company id: the compound a company's record is placed
    at, and those its staff are assigned to (the property role's compounds)."""
    units = Unit.objects.filter(kind=UnitKind.PROPERTY)
    if companies is not None:
        units = units.filter(pk__in=[c.pk for c in companies])
    served = {
        place: unit
        for unit, place in units.filter(place__kind=PlaceKind.COMPOUND).values_list(
            "pk", "place_id"
        )
    }
    staff = Assignment.objects.filter(
        role=Role.PROPERTY, active=True, unit__in=units, place__isnull=False
    ).values_list("place_id", "unit_id")
    served.update(dict(staff))
    return served


def company_for(compound):
    """The property company serving a compound, or None."""
    for place_id, unit_id in service_map().items():
        if place_id == compound.pk:
            return Unit.objects.get(pk=unit_id)
    return None


def home_of(user):
    """(household, compound) of the resident an account belongs to, or refuse."""
    resident = getattr(user, "resident", None)
    household = getattr(resident, "household", None)
    if household is None:
        raise ValidationError(
            "您的账号未关联登记住户，请联系社区核实后再评价",
            code=AssessmentError.NOT_HOUSEHOLD,
        )
    compound = resident.place.ancestor_of_kind(PlaceKind.COMPOUND)
    if compound is None:
        raise ValidationError(
            "您的住址不在物业小区内", code=AssessmentError.NOT_HOUSEHOLD
        )
    return household, compound


# --- indicator sets -------------------------------------------------------------------


def indicator_set(period):
    found = IndicatorSet.objects.filter(period=period).first()
    if found is None:
        raise ValidationError(
            f"{period}尚未设置红色物业评价指标", code=AssessmentError.NO_SET
        )
    return found


@transaction.atomic
def save_indicator_set(*, actor, period, name, indicators):
    """Set (or replace, before any rating) a period's indicators; weights sum to 100.

    indicators: [(code, name, source, weight), …]."""
    if not has_permission(actor, "assessment.configure"):
        raise PermissionDenied("只有区级管理员可以设置评价指标")
    periods.bounds(period)
    total = sum(Decimal(str(w)) for *_, w in indicators)
    if total != 100:
        raise ValidationError(f"各项权重之和须为100，当前为{total}")
    if not any(src == IndicatorSource.RESIDENT for _c, _n, src, _w in indicators):
        raise ValidationError("至少需要一项居民评价指标")
    if Rating.objects.filter(period=period).exists():
        raise ValidationError(
            "本期已有居民评价，不能再修改指标", code=AssessmentError.STATE
        )
    found, _ = IndicatorSet.objects.update_or_create(
        period=period, defaults={"name": name, "created_by": actor}
    )
    found.indicators.all().delete()
    Indicator.objects.bulk_create(
        Indicator(
            indicator_set=found,
            code=code,
            name=label,
            source=source,
            weight=Decimal(str(weight)),
            order=n,
        )
        for n, (code, label, source, weight) in enumerate(indicators)
    )
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=found,
        changes={"indicators": [[c, str(w)] for c, _n, _s, w in indicators]},
    )
    return found


# --- ratings --------------------------------------------------------------------------


def resident_score(indicators, scores) -> Decimal:
    """The weighted mean of a household's 1–5 scores, on 0–100."""
    resident = [i for i in indicators if i.source == IndicatorSource.RESIDENT]
    weight = sum(i.weight for i in resident)
    return q2(sum(i.weight * scores[i.code] * 20 for i in resident) / weight)


def clean_scores(indicators, scores, reason):
    wanted = {
        i.code: i.name for i in indicators if i.source == IndicatorSource.RESIDENT
    }
    cleaned = {}
    for code, label in wanted.items():
        value = (scores or {}).get(code)
        try:
            value = int(value)
        except (TypeError, ValueError):
            value = 0
        if not 1 <= value <= 5:
            raise ValidationError(f"请为“{label}”打1至5星", code=AssessmentError.SCORES)
        cleaned[code] = value
    if min(cleaned.values()) <= LOW_SCORE and len((reason or "").strip()) < 4:
        raise ValidationError(
            "打1星或2星时请简要说明理由（至少4个字）", code=AssessmentError.REASON
        )
    return cleaned


def rate(*, actor, company, period, scores, reason=""):
    """One household's quarterly rating of its compound's property company.

    The unique (household, period) constraint settles concurrent requests: the
    second insert fails and is answered as a Conflict (409)."""
    if not has_permission(actor, "assessment.rate"):
        raise PermissionDenied("只有本小区居民可以评价物业")
    periods.bounds(period)
    if periods.kind_of(period) != "quarter":
        raise ValidationError(
            "物业评价按季度进行，期次写作2026Q4", code=AssessmentError.PERIOD
        )
    household, compound = home_of(actor)
    if service_map().get(compound.pk) != getattr(company, "pk", None):
        raise ValidationError("该物业公司不服务您所在的小区")
    indicators = list(indicator_set(period).indicators.all())
    cleaned = clean_scores(indicators, scores, reason)
    try:
        with transaction.atomic():
            rating = Rating.objects.create(
                company=company,
                compound=compound,
                household=household,
                period=period,
                scores=cleaned,
                score=resident_score(indicators, cleaned),
                reason=(reason or "").strip()[:200],
                rated_by=actor,
            )
            audit.record(actor=actor, action=AuditAction.CREATE, target=rating)
    except IntegrityError:
        raise Conflict(
            f"您家本期（{period}）已评价过该物业，每户每季度只能评价一次"
        ) from None
    return rating


@transaction.atomic
def rate_mutual(*, actor, direction, company, community, period, score, comment=""):
    """The community rates the company, or the company the community's support."""
    permission = "assessment.mutual"
    if not has_permission(actor, permission):
        raise PermissionDenied("无权进行双向评价")
    periods.bounds(period)
    if direction == Direction.COMMUNITY_RATES:
        mine = Place.objects.visible_to(actor).filter(
            pk=community.pk, kind=PlaceKind.COMMUNITY
        )
        if not mine.exists():
            raise PermissionDenied("只能评价本社区内的物业")
    elif not Assignment.objects.filter(
        user=actor, role=Role.PROPERTY, unit=company, active=True
    ).exists():
        raise PermissionDenied("只能以本公司名义评价社区")
    served = set(service_map([company]))
    if not Place.objects.filter(path_prefix(community.path), pk__in=served).exists():
        raise ValidationError("该物业公司不在此社区服务")
    try:
        value = Decimal(str(score))
    except ArithmeticError:
        value = Decimal(-1)
    if not 0 <= value <= 100:
        raise ValidationError("评分须在0至100之间")
    row, created = MutualRating.objects.get_or_create(
        direction=direction,
        company=company,
        community=community,
        period=period,
        defaults={"score": value, "comment": comment, "rated_by": actor},
    )
    if not created:
        raise Conflict("本期已评价，不能重复评价")
    audit.record(actor=actor, action=AuditAction.CREATE, target=row)
    return row


# --- the 红黑榜 ------------------------------------------------------------------------


def companies_under(place):
    return Unit.objects.filter(
        path_prefix(place.path, "place__path"), kind=UnitKind.PROPERTY
    )


def case_figures(period, served) -> dict[int, "kpi.Figures"]:
    """Case KPIs of the cases dispatched to each company's compounds in the period."""
    start, end = periods.bounds(period)
    tz = timezone.get_current_timezone()
    # a range on the indexed moment, not a per-row date conversion
    events = CaseEvent.objects.filter(
        case__grid_id__in=list(served),
        at__gte=datetime.combine(start, time.min, tzinfo=tz),
        at__lt=datetime.combine(end + timedelta(days=1), time.min, tzinfo=tz),
    )
    by_company = defaultdict(kpi.Figures)
    for compound, figures in kpi.figures_by(events, "case__grid").items():
        total = by_company[served[compound]]
        for name in kpi.COUNTERS:
            setattr(total, name, getattr(total, name) + getattr(figures, name))
    return by_company


def scores(place, period) -> dict[int, dict]:
    """Each company's parts and weighted score: {company: {…, "score": Decimal}}."""
    indicators = list(indicator_set(period).indicators.all())
    companies = dict(companies_under(place).values_list("pk", "name"))
    served = {c: u for c, u in service_map().items() if u in companies}
    resident = {
        row["company"]: row
        for row in Rating.objects.filter(period=period, company__in=companies)
        .values("company")
        .annotate(mean=Avg("score"), n=Count("pk"))
        .order_by()
    }
    community = dict(
        MutualRating.objects.filter(
            period=period,
            direction=Direction.COMMUNITY_RATES,
            company__in=companies,
        )
        .values("company")
        .annotate(mean=Avg("score"))
        .values_list("company", "mean")
    )
    cases = case_figures(period, served)
    resident_weight = sum(
        i.weight for i in indicators if i.source == IndicatorSource.RESIDENT
    )
    results = {}
    for company in companies:
        parts = {}  # code -> (weight, value 0..100)
        if company in resident:
            parts["resident"] = (resident_weight, Decimal(resident[company]["mean"]))
        for i in indicators:
            if i.source == IndicatorSource.COMMUNITY and company in community:
                parts[i.code] = (i.weight, Decimal(community[company]))
            elif i.source == IndicatorSource.CASE and company in cases:
                value = getattr(cases[company], i.code, None)
                if value is not None:
                    parts[i.code] = (i.weight, Decimal(str(value)))
        if not parts:
            continue
        weight = sum(w for w, _v in parts.values())
        results[company] = {
            "ratings": resident.get(company, {}).get("n", 0),
            "resident": parts.get("resident", (0, None))[1],
            "community": community.get(company),
            "figures": {code: float(v) for code, (_w, v) in parts.items()},
            "score": q2(sum(w * v for w, v in parts.values()) / weight),
        }
    return results


def stars_of(normalised: Decimal) -> int:
    return min(5, 1 + int(normalised // 20))


def board(results) -> list[dict]:
    """Rank, normalise (min–max to 0–100), star, and pick the 红榜 and 黑榜."""
    ordered = sorted(results.items(), key=lambda item: (-item[1]["score"], item[0]))
    if not ordered:
        return []
    high, low = ordered[0][1]["score"], ordered[-1][1]["score"]
    tenth = max(1, math.ceil(len(ordered) / 10))
    rows = []
    for n, (company, data) in enumerate(ordered, start=1):
        normalised = (
            q2(100 * (data["score"] - low) / (high - low))
            if high != low
            else Decimal(100)
        )
        label = Board.NONE
        if n <= tenth and data["score"] >= RED_MIN:
            label = Board.RED
        elif n > len(ordered) - tenth and data["score"] < BLACK_MAX:
            label = Board.BLACK
        rows.append(
            {
                "company": company,
                "rank": n,
                "normalised": normalised,
                "stars": stars_of(normalised),
                "board": label,
                **data,
            }
        )
    return rows


def require_ranker(actor, place):
    if not has_permission(actor, "assessment.rank"):
        raise PermissionDenied("只有街道或区级管理员可以生成红黑榜")
    if not Place.objects.visible_to(actor).filter(pk=place.pk).exists():
        raise PermissionDenied("超出权限范围")
    if place.kind not in (PlaceKind.STREET, PlaceKind.DISTRICT):
        raise ValidationError("红黑榜按街道或全区生成")


@transaction.atomic
def compute_ranking(*, actor, place, period):
    """(Re)compute a street's or the district's board for a quarter (a draft)."""
    require_ranker(actor, place)
    if periods.kind_of(period) != "quarter":
        raise ValidationError("红黑榜按季度生成，期次写作2026Q4")
    ranking, _ = Ranking.objects.select_for_update().get_or_create(
        place=place, period=period
    )
    if ranking.status != RankingStatus.DRAFT:
        raise ValidationError(
            "该红黑榜已审定，不能重新计算", code=AssessmentError.STATE
        )
    ranking.rows.all().delete()
    RankingEntry.objects.bulk_create(
        RankingEntry(
            ranking=ranking,
            company_id=row["company"],
            ratings=row["ratings"],
            resident_score=row["resident"],
            community_score=row["community"],
            case_score=None,
            figures=row["figures"],
            score=row["score"],
            normalised=row["normalised"],
            stars=row["stars"],
            rank=row["rank"],
            board=row["board"],
        )
        for row in board(scores(place, period))
    )
    ranking.computed_at = timezone.now()
    ranking.version += 1
    ranking.save()
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=ranking,
        changes={"computed": ranking.rows.count()},
    )
    return ranking


def _transition(actor, ranking, version, source, target, **fields):
    with transaction.atomic():
        row = Ranking.objects.select_for_update().get(pk=ranking.pk)
        check_version(row, version)
        require_ranker(actor, row.place)
        if row.status != source:
            raise ValidationError(
                f"当前状态为“{row.get_status_display()}”，不能执行此操作",
                code=AssessmentError.STATE,
            )
        row.status = target
        row.version += 1
        for name, value in fields.items():
            setattr(row, name, value)
        row.save()
        audit.record(
            actor=actor,
            action=AuditAction.UPDATE,
            target=row,
            changes={"status": [source, target]},
        )
    return row


def approve_ranking(*, actor, ranking, version=None):
    """The street (or district) approves the computed board."""
    require_ranker(actor, ranking.place)
    if not ranking.rows.exists():
        raise ValidationError("榜单为空，请先计算")
    return _transition(
        actor,
        ranking,
        version,
        RankingStatus.DRAFT,
        RankingStatus.APPROVED,
        approved_by=actor,
        approved_at=timezone.now(),
    )


def publish_ranking(*, actor, ranking, version=None):
    """Publish an approved board on the public page."""
    return _transition(
        actor,
        ranking,
        version,
        RankingStatus.APPROVED,
        RankingStatus.PUBLISHED,
        published_at=timezone.now(),
    )


def published(period=None):
    rows = Ranking.objects.filter(status=RankingStatus.PUBLISHED)
    return rows.filter(period=period) if period else rows


@transaction.atomic
def interview(*, actor, entry, held_on, interviewer, notes, deadline, owner_name):
    """约谈 a black-listed company and open its rectification task in the ledger."""
    require_ranker(actor, entry.ranking.place)
    require_in_scope(entry.ranking, actor, "view")
    if entry.board != Board.BLACK:
        raise ValidationError("只有列入黑榜的物业公司需要约谈")
    if Interview.objects.filter(entry=entry).exists():
        raise Conflict("该公司本期已约谈")
    if not (notes or "").strip():
        raise ValidationError({"notes": "请填写约谈纪要"})
    problem = open_problem(
        actor=actor,
        place=entry.company.place,
        description=f"{entry.ranking.period}红黑榜黑榜整改：{notes.strip()[:200]}",
        owner_unit=entry.company,
        owner_name=owner_name,
        deadline=deadline,
        check_scope=False,
    )
    row = Interview.objects.create(
        entry=entry,
        company=entry.company,
        held_on=held_on,
        interviewer=interviewer,
        notes=notes.strip(),
        problem=problem,
        created_by=actor,
    )
    audit.record(actor=actor, action=AuditAction.CREATE, target=row)
    return row


def street_of(place):
    return place.ancestor_of_kind(PlaceKind.STREET)


def in_period(queryset, period, field="created_at"):
    start, end = periods.bounds(period)
    return queryset.filter(
        Q(**{f"{field}__date__gte": start}) & Q(**{f"{field}__date__lte": end})
    )


def mutual_choices(actor):
    """The companies and communities the actor may rate each other between: the
    companies serving compounds in the actor's communities, and (for a company's own
    staff) their company and the communities it serves."""
    served = service_map()
    communities = Place.objects.visible_to(actor).filter(kind=PlaceKind.COMMUNITY)
    compounds = Place.objects.visible_to(actor).filter(
        kind=PlaceKind.COMPOUND, pk__in=served
    )
    company_ids = {served[pk] for pk in compounds.values_list("pk", flat=True)}
    own = set(
        Assignment.objects.filter(
            user=actor, role=Role.PROPERTY, active=True, unit__isnull=False
        ).values_list("unit_id", flat=True)
    )
    community_ids = set(communities.values_list("pk", flat=True))
    for compound in Place.objects.filter(
        pk__in=[c for c, u in served.items() if u in own]
    ):
        community = compound.ancestor_of_kind(PlaceKind.COMMUNITY)
        if community:
            community_ids.add(community.pk)
    companies = Unit.objects.filter(pk__in=company_ids | own).order_by("name")
    return companies, Place.objects.filter(pk__in=community_ids).order_by("path")
