"""上门服务: the community's list, staff requests for a resident, scheduling."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from jiceng.core.forms import add_service_errors
from jiceng.core.htmx import paginate, render_page
from jiceng.core.scope import can, get_visible_or_404, permission_required
from jiceng.people.models import Resident

from .. import services
from ..forms import ScheduleForm, VisitForm
from ..models import HomeVisit, VisitStatus
from .common import act
from .common import community_of_place as community_of


@permission_required("onewindow.manage")
def visit_list(request):
    rows = HomeVisit.objects.visible_to(request.user).select_related(
        "resident", "staff", "volunteer"
    )
    status = request.GET.get("status", "")
    if status in VisitStatus.values:
        rows = rows.filter(status=status)
    return render_page(
        request,
        "onewindow/visit_list.html",
        {
            "page": paginate(request, rows),
            "status": status,
            "statuses": VisitStatus.choices,
        },
    )


@permission_required("onewindow.manage")
def visit_new(request):
    form = VisitForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        resident = (
            Resident.objects.visible_to(request.user)
            .filter(pk=data["resident"])
            .first()
            if data.get("resident")
            else None
        )
        try:
            if resident is None:
                raise ValidationError({"resident": "请填写辖区内居民的编号"})
            visit = services.request_visit(
                actor=request.user,
                resident=resident,
                need=data["need"],
                item=data["item"],
                preferred_on=data["preferred_on"],
            )
        except (ValidationError, PermissionDenied) as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "已登记上门服务需求")
            return redirect(visit)
    return render(
        request,
        "onewindow/form.html",
        {"form": form, "title": "登记上门服务", "submit": "登记"},
        status=400 if form.errors else 200,
    )


@permission_required("onewindow.manage")
def visit_detail(request, pk):
    visit = get_visible_or_404(
        HomeVisit.objects.select_related("resident", "item", "staff", "volunteer"),
        request.user,
        pk=pk,
    )
    community = community_of(visit.place)
    return render(
        request,
        "onewindow/visit_detail.html",
        {
            "visit": visit,
            "can_manage": can(request.user, visit, "manage"),
            "schedule_form": ScheduleForm(
                community=community, initial={"version": visit.version}
            ),
        },
    )


@permission_required("onewindow.manage")
@require_POST
def visit_schedule(request, pk):
    visit = get_visible_or_404(HomeVisit.objects, request.user, "manage", pk=pk)
    form = ScheduleForm(request.POST, community=community_of(visit.place))
    if not form.is_valid():
        messages.error(request, "请填写上门时间并选择人员")
        return redirect(visit)
    return act(
        request,
        lambda: services.schedule_visit(
            actor=request.user, visit=visit, **form.cleaned_data
        ),
        "已安排上门",
        visit,
    )


@permission_required("onewindow.manage")
@require_POST
def visit_finish(request, pk):
    visit = get_visible_or_404(HomeVisit.objects, request.user, "manage", pk=pk)
    return act(
        request,
        lambda: services.finish_visit(
            actor=request.user, visit=visit, outcome=request.POST.get("outcome", "")
        ),
        "已登记上门完成",
        visit,
    )
