"""One-window services under /api/v1/: the catalogue, applications, service points
(sorted by distance with ?near=lat,lng) and bookings, through the same services and
scopes as the pages."""

import re

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from jiceng.core.apiutils import filtered
from jiceng.core.scope import get_visible_or_404
from jiceng.places.models import Place

from . import services
from .errors import Code
from .filters import ApplicationFilter, ItemFilter, PointFilter
from .models import Application, ServiceItem, ServicePoint, Slot
from .schemas import (
    OwApplicationIn,
    OwApplicationOut,
    OwApplicationQuery,
    OwAppointmentOut,
    OwBookingIn,
    OwCollectIn,
    OwDecideIn,
    OwErrorOut,
    OwItemOut,
    OwItemQuery,
    OwMaterialsIn,
    OwNoticeIn,
    OwPointOut,
    OwPointQuery,
    OwRateIn,
    OwSlotOut,
    OwSlotQuery,
    OwVersionIn,
)

router = Router(tags=["一窗受理与便民服务"])
NEAR = re.compile(
    r"^\s*(-?\d{1,3}(?:\.\d{1,12})?)\s*,\s*(-?\d{1,3}(?:\.\d{1,12})?)\s*$"
)


@router.get("service-items/", response=list[OwItemOut], summary="服务事项目录")
@paginate
def list_items(request, filters: Query[OwItemQuery]):
    rows = ServiceItem.objects.visible_to(request.user).select_related("refused_proof")
    return filtered(ItemFilter, filters, rows.prefetch_related("materials"))


@router.get("service-items/{int:pk}", response=OwItemOut, summary="事项详情")
def get_item(request, pk: int):
    return get_visible_or_404(
        ServiceItem.objects.select_related("refused_proof"), request.user, pk=pk
    )


def _applications(request, action="view"):
    return (
        Application.objects.visible_to(request.user, action)
        .select_related("item")
        .prefetch_related("materials__material")
    )


@router.get("applications/", response=list[OwApplicationOut], summary="办件")
@paginate
def list_applications(request, filters: Query[OwApplicationQuery]):
    return filtered(ApplicationFilter, filters, _applications(request))


@router.get("applications/{int:pk}", response=OwApplicationOut, summary="办件详情")
def get_application(request, pk: int):
    return get_visible_or_404(_applications(request), request.user, pk=pk)


@router.post(
    "applications/",
    response={201: OwApplicationOut},
    summary="提交申请（窗口/手机/代办）",
)
def create_application(request, payload: OwApplicationIn):
    from jiceng.people.models import Resident

    item = get_visible_or_404(ServiceItem.objects, request.user, pk=payload.item)
    resident = (
        get_visible_or_404(Resident.objects, request.user, pk=payload.resident)
        if payload.resident
        else None
    )
    community = (
        get_object_or_404(Place, pk=payload.community) if payload.community else None
    )
    application = services.submit(
        actor=request.user,
        item=item,
        channel=payload.channel,
        applicant_name=payload.applicant_name,
        applicant_phone=payload.applicant_phone,
        resident=resident,
        community=community,
        provided=payload.provided,
        note=payload.note,
    )
    return Status(201, get_application(request, application.pk))


def _step(request, pk, call, action="view"):
    application = get_visible_or_404(Application.objects, request.user, action, pk=pk)
    call(application)
    return get_application(request, pk)


@router.post(
    "applications/{int:pk}/materials", response=OwApplicationOut, summary="勾选材料"
)
def tick_materials(request, pk: int, payload: OwMaterialsIn):
    return _step(
        request,
        pk,
        lambda a: services.check_materials(
            actor=request.user,
            application=a,
            provided=payload.provided,
            version=payload.version,
        ),
        "accept",
    )


@router.post(
    "applications/{int:pk}/notice", response=OwApplicationOut, summary="一次性告知"
)
def notice(request, pk: int, payload: OwNoticeIn):
    return _step(
        request,
        pk,
        lambda a: services.issue_notice(
            actor=request.user,
            application=a,
            note=payload.note,
            version=payload.version,
        ),
        "accept",
    )


@router.post("applications/{int:pk}/accept", response=OwApplicationOut, summary="受理")
def accept(request, pk: int, payload: OwVersionIn):
    return _step(
        request,
        pk,
        lambda a: services.accept(
            actor=request.user, application=a, version=payload.version
        ),
        "accept",
    )


@router.post("applications/{int:pk}/decide", response=OwApplicationOut, summary="办结")
def decide(request, pk: int, payload: OwDecideIn):
    return _step(
        request,
        pk,
        lambda a: services.decide(
            actor=request.user,
            application=a,
            approve=payload.approve,
            note=payload.note,
            version=payload.version,
        ),
        "handle",
    )


@router.post("applications/{int:pk}/collect", response=OwApplicationOut, summary="领取")
def collect(request, pk: int, payload: OwCollectIn):
    return _step(
        request,
        pk,
        lambda a: services.collect(
            actor=request.user, application=a, method=payload.method
        ),
        "accept",
    )


@router.post("applications/{int:pk}/rate", response=OwApplicationOut, summary="评价")
def rate(request, pk: int, payload: OwRateIn):
    return _step(
        request,
        pk,
        lambda a: services.rate(
            actor=request.user,
            application=a,
            score=payload.score,
            comment=payload.comment,
        ),
    )


def _near(text):
    if not text:
        return None
    found = NEAR.match(text)
    if not found:
        raise HttpError(422, "near 须为“纬度,经度”")
    lat, lng = float(found.group(1)), float(found.group(2))
    if not (-90 <= lat <= 90 and -180 <= lng <= 180):
        raise HttpError(422, "坐标超出范围")
    return lat, lng


@router.get(
    "service-points/",
    response=list[OwPointOut],
    summary="服务阵地（near=纬度,经度 时按距离排序，附距离米数）",
)
@paginate
def list_points(request, filters: Query[OwPointQuery]):
    near = _near(filters.near)
    rows = filtered(
        PointFilter,
        filters,
        ServicePoint.objects.visible_to(request.user).prefetch_related("items"),
    )
    if near is None:
        return rows
    return services.nearest(rows, *near, limit=100)


@router.get("service-points/{int:pk}", response=OwPointOut, summary="阵地详情")
def get_point(request, pk: int):
    return get_visible_or_404(
        ServicePoint.objects.prefetch_related("items"), request.user, pk=pk
    )


@router.get(
    "service-points/{int:pk}/slots/", response=list[OwSlotOut], summary="可预约时段"
)
@paginate
def list_slots(request, pk: int, filters: Query[OwSlotQuery]):
    point = get_point(request, pk)
    rows = Slot.objects.visible_to(request.user).filter(point=point)
    if filters.item:
        rows = rows.filter(item_id=filters.item)
    return rows


@router.post(
    "service-points/{int:pk}/appointments/",
    response={201: OwAppointmentOut, 409: OwErrorOut},
    summary="预约（时段约满时 409）",
)
def book(request, pk: int, payload: OwBookingIn):
    point = get_point(request, pk)
    slot = services.slot_for(point, payload.item, payload.slot)
    if (
        slot is None
        or not Slot.objects.visible_to(request.user).filter(pk=slot.pk).exists()
    ):
        raise HttpError(404, "该阵地没有这个事项在该时间的预约时段")
    try:
        appointment = services.book(actor=request.user, slot=slot)
    except ValidationError as exc:
        if exc.code == Code.FULL:
            return Status(409, {"code": Code.FULL, "message": exc.messages[0]})
        raise
    return Status(201, appointment)
