"""红色物业 under /api/v1/: a household's rating and the published 红黑榜.

`POST /api/v1/ratings/` {"company": id, "period": "2026Q4", "scores": {...}}
answers 201 with the rating, 409 for a second rating by the same household in the
period (also when two requests race: the unique constraint decides), 422 for
missing scores or a low score without a reason, 403 for non-residents.
`GET /api/v1/rankings/?period=2026Q4` lists the published boards (no login).
"""

from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from ninja import Router, Status
from ninja.pagination import paginate

from jiceng.people.models import Unit, UnitKind

from . import services
from .models import RankingEntry, Rating
from .schemas import RankingOut, RatingIn, RatingOut

ratings = Router(tags=["红色物业评价"])
rankings = Router(tags=["红色物业红黑榜"])


@ratings.get("", response=list[RatingOut], summary="物业评价（本人可见范围）")
@paginate
def list_ratings(request, period: str = ""):
    rows = Rating.objects.visible_to(request.user)
    return rows.filter(period=period) if period else rows


@ratings.post(
    "",
    response={201: RatingOut},
    summary="居民评价物业（每户每季度一次）",
    description="201：已评价；409：本户本期已评价；422：评分不完整或低分未说明理由。",
)
def create_rating(request, payload: RatingIn):
    company = Unit.objects.filter(pk=payload.company, kind=UnitKind.PROPERTY).first()
    if company is None:
        raise ValidationError("物业公司不存在")
    rating = services.property.rate(
        actor=request.user,
        company=company,
        period=payload.period,
        scores=payload.scores,
        reason=payload.reason,
    )
    return Status(201, rating)


@rankings.get("", response=list[RankingOut], auth=None, summary="已公布的红黑榜")
@paginate
def list_rankings(request, period: str = ""):
    rows = services.property.published(period or None)
    return rows.select_related("place").prefetch_related(
        Prefetch("rows", RankingEntry.objects.select_related("company"))
    )
