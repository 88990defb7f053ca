"""The grid worker's phone pages: the day, a patrol (track sampled by the browser
while the page is open), findings and their cases, home visits."""

import json

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from jiceng.cases.models import Category
from jiceng.core.actions import act, error_text
from jiceng.core.forms import add_service_errors
from jiceng.core.scope import get_visible_or_404, path_prefix, permission_required
from jiceng.people.models import Household, Resident, ResidentTag

from .. import services
from ..forms import FindingForm, VisitForm
from ..models import Finding, NeedKind, Patrol, Visit
from ..services.visits import CORRECTABLE
from .common import grids_for, int_or

PATROL = "workforce.patrol"


@permission_required(PATROL)
def my_day(request):
    summary = services.day_summary(request.user)
    open_patrol = Patrol.objects.filter(
        user=request.user, ended_at__isnull=True
    ).first()
    return render(
        request,
        "workforce/my_day.html",
        {
            "s": summary,
            "open_patrol": open_patrol,
            "grids": grids_for(request.user)[:50],
        },
    )


@permission_required(PATROL)
@require_POST
def patrol_start(request):
    grid = (
        grids_for(request.user).filter(pk=int_or(request.POST.get("grid"), 0)).first()
    )
    try:
        if grid is None:
            raise PermissionDenied("请选择自己的网格")
        patrol = services.start_patrol(actor=request.user, grid=grid)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, error_text(exc))
        return redirect("workforce:my_day")
    return redirect("workforce:patrol_live", pk=patrol.pk)


def _own_patrol(request, pk):
    patrol = get_visible_or_404(
        Patrol.objects.select_related("grid"), request.user, pk=pk
    )
    if patrol.user_id != request.user.pk:
        raise PermissionDenied("只能操作自己的巡查")
    return patrol


@permission_required(PATROL)
def patrol_live(request, pk):
    patrol = _own_patrol(request, pk)
    if patrol.ended_at is not None:
        return redirect(patrol)
    form = FindingForm()
    return render(
        request,
        "workforce/patrol_live.html",
        {
            "patrol": patrol,
            "form": form,
            "findings": patrol.findings.select_related("case", "category"),
        },
    )


@permission_required(PATROL)
@require_POST
def patrol_points(request, pk):
    """The page posts {"coordinates": [[lng, lat], …]} every few samples."""
    patrol = _own_patrol(request, pk)
    try:
        body = json.loads(request.body or b"{}")
        coordinates = body.get("coordinates") if isinstance(body, dict) else None
        patrol = services.add_points(
            actor=request.user, patrol=patrol, coordinates=coordinates
        )
    except (ValueError, ValidationError) as exc:
        message = (
            error_text(exc) if isinstance(exc, ValidationError) else "数据格式无效"
        )
        return JsonResponse({"code": "invalid", "message": message}, status=400)
    return JsonResponse({"points": patrol.points, "metres": patrol.metres})


@permission_required(PATROL)
@require_POST
def finding_add(request, pk):
    patrol = _own_patrol(request, pk)
    form = FindingForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写发现的问题")
        return redirect("workforce:patrol_live", pk=patrol.pk)
    data = form.cleaned_data
    return act(
        request,
        lambda: services.add_finding(
            actor=request.user,
            patrol=patrol,
            description=data["description"],
            category=data["category"],
            lat=data["lat"],
            lng=data["lng"],
        ),
        "已记录发现",
        f"/workforce/m/patrols/{patrol.pk}/",
    )


@permission_required(PATROL)
def finding_case(request, pk):
    """Tap one opened this page with the case filled in; tap two reports it."""
    finding = Finding.objects.select_related("patrol", "category").filter(pk=pk).first()
    if finding is None or finding.patrol.user_id != request.user.pk:
        from django.http import Http404

        raise Http404
    categories = Category.objects.reportable().select_related("parent")
    if request.method == "POST":
        category = categories.filter(pk=int_or(request.POST.get("category"), 0)).first()
        try:
            case = services.finding_to_case(
                actor=request.user, finding=finding, category=category
            )
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(request, f"已上报事件 {case.number}")
            if finding.patrol.ended_at is None:
                return redirect("workforce:patrol_live", pk=finding.patrol_id)
            return redirect(finding.patrol)
    return render(
        request,
        "workforce/finding_case.html",
        {"finding": finding, "categories": categories},
    )


@permission_required(PATROL)
@require_POST
def patrol_end(request, pk):
    patrol = _own_patrol(request, pk)
    try:
        body = request.POST.get("coordinates")
        if body:
            services.add_points(
                actor=request.user, patrol=patrol, coordinates=json.loads(body)
            )
        patrol = services.end_patrol(
            actor=request.user, patrol=patrol, note=request.POST.get("note", "")
        )
    except (ValueError, ValidationError, PermissionDenied) as exc:
        messages.error(
            request,
            error_text(exc) if not isinstance(exc, ValueError) else "轨迹数据无效",
        )
        return redirect("workforce:patrol_live", pk=patrol.pk)
    messages.success(request, f"巡查结束：{patrol.points}个轨迹点，{patrol.metres}米")
    return redirect(patrol)


def _households(request, grid):
    rows = Household.objects.filter(path_prefix(grid.path, "place_path")).order_by(
        "number"
    )
    q = request.GET.get("q", "").strip()
    if q:
        rows = rows.filter(number__contains=q)
    return rows


@permission_required(PATROL)
def visit_new(request):
    grids = grids_for(request.user)
    grid = grids.filter(pk=int_or(request.GET.get("grid"), 0)).first() or grids.first()
    if grid is None:
        raise PermissionDenied("您没有负责的网格")
    households = _households(request, grid)
    initial = {}
    if request.GET.get("household"):
        initial["household"] = int_or(request.GET.get("household"), None)
    form = VisitForm(request.POST or None, households=households, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        seen = [int_or(v, 0) for v in request.POST.getlist("seen")]
        try:
            visit = services.record_visit(
                actor=request.user,
                household=data["household"],
                kind=data["kind"],
                notes=data["notes"],
                confirmed=data["confirmed"],
                seen=seen,
            )
        except (ValidationError, PermissionDenied) as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "已登记走访")
            return redirect(visit)
    chosen = form["household"].value()
    members = Resident.objects.filter(household_id=int_or(chosen, 0)) if chosen else []
    return render(
        request,
        "workforce/visit_new.html",
        {"form": form, "grid": grid, "grids": grids[:50], "members": members},
        status=400 if form.errors else 200,
    )


def _own_visit(request, pk):
    visit = get_visible_or_404(
        Visit.objects.select_related("household"), request.user, pk=pk
    )
    if visit.user_id != request.user.pk:
        raise PermissionDenied("只能操作自己的走访记录")
    return visit


@permission_required(PATROL)
@require_POST
def visit_correct(request, pk):
    visit = _own_visit(request, pk)
    resident = Resident.objects.filter(
        household=visit.household, pk=int_or(request.POST.get("resident"), 0)
    ).first()
    fields = {
        name: request.POST[name].strip()
        for name in CORRECTABLE
        if request.POST.get(name, "").strip()
    }
    if resident is None:
        messages.error(request, "请选择本户成员")
        return redirect(visit)
    return act(
        request,
        lambda: services.correct_resident(
            actor=request.user, visit=visit, resident=resident, **fields
        ),
        f"已更正{resident.name}的登记信息",
        visit,
    )


@permission_required(PATROL)
@require_POST
def visit_need(request, pk):
    visit = _own_visit(request, pk)
    kind = request.POST.get("kind", "")
    extra = {}
    resident = Resident.objects.filter(
        household=visit.household, pk=int_or(request.POST.get("resident"), 0)
    ).first()
    if kind == NeedKind.CASE:
        extra["category"] = Category.objects.filter(
            pk=int_or(request.POST.get("category"), 0), active=True
        ).first()
    elif kind == NeedKind.WISH:
        extra["resident"] = resident
    elif kind == NeedKind.REVIEW:
        extra["tag"] = (
            ResidentTag.objects.filter(
                resident__household=visit.household,
                pk=int_or(request.POST.get("tag"), 0),
            )
            .select_related("resident")
            .first()
        )
        extra["kept"] = request.POST.get("kept", "1") == "1"
    return act(
        request,
        lambda: services.add_visit_need(
            actor=request.user,
            visit=visit,
            kind=kind,
            text=request.POST.get("text", ""),
            **extra,
        ),
        "已登记需求并转交",
        visit,
    )
