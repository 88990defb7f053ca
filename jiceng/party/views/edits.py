"""Correcting the party records: rename, move or dissolve an organisation, remove a
大工委's member units and part-time members, change a member's status, transfer a
member. Each page reads the row in the user's change scope (else 404) and calls one
service; a stale form (someone saved in between) is told so and keeps its input."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from jiceng.core.forms import add_service_errors
from jiceng.core.scope import (
    can,
    get_visible_or_404,
    path_prefix,
    permission_required,
)
from jiceng.people.models import Unit

from .. import services
from ..errors import PartyError
from ..forms import (
    DissolveForm,
    MemberEditForm,
    OrgEditForm,
    OrgMoveForm,
    PartTimeForm,
    TransferForm,
)
from ..models import (
    ORG_PARENT_KINDS,
    JointCommitteeUnit,
    MemberStatus,
    PartTimeMember,
    PartyMember,
    PartyOrg,
    PartyOrgKind,
)
from ..services.members import MEMBER_FIELDS

CHANGE = "party.change"
FORM = "edit_form.html"


def _org(request, pk):
    return get_visible_or_404(
        PartyOrg.objects.select_related("place"), request.user, "change", pk=pk
    )


def _page(request, form, *, title, back, submit="保存", lead="", danger=False):
    return render(
        request,
        FORM,
        {
            "form": form,
            "title": title,
            "back": back,
            "submit": submit,
            "lead": lead,
            "danger": danger,
        },
        status=400 if form.errors else 200,
    )


def _try(form, call, **code_fields):
    """Run a service call; show its errors on the form. True when it succeeded."""
    try:
        call()
    except (ValidationError, PermissionDenied) as exc:
        add_service_errors(form, exc, code_fields=code_fields)
        return False
    return True


@permission_required(CHANGE)
def org_edit(request, pk):
    org = _org(request, pk)
    initial = {
        "name": org.name,
        "is_joint_committee": org.is_joint_committee,
        "founded_on": org.founded_on,
        "note": org.note,
        "version": org.version,
    }
    form = OrgEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        if _try(
            form,
            lambda: services.update_org(
                actor=request.user, org=org, version=version, **data
            ),
        ):
            messages.success(request, "已保存")
            return redirect(org)
    return _page(request, form, title=f"编辑党组织“{org.name}”", back=org)


def parent_choices(user, org):
    """Organisations of the level above that cover org's place, in the user's change
    scope, outside org's own subtree (no cycles)."""
    kinds = ORG_PARENT_KINDS[PartyOrgKind(org.kind)]
    place = org.place
    covering = [place.path[: i * place.steplen] for i in range(1, place.depth + 1)]
    return (
        PartyOrg.objects.visible_to(user, "change")
        .filter(kind__in=kinds, place__path__in=covering)
        .exclude(path_prefix(org.path))
        .order_by("path")
    )


@permission_required(CHANGE)
def org_move(request, pk):
    org = _org(request, pk)
    form = OrgMoveForm(
        request.POST or None,
        parents=parent_choices(request.user, org),
        initial={"version": org.version},
    )
    if request.method == "POST" and form.is_valid():
        if _try(
            form,
            lambda: services.move_org(
                actor=request.user,
                org=org,
                new_parent=form.cleaned_data["new_parent"],
                version=form.cleaned_data["version"],
            ),
            **{
                PartyError.ORG_MOVE_CYCLE: "new_parent",
                PartyError.ORG_KIND: "new_parent",
                PartyError.ORG_PLACE_OUTSIDE: "new_parent",
            },
        ):
            messages.success(request, f"已将“{org.name}”移至新的上级组织")
            return redirect(org)
    return _page(
        request,
        form,
        title=f"移动党组织“{org.name}”",
        back=org,
        submit="移动",
        lead="下级组织随之移动；只列出驻地覆盖本组织驻地的上一级组织。",
    )


def member_targets(user, org):
    """Where a dissolved organisation's members may go: organisations in the user's
    change scope near it, under its grandparent (a group's members to another
    group or branch of the community), or anywhere in scope for a top one."""
    ancestors = list(PartyOrg.objects.get_ancestors(org))
    rows = PartyOrg.objects.visible_to(user, "change").exclude(pk=org.pk)
    if ancestors:
        rows = rows.filter(path_prefix(ancestors[-2:][0].path))
    return rows.order_by("path")


@permission_required(CHANGE)
def org_dissolve(request, pk):
    org = _org(request, pk)
    form = DissolveForm(
        request.POST or None,
        targets=member_targets(request.user, org),
        initial={"version": org.version},
    )
    members = PartyMember.objects.filter(org=org).count()
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        parent = PartyOrg.objects.get_parent(org)
        if _try(
            form,
            lambda: services.dissolve_org(
                actor=request.user,
                org=org,
                members_to=data["members_to"],
                on=data["on"],
                version=data["version"],
            ),
            **{PartyError.ORG_HAS_CHILDREN: None},
        ):
            messages.success(request, f"已撤销“{org.name}”，{members}名党员已转入")
            return redirect(parent or "party:org_index")
    return _page(
        request,
        form,
        title=f"撤销党组织“{org.name}”",
        back=org,
        submit="撤销",
        danger=True,
        lead=f"本组织现有党员{members}名，撤销后全部转入所选党组织并记入转接记录；"
        "有下级组织的须先移走或撤销下级组织。",
    )


@require_POST
@permission_required(CHANGE)
def joint_unit_remove(request, pk):
    row = get_visible_or_404(
        JointCommitteeUnit.objects.select_related("committee", "unit"),
        request.user,
        "change",
        pk=pk,
    )
    committee = _org(request, row.committee_id)
    try:
        services.remove_joint_unit(
            actor=request.user, row=row, version=request.POST.get("version")
        )
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, "；".join(getattr(exc, "messages", [str(exc)])))
    else:
        messages.success(request, f"已移除成员单位“{row.unit.name}”")
    return redirect(committee)


@permission_required(CHANGE)
def part_time_add(request, pk):
    org = _org(request, pk)
    form = PartTimeForm(
        request.POST or None,
        units=Unit.objects.filter(joint_committees__committee=org).order_by("name"),
    )
    if request.method == "POST" and form.is_valid():
        if _try(
            form,
            lambda: services.add_part_time_member(
                actor=request.user, committee=org, **form.cleaned_data
            ),
            **{PartyError.PART_TIME_UNIT: "unit", PartyError.NOT_JOINT: None},
        ):
            messages.success(request, f"已新增兼职委员“{form.cleaned_data['name']}”")
            return redirect(org)
    return _page(
        request,
        form,
        title=f"为“{org.name}”新增兼职委员",
        back=org,
        lead="兼职委员须来自本组织的成员单位。",
    )


@require_POST
@permission_required(CHANGE)
def part_time_remove(request, pk):
    row = get_visible_or_404(
        PartTimeMember.objects.select_related("committee"),
        request.user,
        "change",
        pk=pk,
    )
    committee = _org(request, row.committee_id)
    try:
        services.remove_part_time_member(
            actor=request.user, row=row, version=request.POST.get("version")
        )
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, "；".join(getattr(exc, "messages", [str(exc)])))
    else:
        messages.success(request, f"已移除兼职委员“{row.name}”")
    return redirect(committee)


def _member(request, pk):
    return get_visible_or_404(
        PartyMember.objects.select_related("resident", "org", "place"),
        request.user,
        "change",
        pk=pk,
    )


@permission_required(CHANGE)
def member_edit(request, pk):
    member = _member(request, pk)
    initial = {f: getattr(member, f) for f in MEMBER_FIELDS}
    initial["version"] = member.version
    form = MemberEditForm(request.POST or None, initial=initial)
    if member.status == MemberStatus.TRANSFERRED_OUT:
        form.fields["status"].choices = MemberStatus.choices
        form.fields["status"].disabled = True
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        if _try(
            form,
            lambda: services.update_member(
                actor=request.user, member=member, version=version, **data
            ),
        ):
            messages.success(request, "已保存")
            return redirect(member)
    return _page(request, form, title=f"编辑党员“{member.resident.name}”", back=member)


@permission_required(CHANGE)
def member_transfer(request, pk):
    member = _member(request, pk)
    orgs = (
        PartyOrg.objects.visible_to(request.user, "change")
        .exclude(pk=member.org_id)
        .order_by("path")
    )
    form = TransferForm(
        request.POST or None, orgs=orgs, initial={"version": member.version}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        common = dict(
            actor=request.user,
            member=member,
            reason=data["reason"],
            on=data["on"],
            version=data["version"],
        )
        if data["kind"] == TransferForm.OUT:
            call = lambda: services.transfer_out(  # noqa: E731
                destination=data["destination"], **common
            )
        else:
            call = lambda: services.transfer_member(  # noqa: E731
                org=data["org"], status=data["status"] or None, **common
            )
        if _try(form, call, **{PartyError.MEMBER_STATUS: None}):
            messages.success(request, "已办理组织关系转接")
            member.refresh_from_db()
            if can(request.user, member, "view"):
                return redirect(member)
            return redirect("party:member_list")
    return _page(
        request,
        form,
        title=f"组织关系转接：{member.resident.name}",
        back=member,
        submit="办理转接",
        lead=f"当前所在党组织：{member.org or '无'}。转出本区后党员状态为“已转出”，"
        "返回本区时可再转入区内党组织。",
    )
