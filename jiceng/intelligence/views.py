"""未诉先办 tasks, the dispatch model's versions and the street's auto-dispatch."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from jiceng.core.actions import error_text
from jiceng.core.htmx import paginate
from jiceng.core.scope import can, get_visible_or_404, permission_required
from jiceng.places.models import Place, PlaceKind

from .forms import CloseForm, SettingForm, TaskFilterForm
from .models import (
    DispatchCorrection,
    DispatchModel,
    ProactiveTask,
    StreetSetting,
    TaskStatus,
)
from .services import dispatch, hotspots


def _tasks(user, data):
    form = TaskFilterForm(data or None)
    tasks = ProactiveTask.objects.visible_to(user).select_related("category", "place")
    if form.is_valid():
        if form.cleaned_data["status"]:
            tasks = tasks.filter(status=form.cleaned_data["status"])
        if form.cleaned_data["kind"]:
            tasks = tasks.filter(kind=form.cleaned_data["kind"])
    return form, tasks


@permission_required("intelligence.view")
def task_list(request):
    form, tasks = _tasks(request.user, request.GET)
    return render(
        request,
        "intelligence/task_list.html",
        {"filter": form, "page": paginate(request, tasks)},
    )


@permission_required("intelligence.view")
def task_detail(request, pk):
    task = get_visible_or_404(
        ProactiveTask.objects.select_related("category", "place", "closed_by"),
        request.user,
        pk=pk,
    )
    return _detail(request, task, CloseForm(initial={"version": task.version}))


def _detail(request, task, form, status=200):
    cases = (
        task.cases.visible_to(request.user)
        .select_related("category")
        .order_by("created_at")
    )
    return render(
        request,
        "intelligence/task_detail.html",
        {
            "task": task,
            "cases": cases,
            "form": form,
            "can_close": task.status == TaskStatus.OPEN
            and can(request.user, task, "dispatch"),
        },
        status=status,
    )


@require_POST
@permission_required("intelligence.dispatch")
def task_close(request, pk):
    task = get_visible_or_404(ProactiveTask.objects.all(), request.user, pk=pk)
    if not can(request.user, task, "dispatch"):
        raise PermissionDenied("您无权办结该任务")
    form = CloseForm(request.POST)
    if form.is_valid():
        try:
            hotspots.close_task(
                actor=request.user,
                task=task,
                version=form.cleaned_data["version"],
                result=form.cleaned_data["result"],
            )
        except ValidationError as exc:
            form.add_error(None, error_text(exc))
        else:
            return redirect(task)
    return _detail(request, task, form, status=400)


@permission_required("intelligence.view")
def task_geojson(request):
    tasks = (
        ProactiveTask.objects.visible_to(request.user)
        .filter(status=TaskStatus.OPEN, lat__isnull=False)
        .select_related("category")[:500]
    )
    return JsonResponse(
        {
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "geometry": {"type": "Point", "coordinates": [t.lng, t.lat]},
                    "properties": {
                        "label": f"未诉先办·{t.get_kind_display()}：{t.summary}",
                        "radius_m": t.radius_m,
                        "url": t.get_absolute_url(),
                    },
                }
                for t in tasks
            ],
        }
    )


@permission_required("intelligence.configure")
def dispatch_overview(request):
    """Model versions, recent corrections and each street's auto-dispatch."""
    streets = Place.objects.visible_to(request.user).filter(kind=PlaceKind.STREET)
    settings = {
        s.street_id: s for s in StreetSetting.objects.filter(street__in=streets)
    }
    return render(
        request,
        "intelligence/dispatch.html",
        {
            "models": DispatchModel.objects.defer("blob")[:20],
            "corrections": DispatchCorrection.objects.visible_to(
                request.user
            ).select_related("case")[:20],
            "streets": [(s, settings.get(s.pk)) for s in streets],
            "closed": len(dispatch.training_cases())
            if request.GET.get("count")
            else None,
            "min_cases": dispatch.min_cases(),
        },
    )


@permission_required("intelligence.configure")
def street_setting(request, pk):
    street = get_visible_or_404(
        Place.objects.filter(kind=PlaceKind.STREET), request.user, "change", pk=pk
    )
    current = StreetSetting.objects.filter(street=street).first()
    initial = (
        {"auto_dispatch": current.auto_dispatch, "threshold": current.threshold}
        if current
        else None
    )
    form = SettingForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            dispatch.save_setting(
                actor=request.user, street=street, **form.cleaned_data
            )
        except ValidationError as exc:
            form.add_error("threshold", error_text(exc))
        else:
            return redirect("intelligence:dispatch")
    return render(
        request,
        "intelligence/setting_form.html",
        {"form": form, "street": street},
        status=400 if form.errors else 200,
    )
