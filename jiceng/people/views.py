"""Residents, households and units within one's scope; masked by default."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from jiceng.core.forms import add_service_errors
from jiceng.core.htmx import paginate, query_without_page, render_page
from jiceng.core.scope import get_visible_or_404, has_permission
from jiceng.places.models import Place

from . import services, tags
from .filters import HouseholdFilter, ResidentFilter, UnitFilter
from .forms import ResidentForm, UnitForm
from .models import GigWorker, Household, Occupancy, Resident, Unit


def _require(user, permission):
    if not has_permission(user, permission):
        raise PermissionDenied


def _list(request, *, queryset, filterset_class, template, partial, extra=None):
    _require(request.user, "people.view")
    filterset = filterset_class(request.GET or None, queryset=queryset, request=request)
    page = paginate(request, filterset.qs)
    place = None
    if filterset.form.is_valid() and filterset.form.cleaned_data.get("place"):
        place = (
            Place.objects.visible_to(request.user)
            .filter(pk=filterset.form.cleaned_data["place"])
            .first()
        )
    context = {
        "filter": filterset,
        "page": page,
        "query": query_without_page(request),
        "in_place": place,
        "can_reveal": has_permission(request.user, "people.reveal"),
        **(extra or {}),
    }
    return render_page(request, template, context, partial=partial)


@login_required
def resident_list(request):
    queryset = (
        Resident.objects.visible_to(request.user)
        .select_related("place", "household")
        .order_by("-id")
    )
    return _list(
        request,
        queryset=queryset,
        filterset_class=ResidentFilter,
        template="people/resident_list.html",
        partial="people/partials/resident_table.html",
        extra={"can_create": has_permission(request.user, "people.change")},
    )


@login_required
def resident_detail(request, pk):
    user = request.user
    resident = get_visible_or_404(
        Resident.objects.select_related("place", "household", "work_unit"), user, pk=pk
    )
    return render(
        request,
        "people/resident_detail.html",
        {
            "resident": resident,
            "ancestors": Place.objects.get_ancestors(resident.place),
            "past_stays": Occupancy.objects.filter(resident=resident).select_related(
                "place", "household"
            ),
            "can_reveal": Resident.objects.visible_to(user, "reveal")
            .filter(pk=pk)
            .exists(),
            "can_change": Resident.objects.visible_to(user, "change")
            .filter(pk=pk)
            .exists(),
            "party_member": getattr(resident, "party_member", None),
            "can_register_member": has_permission(user, "party.change"),
            "tags": tags.visible_tags(user)
            .filter(resident=resident)
            .prefetch_related("reviews__reviewed_by"),
        },
    )


@login_required
@require_POST
def reveal(request, model, pk, field):
    """Show one protected value in full (htmx fragment); every reveal is audited."""
    model_class = {"resident": Resident, "unit": Unit, "worker": GigWorker}.get(model)
    if model_class is None:
        raise Http404
    obj = get_visible_or_404(model_class.objects, request.user, pk=pk)
    try:
        value = services.reveal(actor=request.user, obj=obj, field=field)
    except ValidationError as exc:
        return render(
            request,
            "people/partials/revealed.html",
            {"error": exc.messages[0]},
            status=400,
        )
    return render(request, "people/partials/revealed.html", {"value": value})


def _resident_fields(actor, data):
    fields = {k: v for k, v in data.items() if k != "place_code"}
    fields["place"] = services.place_for(
        actor, data["place_code"], kinds=services.RESIDENT_PLACE_KINDS
    )
    return fields


PLACE_ERRORS = {"place_not_found": "place_code", "place_kind": "place_code"}


@login_required
def resident_create(request):
    _require(request.user, "people.change")
    form = ResidentForm(
        request.POST or None, initial={"place_code": request.GET.get("place", "")}
    )
    if request.method == "POST" and form.is_valid():
        try:
            resident = services.create_resident(
                actor=request.user, **_resident_fields(request.user, form.cleaned_data)
            )
        except (ValidationError, PermissionDenied) as exc:
            add_service_errors(form, exc, code_fields=PLACE_ERRORS)
        else:
            messages.success(request, f"已登记居民“{resident.name}”")
            return redirect(resident)
    return render(
        request,
        "people/resident_form.html",
        {"form": form, "title": "登记居民"},
        status=400 if form.errors else 200,
    )


@login_required
def resident_edit(request, pk):
    resident = get_visible_or_404(
        Resident.objects.select_related("place"), request.user, "change", pk=pk
    )
    initial = {
        "name": resident.name,
        "place_code": resident.place.code,
        "relation": resident.relation,
        "residence_type": resident.residence_type,
        "ethnicity": resident.ethnicity,
        "note": resident.note,
    }
    form = ResidentForm(request.POST or None, initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_resident(
                actor=request.user,
                resident=resident,
                **_resident_fields(request.user, form.cleaned_data),
            )
        except (ValidationError, PermissionDenied) as exc:
            add_service_errors(form, exc, code_fields=PLACE_ERRORS)
        else:
            messages.success(request, "已保存")
            return redirect(resident)
    return render(
        request,
        "people/resident_form.html",
        {
            "form": form,
            "title": f"编辑居民“{resident.name}”",
            "resident": resident,
        },
        status=400 if form.errors else 200,
    )


@login_required
def household_list(request):
    queryset = Household.objects.visible_to(request.user).select_related(
        "place", "head"
    )
    return _list(
        request,
        queryset=queryset,
        filterset_class=HouseholdFilter,
        template="people/household_list.html",
        partial="people/partials/household_table.html",
    )


@login_required
def household_detail(request, pk):
    household = get_visible_or_404(
        Household.objects.select_related("place", "head"), request.user, pk=pk
    )
    return render(
        request,
        "people/household_detail.html",
        {
            "household": household,
            "members": Resident.objects.visible_to(request.user).filter(
                household=household
            ),
            # who belonged to it before (分户, moved away)
            "past_stays": Occupancy.objects.visible_to(request.user)
            .filter(household=household)
            .select_related("resident", "place")[:100],
            "ancestors": Place.objects.get_ancestors(household.place),
        },
    )


@login_required
def unit_list(request):
    queryset = Unit.objects.visible_to(request.user).select_related("place")
    return _list(
        request,
        queryset=queryset,
        filterset_class=UnitFilter,
        template="people/unit_list.html",
        partial="people/partials/unit_table.html",
        extra={"can_create": has_permission(request.user, "people.change")},
    )


@login_required
def unit_detail(request, pk):
    unit = get_visible_or_404(Unit.objects.select_related("place"), request.user, pk=pk)
    from jiceng.party.models import PartyMember

    return render(
        request,
        "people/unit_detail.html",
        {
            "unit": unit,
            "can_reveal": Unit.objects.visible_to(request.user, "reveal")
            .filter(pk=pk)
            .exists(),
            "can_change": Unit.objects.visible_to(request.user, "change")
            .filter(pk=pk)
            .exists(),
            "member_count": PartyMember.objects.visible_to(request.user)
            .filter(unit=unit)
            .count(),
        },
    )


def _unit_fields(actor, data):
    fields = {k: v for k, v in data.items() if k != "place_code"}
    fields["place"] = services.place_for(actor, data["place_code"])
    return fields


@login_required
def unit_form(request, pk=None):
    _require(request.user, "people.change")
    unit = None
    initial = {}
    if pk is not None:
        unit = get_visible_or_404(
            Unit.objects.select_related("place"), request.user, "change", pk=pk
        )
        initial = {
            f: getattr(unit, f)
            for f in services.UNIT_FIELDS
            if f not in ("place", "contact_phone")
        }
        initial["place_code"] = unit.place.code
    form = UnitForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            fields = _unit_fields(request.user, form.cleaned_data)
            if unit is None:
                unit = services.create_unit(actor=request.user, **fields)
            else:
                services.update_unit(actor=request.user, unit=unit, **fields)
        except (ValidationError, PermissionDenied) as exc:
            add_service_errors(form, exc, code_fields=PLACE_ERRORS)
        else:
            messages.success(request, f"已保存单位“{unit.name}”")
            return redirect(unit)
    return render(
        request,
        "people/unit_form.html",
        {
            "form": form,
            "unit": unit,
            "title": "编辑单位" if unit else "登记单位",
        },
        status=400 if form.errors else 200,
    )
