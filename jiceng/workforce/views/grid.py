"""Grid pages: coverage, the community's team, the phone directory, the duty
checklist, and the lists of patrols and visits."""

from datetime import date

from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_POST

from jiceng.cases.models import Category
from jiceng.core.actions import act
from jiceng.core.htmx import paginate
from jiceng.core.scope import get_visible_or_404, has_permission, permission_required
from jiceng.people.models import Resident, ResidentTag
from jiceng.places.models import PlaceKind

from .. import services
from ..models import Patrol, TeamMember, Visit, Worker
from .common import grids_for, int_or, month_or, places_for


@permission_required("workforce.view")
def coverage(request):
    days = min(max(int_or(request.GET.get("days"), 30), 1), 366)
    grids = list(grids_for(request.user, "workforce.view")[:500])
    rows = services.coverage(grids, days)
    focus = next(
        (r.grid for r in rows if r.grid.pk == int_or(request.GET.get("grid"), 0)), None
    )
    return render(
        request,
        "workforce/coverage.html",
        {
            "rows": rows,
            "days": days,
            "focus": focus,
            "unpatrolled": services.unpatrolled_buildings(focus, days)[:200]
            if focus
            else None,
        },
    )


@permission_required("workforce.manage")
def team(request):
    days = min(max(int_or(request.GET.get("days"), 7), 1), 90)
    workers = (
        Worker.objects.visible_to(request.user)
        .filter(kind="grid", status="active")
        .select_related("community", "user")
        .prefetch_related("grids")
    )
    return render(
        request,
        "workforce/team.html",
        {"rows": services.team_view(workers, days), "days": days},
    )


@permission_required("workforce.view")
def directory(request):
    rows = TeamMember.objects.visible_to(request.user).select_related(
        "grid", "building"
    )
    grid = int_or(request.GET.get("grid"), 0)
    if grid:
        rows = rows.filter(grid_id=grid)
    q = request.GET.get("q", "").strip()
    if q:
        rows = rows.filter(name__contains=q)
    return render(
        request,
        "workforce/directory.html",
        {
            "page": paginate(request, rows, 50),
            "q": q,
            "grid": grid,
            "can_manage": has_permission(request.user, "workforce.manage"),
        },
    )


@permission_required("workforce.patrol")
def duties(request):
    grids = grids_for(request.user)
    grid = grids.filter(pk=int_or(request.GET.get("grid"), 0)).first() or grids.first()
    this_month = timezone.localdate().replace(day=1)
    period = month_or(request.GET.get("period"), this_month)
    # The last twelve months as a plain list (a phone's own month control differs
    # per browser and is not offered on every one).
    months = [
        date(
            this_month.year - (this_month.month - n <= 0),
            (this_month.month - n - 1) % 12 + 1,
            1,
        )
        for n in range(12)
    ]
    if period not in months:
        months.append(period)
    return render(
        request,
        "workforce/duties.html",
        {
            "grids": grids[:200],
            "grid": grid,
            "period": period,
            "months": months,
            "lines": services.checklist(grid, period) if grid else [],
        },
    )


@permission_required("workforce.patrol")
@require_POST
def duty_check(request):
    grid = (
        grids_for(request.user).filter(pk=int_or(request.POST.get("grid"), 0)).first()
    )
    period = month_or(request.POST.get("period"), timezone.localdate())
    target = f"/workforce/duties/?grid={grid.pk if grid else ''}&period={period:%Y-%m}"
    return act(
        request,
        lambda: services.check_duty(
            actor=request.user,
            grid=grid,
            period=period,
            duty=request.POST.get("duty", ""),
            done=request.POST.get("done") == "1",
            note=request.POST.get("note", ""),
        ),
        "已更新职责清单",
        target,
    )


@permission_required("workforce.view")
def patrol_list(request):
    rows = Patrol.objects.visible_to(request.user).select_related("grid", "user")
    return render(
        request, "workforce/patrol_list.html", {"page": paginate(request, rows)}
    )


@permission_required("workforce.view")
def patrol_detail(request, pk):
    patrol = get_visible_or_404(
        Patrol.objects.select_related("grid", "user"), request.user, pk=pk
    )
    return render(
        request,
        "workforce/patrol_detail.html",
        {
            "patrol": patrol,
            "findings": patrol.findings.select_related("case", "category"),
            "own": patrol.user_id == request.user.pk,
            "bytes": len(patrol.track),
        },
    )


@permission_required("workforce.view")
def patrol_geojson(request, pk):
    patrol = get_visible_or_404(Patrol.objects, request.user, pk=pk)
    return JsonResponse(services.geojson(patrol))


@permission_required("workforce.view")
def visit_list(request):
    rows = Visit.objects.visible_to(request.user).select_related(
        "household", "grid", "user"
    )
    kind = request.GET.get("kind", "")
    if kind:
        rows = rows.filter(kind=kind)
    return render(
        request, "workforce/visit_list.html", {"page": paginate(request, rows)}
    )


@permission_required("workforce.view")
def visit_detail(request, pk):
    visit = get_visible_or_404(
        Visit.objects.select_related("household__place", "grid", "user"),
        request.user,
        pk=pk,
    )
    members = Resident.objects.filter(household=visit.household).order_by("pk")
    own = visit.user_id == request.user.pk
    return render(
        request,
        "workforce/visit_detail.html",
        {
            "visit": visit,
            "members": members,
            "seen": set(visit.seen.values_list("pk", flat=True)),
            "needs": visit.needs.all(),
            "own": own,
            # Where a need may go besides 微心愿/需求清单: a case (小类), or the review
            # of a key-population tag of this household that the worker may see.
            "categories": Category.objects.reportable()
            .select_related("parent")
            .order_by("parent__code", "code")
            if own
            else [],
            "tags": ResidentTag.objects.visible_to(request.user)
            .filter(resident__household=visit.household, ended_on=None)
            .select_related("resident", "category")
            if own
            else [],
        },
    )


def streets_for(user):
    return places_for(user, "workforce.mobilise", PlaceKind.STREET)
