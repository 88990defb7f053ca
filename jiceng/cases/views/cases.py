"""Case pages: report (H5), lists by role, the map, detail with the next steps,
and the reporter's public status page."""

import re

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from jiceng.core.errors import Conflict
from jiceng.core.forms import add_service_errors
from jiceng.core.htmx import paginate, query_without_page, render_page
from jiceng.core.ledgers import choice_labels
from jiceng.core.scope import (
    can,
    get_visible_or_404,
    has_permission,
    permission_required,
)
from jiceng.places.models import Place, PlaceKind

from .. import duplicates, extensions, services
from ..filters import cases_for
from ..forms import RatingForm, ReportForm, StepForm
from ..models import Case
from ..workflow import MERGEABLE, OVERDUE_FIELDS, STEPS, Status

# Whoever may take some step opens the step form; the step itself checks the rest.
STEP_PERMISSIONS = ("cases.dispatch", "cases.handle", "cases.verify")
MAP_LIMIT = 2000


@permission_required("cases.view")
def case_list(request):
    case_filter, cases = cases_for(request.user, request.GET)
    cases = cases.select_related("category", "place", "department", "grid")
    return render_page(
        request,
        "cases/list.html",
        {
            "filter": case_filter.form,
            "page": paginate(request, cases, ids_first=True),
            "query": query_without_page(request),
            "can_report": has_permission(request.user, "cases.report"),
            "kind": "cases",
            "can_reveal": has_permission(request.user, "people.reveal"),
            "can_see_kpi": has_permission(request.user, "cases.kpi"),
            "panels": extensions.render_panels("queue", request),
        },
        partial="cases/partials/table.html",
    )


@permission_required("cases.report")
def report(request):
    user = request.user
    initial = {"reporter_name": getattr(user, "display_name", "") or str(user)}
    form = ReportForm(
        request.POST or None, request.FILES or None, user=user, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            case = services.report_case(
                actor=user,
                category=data["category"],
                description=data["description"],
                channel=data["channel"],
                place=data["grid"],
                lat=data["lat"],
                lng=data["lng"],
                address=data["address"],
                reporter_name=data["reporter_name"],
                reporter_phone=data["reporter_phone"],
                anonymous=data["anonymous"],
                images=data["photos"],
            )
        except (ValidationError, PermissionDenied) as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"已上报，案卷号 {case.number}")
            return redirect(case)
    return render(
        request, "cases/report.html", {"form": form}, status=400 if form.errors else 200
    )


@permission_required("cases.view")
def detail(request, pk):
    case = get_visible_or_404(
        Case.objects.select_related(
            "category__parent", "place", "department", "grid", "compound"
        ),
        request.user,
        pk=pk,
    )
    return render(request, "cases/detail.html", _detail_context(request, case))


def _detail_context(request, case, form=None, failed_step=None):
    steps = services.available_steps(request.user, case)
    checks_own = (
        case.status == Status.HANDLED
        and case.handler_id == request.user.pk
        and has_permission(request.user, "cases.verify")
    )
    # dispatchers merge: whoever may cancel (before dispatch) or transfer (after)
    can_merge = (
        case.status in MERGEABLE
        and not case.merged_into_id
        and bool({"cancel", "transfer"} & set(steps))
    )
    return {
        "duplicates": duplicates.suggestions(case) if can_merge else [],
        "case": case,
        "events": case.events.all(),
        "photos": case.photos.all(),
        "steps": [(name, STEPS[name]) for name in steps],
        "form": form
        or StepForm(user=request.user, case=case, initial={"version": case.version}),
        "failed_step": failed_step,
        "checks_own": checks_own,
        "panels": extensions.render_panels("detail", request, case),
    }


@require_POST
@permission_required(*STEP_PERMISSIONS)
def act(request, pk):
    """One workflow step from the case page's step form (named by its button)."""
    case = get_visible_or_404(Case.objects, request.user, pk=pk)
    form = StepForm(request.POST, request.FILES, user=request.user, case=case)
    if form.is_valid():
        data = form.cleaned_data
        try:
            taken = services.take_step(
                data["step"],
                actor=request.user,
                case=case,
                version=data["version"],
                note=data["note"],
                department=data["department"],
                grid=data["grid"],
                days=data["days"],
                images=data["photos"],
            )
        except Conflict as exc:
            messages.error(request, exc.messages[0])
            return redirect(case)
        except (ValidationError, PermissionDenied) as exc:
            add_service_errors(form, exc)
        else:
            label = STEPS[data["step"]].label
            if can(request.user, taken, "view"):
                messages.success(request, f"已{label}")
                return redirect(taken)
            # 退单 hands the case out of reach: back to the list, not a dead end
            messages.success(
                request,
                f"已{label}：案件 {taken.number} 已退回派遣人，不再由您承办",
            )
            return redirect("cases:list")
    case.refresh_from_db()
    return render(
        request,
        "cases/detail.html",
        _detail_context(request, case, form, request.POST.get("step")),
        status=400,
    )


@require_POST
@permission_required("cases.dispatch")
def merge(request, pk):
    """Merge this case into the suggested one it duplicates."""
    case = get_visible_or_404(Case.objects, request.user, "dispatch", pk=pk)
    into = get_visible_or_404(
        Case.objects, request.user, "dispatch", pk=request.POST.get("into") or 0
    )
    try:
        services.merge_case(
            actor=request.user,
            case=case,
            into=into,
            version=int(request.POST.get("version") or -1),
        )
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, "；".join(getattr(exc, "messages", [str(exc)])))
        return redirect(case)
    messages.success(request, f"已合并至 {into.number}，上报人将随该案件收到进展")
    return redirect(into)


def public(request, token):
    """The reporter's status page: no login, reached through the case's token."""
    case = get_object_or_404(
        Case.objects.select_related("category"), public_token=token
    )
    if case.merged_into_id:
        # a merged duplicate's reporter follows the case that carries on
        return redirect(case.merged_into.get_public_url())
    form = RatingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.rate_case(case=case, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "感谢您的评价")
            return redirect(case.get_public_url())
    return render(
        request,
        "cases/public.html",
        {
            "case": case,
            "events": case.events.all(),
            "form": form,
            "photos": case.photos.all(),
            "can_rate": case.status == Status.CLOSED,
        },
        status=400 if form.errors else 200,
    )


TOKEN_IN_LINK = re.compile(r"(?:/s/)?([A-Za-z0-9_-]{16,32})/?$")


def public_lookup(request):
    """Find the reporter's status page by its 查询码 or the pasted link (no login)."""
    text = request.GET.get("token", "").strip()[:300]
    error = ""
    if text:
        found = TOKEN_IN_LINK.search(text)
        case = (
            Case.objects.filter(public_token=found.group(1))
            .only("public_token")
            .first()
            if found
            else None
        )
        if case is not None:
            return redirect(case.get_public_url())
        error = "未找到该查询码对应的案件，请核对进度链接或查询码"
    elif "token" in request.GET:
        error = "请输入查询码或粘贴进度链接"
    return render(
        request,
        "cases/public_lookup.html",
        {"token": text, "error": error},
        status=404 if text else (400 if error else 200),
    )


@permission_required("cases.report")
def grids_geojson(request):
    """The caller's grids as GeoJSON, for picking a location on the report form."""
    grids = (
        Place.objects.visible_to(request.user)
        .filter(kind=PlaceKind.GRID, geometry__isnull=False)
        .only("pk", "name", "geometry")
    )
    return JsonResponse(
        {
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "geometry": g.geometry,
                    "properties": {"id": g.pk, "name": g.name},
                }
                for g in grids
            ],
        }
    )


@permission_required("cases.view")
def case_map(request):
    """Cases on the offline map, filtered like the list."""
    case_filter, _cases = cases_for(request.user, request.GET)
    return render(
        request,
        "cases/map.html",
        {
            "filter": case_filter.form,
            "query": request.GET.urlencode(),
            "limit": MAP_LIMIT,
            "overlays": extensions.overlay_urls(request),
            "panels": extensions.render_panels("map", request),
        },
    )


@permission_required("cases.view")
def case_map_geojson(request):
    """The filtered cases that have a point, newest first, capped at MAP_LIMIT."""
    _filter, cases = cases_for(request.user, request.GET)
    cases = (
        cases.filter(lat__isnull=False, lng__isnull=False)
        .select_related("category")
        .only("number", "lat", "lng", "is_open", "category__name", *OVERDUE_FIELDS)
        .order_by("-created_at")[:MAP_LIMIT]
    )
    # read once: get_status_display() hashes the translated choices on every call
    status_labels = choice_labels(Case, "status")
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [c.lng, c.lat]},
            "properties": {
                "number": c.number,
                "category": c.category.name,
                "status": status_labels[c.status],
                "open": c.is_open,
                "cancelled": c.status == Status.CANCELLED,
                "overdue": c.is_overdue,
                "url": c.get_absolute_url(),
            },
        }
        for c in cases
    ]
    return JsonResponse({"type": "FeatureCollection", "features": features})
