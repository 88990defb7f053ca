"""Workforce under /api/v1/: patrols (POST a GeoJSON LineString with findings),
home visits (POST {"household", "kind", "notes"}) and community workers, as
collections (people's new-employment workers, 快递小哥/外卖骑手, are /gig-workers/)."""

from django.core.exceptions import PermissionDenied
from ninja import Query, Router, Status
from ninja.pagination import paginate

from jiceng.cases.models import Category
from jiceng.core.scope import get_visible_or_404
from jiceng.people.models import Household
from jiceng.places.models import Place

from . import services
from .models import Patrol, Visit, Worker
from .schemas import (
    CommunityWorkerOut,
    CommunityWorkerQuery,
    PatrolDetail,
    PatrolIn,
    PatrolOut,
    VisitIn,
    VisitOut,
)

patrols = Router(tags=["巡查"])
visits = Router(tags=["入户走访"])
workers = Router(tags=["社区工作者"])


@patrols.get("", response=list[PatrolOut], summary="巡查记录")
@paginate
def list_patrols(request):
    return Patrol.objects.visible_to(request.user)


@patrols.post(
    "",
    response={201: PatrolDetail},
    summary="上传一次巡查（轨迹与发现）",
    description="track 为 GeoJSON LineString（[经度, 纬度] 点列）；findings 为发现的问题。",
)
def create_patrol(request, payload: PatrolIn):
    grid = Place.objects.filter(pk=payload.grid_id).first()
    if grid is None:
        raise PermissionDenied("网格不存在或不在您的范围内")
    findings = []
    for f in payload.findings:
        category = (
            Category.objects.filter(pk=f.category_id).first() if f.category_id else None
        )
        findings.append(
            {
                "description": f.description,
                "category": category,
                "lat": f.lat,
                "lng": f.lng,
                "at": f.at,
            }
        )
    patrol = services.submit_patrol(
        actor=request.user,
        grid=grid,
        coordinates=payload.track.coordinates,
        started_at=payload.started_at,
        ended_at=payload.ended_at,
        findings=findings,
    )
    return Status(201, patrol)


@patrols.get("{int:pk}", response=PatrolDetail, summary="巡查详情（含轨迹）")
def get_patrol(request, pk: int):
    return get_visible_or_404(Patrol.objects, request.user, pk=pk)


@visits.get("", response=list[VisitOut], summary="入户走访记录")
@paginate
def list_visits(request):
    return Visit.objects.visible_to(request.user)


@visits.post("", response={201: VisitOut}, summary="登记一次入户走访")
def create_visit(request, payload: VisitIn):
    household = Household.objects.filter(pk=payload.household).first()
    if household is None:
        raise PermissionDenied("该户不存在或不在您的网格内")
    visit = services.record_visit(
        actor=request.user,
        household=household,
        kind=payload.kind,
        notes=payload.notes,
        seen=payload.seen,
        confirmed=payload.confirmed,
    )
    return Status(201, visit)


@visits.get("{int:pk}", response=VisitOut, summary="走访详情")
def get_visit(request, pk: int):
    return get_visible_or_404(Visit.objects, request.user, pk=pk)


@workers.get("", response=list[CommunityWorkerOut], summary="社区工作者")
@paginate
def list_workers(request, filters: Query[CommunityWorkerQuery]):
    rows = Worker.objects.visible_to(request.user)
    if filters.post:
        rows = rows.filter(post=filters.post)
    if filters.community:
        rows = rows.filter(community_id=filters.community)
    return rows


@workers.get("{int:pk}", response=CommunityWorkerOut, summary="社区工作者详情")
def get_worker(request, pk: int):
    return get_visible_or_404(Worker.objects, request.user, pk=pk)
