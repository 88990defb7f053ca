"""Volunteering under /api/v1/volunteer/: scoped collections and one POST per step,
calling the same services as the pages.

Every read goes through the models' Scope (visible_to / get_visible_or_404), as on
the pages: open activities, open projects and shelf items reach members and units
through their Scope's open rows; the public wall through Wish.objects.public().
"""

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Status
from ninja.pagination import paginate

from jiceng.core.apiutils import filtered
from jiceng.core.scope import get_visible_or_404
from jiceng.places.models import Place

from . import services
from .filters import (
    HoursFilter,
    MallItemFilter,
    RegistrationFilter,
    VolunteerFilter,
    WishFilter,
)
from .models import (
    Activity,
    MallItem,
    Match,
    MemberRegistration,
    Need,
    PointsEntry,
    Project,
    Resource,
    ServiceHours,
    UnitRegistration,
    Volunteer,
    Wish,
)
from .schemas import (
    ActivityOut,
    CheckIn,
    ClaimIn,
    ClaimOut,
    DecisionIn,
    EntryOut,
    HoursOut,
    ItemOut,
    MallQuery,
    MatchOut,
    NeedOut,
    ProgressIn,
    ProjectClaimIn,
    ProjectOut,
    PublicWishOut,
    RedeemIn,
    RedemptionOut,
    RegistrationOut,
    ResourceOut,
    SignupOut,
    StatusQuery,
    VersionIn,
    VolunteerOut,
    VolunteerQuery,
    WishIn,
    WishOut,
)
from .services.activities import activity_for_token

router = Router(tags=["双报到与志愿服务"])


def _registration_model(kind):
    return UnitRegistration if kind == "unit" else MemberRegistration


def _registrations(request, kind, filters):
    model = _registration_model(kind)
    rows = model.objects.visible_to(request.user).select_related(
        "unit", *(["volunteer"] if model is MemberRegistration else [])
    )
    return filtered(RegistrationFilter, filters, rows)


@router.get(
    "registrations/", response=list[RegistrationOut], summary="双报到（党员与单位）"
)
@paginate
def list_registrations(request, filters: Query[StatusQuery], kind: str = "member"):
    return _registrations(request, kind, filters)


@router.get(
    "registrations/{kind}/",
    response=list[RegistrationOut],
    summary="双报到（kind 为 member 或 unit）",
)
@paginate
def list_registrations_of_kind(request, kind: str, filters: Query[StatusQuery]):
    return _registrations(request, kind, filters)


@router.get(
    "registrations/{kind}/{int:pk}", response=RegistrationOut, summary="报到详情"
)
def get_registration(request, kind: str, pk: int):
    return get_visible_or_404(_registration_model(kind).objects, request.user, pk=pk)


@router.post(
    "registrations/{kind}/{int:pk}/decide",
    response=RegistrationOut,
    summary="社区确认/退回",
)
def decide_registration(request, kind: str, pk: int, payload: DecisionIn):
    registration = get_visible_or_404(
        _registration_model(kind).objects, request.user, "manage", pk=pk
    )
    return services.decide_registration(
        actor=request.user,
        registration=registration,
        approve=payload.approve,
        note=payload.note,
        version=payload.version,
    )


@router.get("activities/", response=list[ActivityOut], summary="志愿活动")
@paginate
def list_activities(request):
    return Activity.objects.visible_to(request.user)


@router.get("activities/{int:pk}", response=ActivityOut, summary="活动详情")
def get_activity(request, pk: int):
    return get_visible_or_404(Activity.objects, request.user, pk=pk)


@router.post("activities/{int:pk}/cancel", response=ActivityOut, summary="取消活动")
def cancel_activity(request, pk: int, payload: VersionIn):
    activity = get_visible_or_404(Activity.objects, request.user, "manage", pk=pk)
    return services.cancel_activity(
        actor=request.user, activity=activity, version=payload.version
    )


@router.post("activities/{int:pk}/signup", response={201: SignupOut}, summary="报名")
def signup(request, pk: int):
    activity = get_activity(request, pk)
    return Status(201, services.sign_up(actor=request.user, activity=activity))


def _by_token(token):
    activity = activity_for_token(token)
    if activity is None:
        raise Http404
    return activity


@router.post("checkin", response=SignupOut, summary="扫码签到（二维码中的令牌）")
def checkin(request, payload: CheckIn):
    return services.check_in(
        actor=request.user,
        activity=_by_token(payload.token),
        lat=payload.lat,
        lng=payload.lng,
    )


@router.post("checkout", response=SignupOut, summary="扫码签退")
def checkout(request, payload: CheckIn):
    return services.check_out(
        actor=request.user,
        activity=_by_token(payload.token),
        lat=payload.lat,
        lng=payload.lng,
    )


@router.get("hours/", response=list[HoursOut], summary="服务时长")
@paginate
def list_hours(request, filters: Query[StatusQuery]):
    return filtered(HoursFilter, filters, ServiceHours.objects.visible_to(request.user))


@router.post("hours/{int:pk}/decide", response=HoursOut, summary="确认/退回时长")
def decide_hours(request, pk: int, payload: DecisionIn):
    record = get_visible_or_404(ServiceHours.objects, request.user, "manage", pk=pk)
    return services.decide_hours(
        actor=request.user,
        record=record,
        approve=payload.approve,
        note=payload.note,
        version=payload.version,
    )


@router.get("volunteers/", response=list[VolunteerOut], summary="志愿者")
@paginate
def list_volunteers(request, filters: Query[VolunteerQuery]):
    rows = Volunteer.objects.visible_to(request.user).order_by("pk")
    return filtered(VolunteerFilter, filters, rows)


@router.get("volunteers/{int:pk}", response=VolunteerOut, summary="志愿者详情")
def get_volunteer(request, pk: int):
    return get_visible_or_404(Volunteer.objects, request.user, pk=pk)


@router.get(
    "volunteers/{int:pk}/ledger",
    response=list[EntryOut],
    summary="积分流水（只增不改）",
)
@paginate
def ledger(request, pk: int):
    volunteer = get_visible_or_404(Volunteer.objects, request.user, pk=pk)
    return PointsEntry.objects.visible_to(request.user).filter(volunteer=volunteer)


@router.get("mall/", response=list[ItemOut], summary="积分超市商品")
@paginate
def list_items(request, filters: Query[MallQuery]):
    """Items in the caller's scope; members and units see every item on a shelf
    and redeem from their own community's (community_id narrows the list)."""
    return filtered(MallItemFilter, filters, MallItem.objects.visible_to(request.user))


@router.post("mall/{int:pk}/redeem", response={201: RedemptionOut}, summary="积分兑换")
def redeem(request, pk: int, payload: RedeemIn):
    item = get_visible_or_404(MallItem.objects, request.user, pk=pk)
    return Status(
        201, services.redeem(actor=request.user, item=item, quantity=payload.quantity)
    )


@router.get("wishes/", response=list[WishOut], summary="微心愿（工作人员）")
@paginate
def list_wishes(request, filters: Query[StatusQuery]):
    return filtered(WishFilter, filters, Wish.objects.visible_to(request.user))


@router.get("wishes/{int:pk}", response=WishOut, summary="微心愿详情")
def get_wish(request, pk: int):
    return get_visible_or_404(Wish.objects, request.user, pk=pk)


@router.post("wishes/", response={201: WishOut}, summary="征集微心愿")
def create_wish(request, payload: WishIn):
    # a place outside the caller's view answers as one that does not exist
    place = Place.objects.visible_to(request.user).filter(pk=payload.place_id).first()
    if place is None:
        raise ValidationError({"place_id": "地点不存在"})
    data = payload.dict()
    data.pop("place_id")
    return Status(201, services.collect_wish(actor=request.user, place=place, **data))


@router.post("wishes/{int:pk}/review", response=WishOut, summary="审核发布")
def review_wish(request, pk: int, payload: DecisionIn):
    wish = get_visible_or_404(Wish.objects, request.user, "manage", pk=pk)
    return services.review_wish(
        actor=request.user,
        wish=wish,
        publish=payload.approve,
        note=payload.note,
        version=payload.version,
    )


@router.get("wall/", response=list[PublicWishOut], auth=None, summary="心愿墙（公开）")
@paginate
def wall(request):
    return Wish.objects.public().order_by("-published_at", "-pk")


@router.post("wall/{int:pk}/claim", response={201: ClaimOut}, summary="认领心愿")
def claim(request, pk: int, payload: ClaimIn):
    wish = get_object_or_404(Wish.objects.public(), pk=pk)
    return Status(
        201, services.claim_wish(actor=request.user, wish=wish, as_unit=payload.as_unit)
    )


@router.get("needs/", response=list[NeedOut], summary="需求清单")
@paginate
def list_needs(request):
    return Need.objects.visible_to(request.user)


@router.get("resources/", response=list[ResourceOut], summary="资源清单")
@paginate
def list_resources(request):
    return Resource.objects.visible_to(request.user)


@router.get("matches/", response=list[MatchOut], summary="对单配餐建议")
@paginate
def list_matches(request):
    return Match.objects.visible_to(request.user)


@router.post("matches/{int:pk}/decide", response=MatchOut, summary="采纳/不采纳")
def decide_match(request, pk: int, payload: DecisionIn):
    match = get_visible_or_404(Match.objects, request.user, "manage", pk=pk)
    return services.decide_match(
        actor=request.user, match=match, accept=payload.approve
    )


@router.get("projects/", response=list[ProjectOut], summary="项目清单")
@paginate
def list_projects(request):
    return Project.objects.visible_to(request.user)


def _project(request, pk):
    return get_visible_or_404(Project.objects, request.user, pk=pk)


@router.get("projects/{int:pk}", response=ProjectOut, summary="项目详情")
def get_project(request, pk: int):
    return _project(request, pk)


@router.post("projects/{int:pk}/claim", response=ProjectOut, summary="项目认领")
def claim_project(request, pk: int, payload: ProjectClaimIn):
    return services.claim_project(
        actor=request.user,
        project=_project(request, pk),
        as_unit=payload.as_unit,
        version=payload.version,
    )


@router.post("projects/{int:pk}/progress", response=ProjectOut, summary="更新进度")
def progress(request, pk: int, payload: ProgressIn):
    return services.report_progress(
        actor=request.user,
        project=_project(request, pk),
        progress=payload.progress,
        note=payload.note,
        version=payload.version,
    )
