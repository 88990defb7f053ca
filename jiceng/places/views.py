"""Browse and maintain the territory tree within one's scope."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode

from jiceng.core.forms import add_service_errors
from jiceng.core.htmx import paginate, query_without_page, render_page
from jiceng.core.models import Assignment
from jiceng.core.scope import (
    can,
    get_visible_or_404,
    has_permission,
    permission_required,
)

from . import services
from .errors import PlaceError
from .filters import PlaceFilter
from .forms import MoveForm, PlaceForm
from .models import ALLOWED_PARENT_KINDS, Place, PlaceKind, child_kinds
from .panels import SIDE, SUMMARY, render_panels
from .picker import PICK_PERMISSIONS, search_places


@permission_required("places.view")
def index(request):
    """Start at the top of the user's scope: one place opens directly."""
    visible = Place.objects.visible_to(request.user)
    if request.user.is_superuser:
        roots = list(Place.objects.get_root_nodes())
    else:
        assigned = Assignment.objects.filter(
            user=request.user, active=True, place__isnull=False
        )
        roots = list(visible.filter(pk__in=assigned.values("place_id")))
    if len(roots) == 1:
        return redirect(roots[0])
    return render(
        request,
        "places/index.html",
        {"roots": roots, "can_import": has_permission(request.user, "places.change")},
    )


def _breadcrumb(user, place):
    ancestors = list(Place.objects.get_ancestors(place))
    visible_ids = set(
        Place.objects.visible_to(user)
        .filter(pk__in=[a.pk for a in ancestors])
        .values_list("pk", flat=True)
    )
    return [(a, a.pk in visible_ids) for a in ancestors]


@login_required
def detail(request, pk):
    user = request.user
    place = get_visible_or_404(Place.objects, user, pk=pk)
    # Children of a place in scope are in scope: the subtree is the scope's unit.
    children = PlaceFilter(
        {"q": request.GET.get("q", "")},
        queryset=Place.objects.get_children(place).order_by("code"),
    ).qs
    page = paginate(request, children)
    context = {
        "place": place,
        "page": page,
        "q": request.GET.get("q", "").strip(),
        "query": query_without_page(request),
    }
    if request.htmx and request.htmx.target == "results":
        return render(request, "places/partials/children.html", context)
    # Residents, party organisations…: panels registered by the apps above.
    panels = render_panels(request, place)
    context.update(
        {
            "breadcrumb": _breadcrumb(user, place),
            "can_change": can(user, place, "change"),
            "child_kinds": [PlaceKind(k) for k in child_kinds(place.kind)],
            "responsible": Assignment.objects.filter(
                place=place, active=True
            ).select_related("user"),
            "summary_panels": panels[SUMMARY],
            "side_panels": panels[SIDE],
            "has_map": place.kind
            in {"district", "street", "community", "grid", "compound"},
        }
    )
    return render_page(request, "places/detail.html", context)


# The base layer every map draws first (static/jiceng/basemap.js): the district's own
# geometry, so a map is never a grey box, offline and without a tile server.
BASEMAP_FRAME = (
    PlaceKind.DISTRICT,
    PlaceKind.STREET,
    PlaceKind.COMMUNITY,
    PlaceKind.GRID,
)
BASEMAP_DETAIL = (PlaceKind.COMPOUND, PlaceKind.BUILDING)
BASEMAP_LIMIT = 5000


@login_required
def basemap(request):
    """GeoJSON of the district's outlines, and the compounds and buildings in scope.

    The administrative frame (区、街道、社区、网格: outlines and names) is what every
    网格公示牌 shows, so every account gets it, also those without a place in scope (a
    party member reporting a case); compound outlines, buildings and any line drawn as
    a place's geometry (a road) come only from the user's own scope.
    """
    frame = Place.objects.filter(kind__in=BASEMAP_FRAME).order_by("depth", "path")
    detail = (
        Place.objects.visible_to(request.user)
        .filter(kind__in=BASEMAP_DETAIL)
        .order_by("depth", "path")
    )
    features = []
    for queryset in (frame, detail):
        rows = queryset.only("pk", "name", "kind", "geometry", "lat", "lng")
        for node in rows[: BASEMAP_LIMIT - len(features)]:
            geometry = node.geometry
            if geometry is None and node.lat is not None and node.lng is not None:
                geometry = {"type": "Point", "coordinates": [node.lng, node.lat]}
            if geometry is None:
                continue
            features.append(
                {
                    "type": "Feature",
                    "geometry": geometry,
                    "properties": {"name": node.name, "kind": node.kind},
                }
            )
    response = JsonResponse({"type": "FeatureCollection", "features": features})
    response["Cache-Control"] = "private, max-age=300"
    return response


@login_required
def map_data(request, pk):
    """GeoJSON of a place and its children, for the offline map (no base layer)."""
    place = get_visible_or_404(Place.objects, request.user, pk=pk)
    features = []
    for node in [place, *Place.objects.get_children(place)]:
        geometry = node.geometry
        if geometry is None and node.lat is not None and node.lng is not None:
            geometry = {"type": "Point", "coordinates": [node.lng, node.lat]}
        if geometry is None:
            continue
        features.append(
            {
                "type": "Feature",
                "geometry": geometry,
                "properties": {
                    "id": node.pk,
                    "name": node.name,
                    "kind": node.kind,
                    "kind_label": node.kind_label,
                    "code": node.code,
                    "url": node.get_absolute_url(),
                    "is_self": node.pk == place.pk,
                },
            }
        )
    return JsonResponse({"type": "FeatureCollection", "features": features})


PLACE_FORM_ERRORS = {
    PlaceError.CODE_FORMAT: "code",
    PlaceError.CODE_TAKEN: "code",
    PlaceError.GEOMETRY: "geometry",
}


def _form_page(request, form, *, kind, title, **context):
    """The place form, with what was typed and the service's errors (400)."""
    return render(
        request,
        "places/form.html",
        {"form": form, "kind": PlaceKind(kind), "title": title, **context},
        status=400 if form.errors else 200,
    )


@login_required
def create(request, parent_pk):
    parent = get_visible_or_404(Place.objects, request.user, "change", pk=parent_pk)
    kinds = child_kinds(parent.kind)
    kind = (
        request.GET.get("kind")
        or request.POST.get("kind")
        or (kinds[0] if kinds else None)
    )
    if kind not in kinds:
        raise Http404
    form = PlaceForm(
        request.POST or None,
        initial={"code": parent.code},
        kind=kind,
        reference_url=reverse("places:map_data", args=[parent.pk]),
    )
    if request.method == "POST" and form.is_valid():
        try:
            place = services.create_place(
                actor=request.user, parent=parent, kind=kind, **form.cleaned_data
            )
        except (ValidationError, PermissionDenied) as exc:
            add_service_errors(form, exc, code_fields=PLACE_FORM_ERRORS)
        else:
            messages.success(request, f"已新增{place.kind_label}“{place.name}”")
            return redirect(place)
    return _form_page(
        request,
        form,
        kind=kind,
        title=f"在“{parent.name}”下新增{PlaceKind(kind).label}",
        parent=parent,
    )


def _reference_url(user, place):
    """The outlines drawn beside the editor: the parent and the place's siblings
    where the user sees the parent, else the place's own children."""
    parent = Place.objects.get_parent(place)
    shown = parent if parent is not None and can(user, parent) else place
    return reverse("places:map_data", args=[shown.pk])


@login_required
def edit(request, pk):
    place = get_visible_or_404(Place.objects, request.user, "change", pk=pk)
    form = PlaceForm(
        request.POST or None,
        instance=place,
        kind=place.kind,
        reference_url=_reference_url(request.user, place),
        self_id=place.pk,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_place(actor=request.user, place=place, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            add_service_errors(form, exc, code_fields=PLACE_FORM_ERRORS)
        else:
            messages.success(request, "已保存")
            return redirect(place)
    return _form_page(
        request,
        form,
        kind=place.kind,
        title=f"编辑{place.kind_label}“{place.name}”",
        place=place,
    )


@login_required
def move(request, pk):
    place = get_visible_or_404(Place.objects, request.user, "change", pk=pk)
    form = MoveForm(
        request.POST or None,
        user=request.user,
        kinds=ALLOWED_PARENT_KINDS[PlaceKind(place.kind)],
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.move_place(
                actor=request.user,
                place=place,
                new_parent=form.cleaned_data["new_parent"],
            )
        except ValidationError as exc:
            form.add_error("new_parent_code", exc)
        except PermissionDenied:
            form.add_error("new_parent_code", "目标上级不在您的权限范围内")
        else:
            messages.success(request, f"已移动“{place.name}”")
            return redirect("places:detail", pk=place.pk)
    return render(
        request,
        "places/move.html",
        {"form": form, "place": place},
        status=400 if form.errors else 200,
    )


@login_required
def pick(request):
    """The place picker's answer (an htmx fragment): search or one tree level, in
    the area where the user holds the permission the form asks for."""
    permission = request.GET.get("perm", "")
    if permission not in PICK_PERMISSIONS or not has_permission(
        request.user, permission
    ):
        raise PermissionDenied
    kinds = [k for k in request.GET.get("kinds", "").split(",") if k in PlaceKind]
    key = "pk" if request.GET.get("key") == "pk" else "code"

    def place_param(name):
        value = request.GET.get(name, "")
        if not value.isdigit() or len(value) > 12:
            return None
        return Place.objects.filter(pk=int(value)).first()

    within = place_param("within") or place_param("community")
    query = {"perm": permission, "kinds": ",".join(kinds), "key": key}
    if within is not None:
        query["within"] = within.pk
    q = request.GET.get("q", "")[:50]
    places = search_places(
        request.user,
        permission=permission,
        kinds=kinds,
        q=q,
        parent=place_param("parent"),
        within=within,
    )
    return render(
        request,
        "places/partials/pick_results.html",
        {
            "places": places,
            "q": q,
            "key": key,
            "url": reverse("places:pick") + "?" + urlencode(query),
        },
    )
