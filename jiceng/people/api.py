"""Residents, households and units API. Protected values are masked; reveal is audited."""

from django.core.exceptions import ValidationError
from ninja import Query, Router, Status
from ninja.pagination import paginate

from jiceng.core.apiutils import filtered
from jiceng.core.scope import get_visible_or_404
from jiceng.places.resolver import place_by_code

from . import services
from .errors import PeopleError
from .filters import (
    HouseholdFilter,
    ResidentFilter,
    TagFilter,
    UnitFilter,
    WorkerFilter,
)
from .models import GigWorker, Household, Resident, ResidentTag, Unit
from .schemas import (
    HouseholdMergeIn,
    HouseholdOut,
    HouseholdQuery,
    ResidentIn,
    ResidentOut,
    ResidentQuery,
    RevealIn,
    RevealOut,
    SplitIn,
    TagOut,
    TagQuery,
    UnitOut,
    UnitQuery,
    WorkerOut,
    WorkerQuery,
)

router = Router(tags=["人口"])


@router.get("residents/", response=list[ResidentOut], summary="居民列表")
@paginate
def list_residents(request, filters: Query[ResidentQuery]):
    queryset = Resident.objects.visible_to(request.user).order_by("-id")
    return filtered(ResidentFilter, filters, queryset)


@router.get("residents/{int:resident_id}", response=ResidentOut, summary="居民详情")
def get_resident(request, resident_id: int):
    return get_visible_or_404(Resident.objects, request.user, pk=resident_id)


@router.post("residents/", response={201: ResidentOut}, summary="登记居民")
def create_resident(request, payload: ResidentIn):
    data = payload.dict()
    place = place_by_code(
        request.user,
        data.pop("place_code"),
        permission="people.change",
        kinds=services.RESIDENT_PLACE_KINDS,
    )
    return Status(
        201, services.create_resident(actor=request.user, place=place, **data)
    )


@router.post(
    "residents/{int:resident_id}/reveal",
    response=RevealOut,
    summary="查看完整身份证号或手机号（需权限，留痕）",
)
def reveal_resident(request, resident_id: int, payload: RevealIn):
    resident = get_visible_or_404(Resident.objects, request.user, pk=resident_id)
    value = services.reveal(actor=request.user, obj=resident, field=payload.field)
    return {"field": payload.field, "value": value}


@router.get("households/", response=list[HouseholdOut], summary="户列表")
@paginate
def list_households(request, filters: Query[HouseholdQuery]):
    return filtered(
        HouseholdFilter, filters, Household.objects.visible_to(request.user)
    )


@router.get("households/{int:household_id}", response=HouseholdOut, summary="户详情")
def get_household(request, household_id: int):
    return get_visible_or_404(Household.objects, request.user, pk=household_id)


@router.get("units/", response=list[UnitOut], summary="单位列表")
@paginate
def list_units(request, filters: Query[UnitQuery]):
    return filtered(UnitFilter, filters, Unit.objects.visible_to(request.user))


@router.get("units/{int:unit_id}", response=UnitOut, summary="单位详情")
def get_unit(request, unit_id: int):
    return get_visible_or_404(Unit.objects, request.user, pk=unit_id)


@router.get("gig-workers/", response=list[WorkerOut], summary="新就业群体列表")
@paginate
def list_workers(request, filters: Query[WorkerQuery]):
    return filtered(WorkerFilter, filters, GigWorker.objects.visible_to(request.user))


@router.get(
    "key-population-tags/",
    response=list[TagOut],
    summary="重点人群标签（按角色可见的敏感级别过滤）",
)
@paginate
def list_tags(request, filters: Query[TagQuery]):
    queryset = (
        ResidentTag.objects.visible_to(request.user)
        .select_related("category")
        .order_by("pk")
    )
    return filtered(TagFilter, filters, queryset)


def _household_to_change(request, household_id):
    return get_visible_or_404(
        Household.objects.select_related("place"),
        request.user,
        "change",
        pk=household_id,
    )


def _members(household, ids):
    """Residents of the household among ids (others are refused by the service)."""
    return list(Resident.objects.filter(household=household, pk__in=ids))


@router.post(
    "households/{int:household_id}/split",
    response={201: HouseholdOut},
    summary="分户：所选成员迁入新户",
)
def split_household(request, household_id: int, payload: SplitIn):
    household = _household_to_change(request, household_id)
    members = {r.pk: r for r in _members(household, payload.resident_ids)}
    if len(members) != len(set(payload.resident_ids)):
        raise ValidationError(
            {"resident_ids": "请选择本户的成员"}, code=PeopleError.HOUSEHOLD_MEMBERS
        )
    place = (
        place_by_code(
            request.user,
            payload.place_code,
            permission="people.change",
            kinds=services.HOUSEHOLD_PLACE_KINDS,
        )
        if payload.place_code
        else None
    )
    stays = (
        Resident.objects.filter(
            household=household, pk=payload.remaining_head_id
        ).first()
        if payload.remaining_head_id
        else None
    )
    new = services.split_household(
        actor=request.user,
        household=household,
        residents=list(members.values()),
        head=members.get(payload.head_id),
        number=payload.number,
        place=place,
        remaining_head=stays,
        version=payload.version,
    )
    return Status(201, new)


@router.post(
    "households/{int:household_id}/merge",
    response=HouseholdOut,
    summary="合户：另一户的全部成员并入本户",
)
def merge_households(request, household_id: int, payload: HouseholdMergeIn):
    household = _household_to_change(request, household_id)
    other = _household_to_change(request, payload.other_id)
    head = (
        Resident.objects.filter(
            household__in=[household, other], pk=payload.head_id
        ).first()
        if payload.head_id
        else None
    )
    return services.merge_households(
        actor=request.user,
        household=household,
        other=other,
        head=head,
        version=payload.version,
    )
