"""Service points: the staff register, the public map and the list by distance
(offline, vendored Leaflet), 骑士之家 for riders, slots and attendance."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, OuterRef
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from jiceng.core.bounds import parse_id
from jiceng.core.forms import add_service_errors
from jiceng.core.htmx import paginate, query_without_page, render_page
from jiceng.core.media import signed_url
from jiceng.core.scope import can, get_visible_or_404, permission_required

from .. import services
from ..filters import PointFilter
from ..forms import PointForm, SlotsForm
from ..models import Appointment, PointKind, ServicePoint, Slot
from .common import act, flags

PUBLIC_FIELDS = ["name", "kind", "address", "lat", "lng", "hours", "contact_phone"]


def public_points():
    """Open points: what the public map and list show (nothing personal)."""
    return ServicePoint.objects.filter(active=True)


@permission_required("onewindow.view")
def point_list(request):
    rows = ServicePoint.objects.visible_to(request.user).select_related("place")
    filters = PointFilter(request.GET, queryset=rows)
    return render_page(
        request,
        "onewindow/point_list.html",
        {
            "page": paginate(request, filters.qs, per_page=50),
            "filters": filters,
            "query": query_without_page(request),
            **flags(request.user),
        },
        partial="onewindow/partials/point_table.html",
    )


@permission_required("onewindow.view")
def point_detail(request, pk):
    point = get_visible_or_404(
        ServicePoint.objects.select_related("place"), request.user, pk=pk
    )
    can_manage = can(request.user, point, "manage")
    upcoming = []
    if can_manage:
        upcoming = (
            Appointment.objects.visible_to(request.user, "manage")
            .filter(
                slot__point=point,
                slot__ends_at__gte=timezone.now() - timezone.timedelta(days=1),
            )
            .select_related("slot__item")
            .order_by("slot__starts_at")[:100]
        )
    return render(
        request,
        "onewindow/point_detail.html",
        {
            "point": point,
            "items": point.items.all(),
            "photo": signed_url(point.photo),
            "can_manage": can_manage,
            "appointments": upcoming,
            "slots_form": SlotsForm(user=request.user),
            **flags(request.user),
        },
    )


@permission_required("onewindow.manage")
def point_edit(request, pk=None):
    point = (
        get_visible_or_404(ServicePoint.objects, request.user, "manage", pk=pk)
        if pk
        else None
    )
    initial = {}
    if point is not None:
        initial = {
            f: getattr(point, f)
            for f in PointForm.base_fields
            if f not in ("items", "photo")
        }
        initial["items"] = list(point.items.all())
    form = PointForm(
        request.POST or None, request.FILES or None, initial=initial, user=request.user
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        items = data.pop("items")
        photo = data.pop("photo")
        try:
            if point is None:
                point = services.create_point(
                    actor=request.user, items=items, photo=photo, **data
                )
            else:
                services.update_point(
                    actor=request.user,
                    point=point,
                    version=version,
                    items=items,
                    photo=photo,
                    **data,
                )
        except (ValidationError, PermissionDenied) as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "阵地信息已保存")
            return redirect(point)
    return render(
        request,
        "onewindow/form.html",
        {
            "form": form,
            "title": "编辑服务阵地" if point else "新增服务阵地",
            "submit": "保存",
            "multipart": True,
        },
        status=400 if form.errors else 200,
    )


@permission_required("onewindow.manage")
@require_POST
def point_slots(request, pk):
    point = get_visible_or_404(ServicePoint.objects, request.user, "manage", pk=pk)
    form = SlotsForm(request.POST, user=request.user)
    if not form.is_valid():
        messages.error(
            request, "；".join(e for errs in form.errors.values() for e in errs)
        )
        return redirect(point)
    return act(
        request,
        lambda: services.open_slots(
            actor=request.user, point=point, **form.cleaned_data
        ),
        lambda made: f"已开放 {len(made)} 个预约时段",
        point,
    )


@permission_required("onewindow.manage")
@require_POST
def attendance(request, pk):
    appointment = get_visible_or_404(Appointment.objects, request.user, "manage", pk=pk)
    return act(
        request,
        lambda: services.record_attendance(
            actor=request.user,
            appointment=appointment,
            attended=request.POST.get("attended") == "1",
        ),
        "已登记",
        appointment.slot.point,
    )


def _position(request):
    try:
        lat = float(request.GET.get("lat", ""))
        lng = float(request.GET.get("lng", ""))
    except ValueError:
        return None
    if -90 <= lat <= 90 and -180 <= lng <= 180:
        return lat, lng
    return None


def public_map(request):
    """The public map: every open point on the district's blank canvas."""
    kind = request.GET.get("kind", "")
    rows = public_points()
    if kind in PointKind.values:
        rows = rows.filter(kind=kind)
    features = [
        {
            "name": p.name,
            "kind": p.get_kind_display(),
            "lat": p.lat,
            "lng": p.lng,
            "address": p.address,
            "hours": p.hours,
            "amenities": "、".join(p.amenities),
            "phone": p.contact_phone,
            "rider": p.kind == PointKind.RIDER_HOME,
        }
        for p in rows[:5000]
    ]
    return render(
        request,
        "onewindow/public_map.html",
        {
            "points": features,
            "count": len(features),
            "kinds": PointKind.choices,
            "kind": kind,
        },
    )


def nearby(request, rider=False):
    """Open points nearest to the phone's position (the page asks the browser)."""
    position = _position(request)
    kind = PointKind.RIDER_HOME if rider else request.GET.get("kind", "")
    # One EXISTS in the query instead of one query per listed point for 预约办事.
    rows = public_points().annotate(
        bookable=Exists(
            ServicePoint.items.through.objects.filter(servicepoint=OuterRef("pk"))
        )
    )
    if kind in PointKind.values:
        rows = rows.filter(kind=kind)
    points = services.nearest(rows, *position, limit=20) if position else []
    return render(
        request,
        "onewindow/nearby.html",
        {
            "points": points,
            "position": position,
            "kind": kind,
            "kinds": PointKind.choices,
            "rider": rider,
        },
    )


def riders(request):
    """新就业群体: riders find the nearest 骑士之家 (water, charging, rest)."""
    return nearby(request, rider=True)


def slot_id(request):
    return parse_id(request.POST.get("slot"))


def require_slot(point, pk):
    slot = Slot.objects.filter(point=point, pk=pk).first()
    if slot is None:
        raise Http404
    return slot
