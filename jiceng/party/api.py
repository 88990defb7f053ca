"""Party organisations and members API, scoped like the pages."""

from types import SimpleNamespace

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Status
from ninja.pagination import paginate

from jiceng.core.apiutils import filtered
from jiceng.core.scope import get_visible_or_404, has_permission
from jiceng.people.models import Resident, Unit
from jiceng.places.models import Place

from . import services
from .filters import PartyMemberFilter, PartyOrgFilter
from .models import Attendance, Meeting, MemberTransfer, PartyMember, PartyOrg
from .schemas import (
    CoverageOut,
    MeetingIn,
    MeetingQuery,
    MemberIn,
    MemberOut,
    MemberQuery,
    OrgDissolveIn,
    OrgMoveIn,
    PartyMeetingOut,
    PartyOrgOut,
    PartyOrgQuery,
    PendingTransferOut,
    TransferDecisionIn,
    TransferIn,
    TransferOut,
    TransferQuery,
    TransferSendIn,
)
from .services.work import new_units

orgs = Router(tags=["党组织"])
members = Router(tags=["党员"])
router = SimpleNamespace(orgs=orgs, members=members)


@orgs.get("", response=list[PartyOrgOut], summary="党组织列表")
@paginate
def list_orgs(request, filters: Query[PartyOrgQuery]):
    queryset = PartyOrg.objects.visible_to(request.user).select_related("place")
    return filtered(PartyOrgFilter, filters, queryset)


@orgs.get("{int:org_id}", response=PartyOrgOut, summary="党组织详情")
def get_org(request, org_id: int):
    return get_visible_or_404(
        PartyOrg.objects.select_related("place"), request.user, pk=org_id
    )


@members.get("", response=list[MemberOut], summary="党员列表")
@paginate
def list_members(request, filters: Query[MemberQuery]):
    queryset = (
        PartyMember.objects.visible_to(request.user)
        .select_related("resident")
        .order_by("id")
    )
    return filtered(PartyMemberFilter, filters, queryset)


@members.get("{int:member_id}", response=MemberOut, summary="党员详情")
def get_member(request, member_id: int):
    return get_visible_or_404(
        PartyMember.objects.select_related("resident"), request.user, pk=member_id
    )


@members.post("", response={201: MemberOut}, summary="登记党员")
def register_member(request, payload: MemberIn):
    resident = get_visible_or_404(
        Resident.objects, request.user, pk=payload.resident_id
    )
    org = (
        get_visible_or_404(PartyOrg.objects, request.user, "change", pk=payload.org_id)
        if payload.org_id
        else None
    )
    unit = (
        get_visible_or_404(Unit.objects, request.user, pk=payload.unit_id)
        if payload.unit_id
        else None
    )
    member = services.register_member(
        actor=request.user,
        resident=resident,
        org=org,
        unit=unit,
        status=payload.status,
        joined_on=payload.joined_on,
        is_probationary=payload.is_probationary,
        note=payload.note,
    )
    return Status(201, member)


def _org_to_change(request, org_id):
    return get_visible_or_404(
        PartyOrg.objects.select_related("place"), request.user, "change", pk=org_id
    )


@orgs.post("{int:org_id}/move", response=PartyOrgOut, summary="调整上级党组织")
def move_org(request, org_id: int, payload: OrgMoveIn):
    org = _org_to_change(request, org_id)
    parent = _org_to_change(request, payload.new_parent_id)
    return services.move_org(
        actor=request.user, org=org, new_parent=parent, version=payload.version
    )


@orgs.post("{int:org_id}/dissolve", response={204: None}, summary="撤销党组织")
def dissolve_org(request, org_id: int, payload: OrgDissolveIn):
    org = _org_to_change(request, org_id)
    target = (
        _org_to_change(request, payload.members_to_id)
        if payload.members_to_id
        else None
    )
    services.dissolve_org(
        actor=request.user,
        org=org,
        members_to=target,
        on=payload.on,
        version=payload.version,
    )
    return Status(204, None)


@members.post(
    "{int:member_id}/transfer",
    response={201: TransferOut},
    summary="组织关系转接（区内转接、转入或转出本区）",
)
def transfer_member(request, member_id: int, payload: TransferIn):
    member = get_visible_or_404(
        PartyMember.objects.select_related("resident", "org"),
        request.user,
        "change",
        pk=member_id,
    )
    common = dict(
        actor=request.user,
        member=member,
        reason=payload.reason,
        on=payload.on,
        version=payload.version,
    )
    if payload.org_id is None:
        transfer = services.transfer_out(destination=payload.destination, **common)
    else:
        org = _org_to_change(request, payload.org_id)
        transfer = services.transfer_member(org=org, status=payload.status, **common)
    return Status(201, transfer)


# ---- organisational life, transfers, coverage (/api/v1/party/…) ---------------

life = Router(tags=["组织生活"])
router.life = life


def _with_attendance(meeting):
    meeting.attendance_list = list(
        meeting.attendance.select_related("member__resident")
    )
    return meeting


@life.get("meetings/", response=list[PartyMeetingOut], summary="三会一课会议记录")
@paginate
def list_meetings(request, filters: Query[MeetingQuery]):
    rows = Meeting.objects.visible_to(request.user).select_related("org")
    if filters.org:
        rows = rows.filter(org_id=filters.org)
    if filters.kind:
        rows = rows.filter(kind=filters.kind)
    if filters.held_from:
        rows = rows.filter(held_on__gte=filters.held_from)
    if filters.held_to:
        rows = rows.filter(held_on__lte=filters.held_to)
    return rows.prefetch_related(
        Prefetch(
            "attendance",
            queryset=Attendance.objects.select_related("member__resident"),
            to_attr="attendance_list",
        )
    )


@life.get("meetings/{int:meeting_id}", response=PartyMeetingOut, summary="会议详情")
def get_meeting(request, meeting_id: int):
    return _with_attendance(
        get_visible_or_404(
            Meeting.objects.select_related("org"), request.user, pk=meeting_id
        )
    )


@life.post(
    "meetings/", response={201: PartyMeetingOut}, summary="记录会议（含出席情况）"
)
def record_meeting(request, payload: MeetingIn):
    org = _org_to_change(request, payload.org_id)
    members = {m.pk: m for m in PartyMember.objects.filter(org=org)}

    def member(pk):
        if pk not in members:
            raise ValidationError({"present": "只能登记本支部党员的出席情况"})
        return members[pk]

    meeting = services.record_meeting(
        actor=request.user,
        org=org,
        kind=payload.kind,
        form=payload.form,
        topic=payload.topic,
        held_on=payload.held_on,
        venue=payload.venue,
        minutes=payload.minutes,
        present=[member(pk) for pk in payload.present],
        absent=[(member(a.member_id), a.reason) for a in payload.absent],
    )
    return Status(201, _with_attendance(meeting))


@life.get("transfers/", response=list[PendingTransferOut], summary="组织关系转接")
@paginate
def list_transfers(request, filters: Query[TransferQuery]):
    rows = MemberTransfer.objects.visible_to(request.user)
    if filters.status:
        rows = rows.filter(status=filters.status)
    return rows


@life.post(
    "transfers/",
    response={201: PendingTransferOut},
    summary="发起组织关系转接（待接收党组织确认）",
)
def send_transfer(request, payload: TransferSendIn):
    member = get_visible_or_404(
        PartyMember.objects, request.user, "change", pk=payload.member_id
    )
    org = get_object_or_404(PartyOrg, pk=payload.org_id)
    transfer = services.send_transfer(
        actor=request.user,
        member=member,
        org=org,
        reason=payload.reason,
        version=payload.version,
    )
    return Status(201, transfer)


def _decide(request, transfer_id, call, payload):
    transfer = get_visible_or_404(MemberTransfer.objects, request.user, pk=transfer_id)
    return call(actor=request.user, transfer=transfer, note=payload.note)


@life.post(
    "transfers/{int:transfer_id}/accept",
    response=PendingTransferOut,
    summary="接收",
)
def accept_transfer(request, transfer_id: int, payload: TransferDecisionIn):
    return _decide(request, transfer_id, services.accept_transfer, payload)


@life.post(
    "transfers/{int:transfer_id}/reject",
    response=PendingTransferOut,
    summary="退回",
)
def reject_transfer(request, transfer_id: int, payload: TransferDecisionIn):
    return _decide(request, transfer_id, services.reject_transfer, payload)


@life.get("coverage/", response=CoverageOut, summary="两个覆盖：覆盖率与未覆盖单位")
def coverage(request, place: str | None = None):
    if not has_permission(request.user, "party.view"):
        raise PermissionDenied("超出权限范围")
    where = None
    if place:
        where = Place.objects.visible_to(request.user).filter(code=place).first()
        if where is None:
            raise Http404
    rates = services.coverage_rates(new_units(request.user, where))
    uncovered = list(rates.pop("uncovered")[:500])
    for unit in uncovered:
        cover = getattr(unit, "coverage", None)
        unit.assignee = cover.assignee if cover else ""
        unit.work_covered = bool(cover and cover.work_covered)
    return {"place": place, **rates, "uncovered": uncovered}
