"""Correcting volunteering records: edit or cancel an activity, edit or withdraw a
need or a resource, take a mall item off the shelf, remove a team member or hand
over the leader. Pages read the row in the user's scope (else 404) and call one
service; a stale form is told someone else saved first and keeps its input."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from jiceng.core.forms import add_service_errors
from jiceng.core.scope import get_visible_or_404, permission_required

from .. import services
from ..forms import ActivityEditForm, NeedEditForm, ResourceEditForm
from ..models import Activity, MallItem, Need, Resource, Team
from ..services.edits import (
    ACTIVITY_FIELDS,
    NEED_FIELDS,
    RESOURCE_FIELDS,
    may_change_resource,
)
from .common import act

MANAGE = "volunteer.manage"
FORM = "edit_form.html"


def _version(request):
    value = request.POST.get("version", "")
    return int(value) if value.isdigit() and len(value) < 10 else -1


def _edit(request, form, row, call, *, title, back, success="已保存"):
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        try:
            call(actor=request.user, version=version, **data)
        except (ValidationError, PermissionDenied) as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, success)
            return redirect(back)
    return render(
        request,
        FORM,
        {"form": form, "title": title, "back": back},
        status=400 if form.errors else 200,
    )


def _initial(row, names):
    return {**{n: getattr(row, n) for n in names}, "version": row.version}


@permission_required(MANAGE)
def activity_edit(request, pk):
    activity = get_visible_or_404(Activity.objects, request.user, "manage", pk=pk)
    form = ActivityEditForm(
        request.POST or None, initial=_initial(activity, ACTIVITY_FIELDS)
    )
    return _edit(
        request,
        form,
        activity,
        lambda **kw: services.update_activity(activity=activity, **kw),
        title=f"编辑活动“{activity.title}”",
        back=activity,
    )


@require_POST
@permission_required(MANAGE)
def activity_cancel(request, pk):
    activity = get_visible_or_404(Activity.objects, request.user, "manage", pk=pk)
    return act(
        request,
        lambda: services.cancel_activity(
            actor=request.user, activity=activity, version=_version(request)
        ),
        "活动已取消",
        activity,
    )


@permission_required(MANAGE)
def need_edit(request, pk):
    need = get_visible_or_404(Need.objects, request.user, "manage", pk=pk)
    form = NeedEditForm(request.POST or None, initial=_initial(need, NEED_FIELDS))
    if not request.POST:
        form.initial["time_slots"] = [s for s in need.time_slots.split(",") if s]
    return _edit(
        request,
        form,
        need,
        lambda **kw: services.update_need(need=need, **kw),
        title=f"编辑需求“{need.title}”",
        back="volunteer:needs",
    )


@require_POST
@permission_required(MANAGE)
def need_close(request, pk):
    need = get_visible_or_404(Need.objects, request.user, "manage", pk=pk)
    return act(
        request,
        lambda: services.close_need(
            actor=request.user, need=need, version=_version(request)
        ),
        f"已撤销需求“{need.title}”",
        "volunteer:needs",
    )


def _resource(request, pk):
    """A resource the user may change: the community's, or one they offered."""
    resource = get_visible_or_404(
        Resource.objects.select_related("volunteer"), request.user, pk=pk
    )
    if not may_change_resource(request.user, resource):
        raise Http404
    return resource


@permission_required("volunteer.view")
def resource_edit(request, pk):
    resource = _resource(request, pk)
    form = ResourceEditForm(
        request.POST or None, initial=_initial(resource, RESOURCE_FIELDS)
    )
    if not request.POST:
        form.initial["time_slots"] = [s for s in resource.time_slots.split(",") if s]
    return _edit(
        request,
        form,
        resource,
        lambda **kw: services.update_resource(resource=resource, **kw),
        title=f"编辑资源“{resource.title}”",
        back="volunteer:resources",
    )


@require_POST
@permission_required("volunteer.view")
def resource_active(request, pk):
    resource = _resource(request, pk)
    active = request.POST.get("active") == "1"
    return act(
        request,
        lambda: services.set_resource_active(
            actor=request.user,
            resource=resource,
            active=active,
            version=_version(request),
        ),
        "已恢复该资源" if active else "已将该资源设为无效",
        "volunteer:resources",
    )


@require_POST
@permission_required(MANAGE)
def item_listed(request, pk):
    item = get_visible_or_404(MallItem.objects, request.user, "manage", pk=pk)
    listed = request.POST.get("listed") == "1"
    return act(
        request,
        lambda: services.set_item_listed(
            actor=request.user, item=item, listed=listed, version=_version(request)
        ),
        f"已{'上架' if listed else '下架'}“{item.name}”",
        "volunteer:mall",
    )


def _team_and_member(request, pk):
    team = get_visible_or_404(Team.objects, request.user, "manage", pk=pk)
    value = request.POST.get("volunteer", "")
    volunteer = (
        team.members.filter(pk=int(value)).first()
        if value.isdigit() and len(value) < 12
        else None
    )
    return team, volunteer


@require_POST
@permission_required(MANAGE)
def team_member_remove(request, pk):
    team, volunteer = _team_and_member(request, pk)
    if volunteer is None:
        messages.error(request, "该志愿者不在本队")
        return redirect(team)
    return act(
        request,
        lambda: services.remove_team_member(
            actor=request.user,
            team=team,
            volunteer=volunteer,
            version=_version(request),
        ),
        f"已将{volunteer}移出服务队",
        team,
    )


@require_POST
@permission_required(MANAGE)
def team_leader(request, pk):
    team, volunteer = _team_and_member(request, pk)
    if volunteer is None:
        messages.error(request, "新队长须为本队队员")
        return redirect(team)
    return act(
        request,
        lambda: services.hand_over_leader(
            actor=request.user,
            team=team,
            volunteer=volunteer,
            version=_version(request),
        ),
        f"队长已移交给{volunteer}",
        team,
    )
