"""Party organisations and members API, scoped like the pages."""

from types import SimpleNamespace

from ninja import Query, Router, Status
from ninja.pagination import paginate

from jiceng.core.apiutils import filtered
from jiceng.core.scope import get_visible_or_404
from jiceng.people.models import Resident, Unit

from . import services
from .filters import PartyMemberFilter, PartyOrgFilter
from .models import PartyMember, PartyOrg
from .schemas import (
    MemberIn,
    MemberOut,
    MemberQuery,
    OrgDissolveIn,
    OrgMoveIn,
    PartyOrgOut,
    PartyOrgQuery,
    TransferIn,
    TransferOut,
)

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
