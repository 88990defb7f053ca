"""Residents and households within one's scope; masked by default."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from jiceng.core.forms import add_service_errors
from jiceng.core.scope import (
    can,
    get_visible_or_404,
    has_permission,
    permission_required,
)
from jiceng.party.models import PartyMember
from jiceng.places.models import Place
from jiceng.places.resolver import place_by_code

from .. import services
from ..filters import HouseholdFilter, ResidentFilter
from ..forms import ResidentForm
from ..models import GigWorker, Household, Occupancy, Resident, ResidentTag, Unit
from .common import PLACE_ERRORS, filtered_list


@permission_required("people.view")
def resident_list(request):
    queryset = (
        Resident.objects.visible_to(request.user)
        .select_related("place", "household")
        .order_by("-id")
    )
    return filtered_list(
        request,
        queryset=queryset,
        filterset_class=ResidentFilter,
        template="people/resident_list.html",
        partial="people/partials/resident_table.html",
        extra={
            "can_create": has_permission(request.user, "people.change"),
            "can_open_accounts": has_permission(request.user, "accounts.manage"),
        },
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
            "past_stays": Occupancy.objects.visible_to(user)
            .filter(resident=resident)
            .select_related("place", "household"),
            "can_reveal": can(user, resident, "reveal"),
            "can_change": can(user, resident, "change"),
            # shown only to those who may see the membership itself
            "party_member": PartyMember.objects.visible_to(user)
            .filter(resident=resident)
            .first(),
            "can_register_member": has_permission(user, "party.change"),
            "can_open_account": has_permission(user, "accounts.manage"),
            "tags": ResidentTag.objects.visible_to(user)
            .filter(resident=resident)
            .select_related("category")
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
    fields["place"] = place_by_code(
        actor,
        data["place_code"],
        permission="people.change",
        kinds=services.RESIDENT_PLACE_KINDS,
    )
    return fields


@permission_required("people.change")
def resident_create(request):
    form = ResidentForm(
        request.POST or None,
        initial={"place_code": request.GET.get("place", "")},
        user=request.user,
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
        "people/record_form.html",
        {"form": form, "title": "登记居民", "list_url": "people:resident_list"},
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
    form = ResidentForm(
        request.POST or None, initial=initial, editing=True, user=request.user
    )
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
        "people/record_form.html",
        {
            "form": form,
            "title": f"编辑居民“{resident.name}”",
            "record": resident,
        },
        status=400 if form.errors else 200,
    )


@permission_required("people.view")
def household_list(request):
    queryset = Household.objects.visible_to(request.user).select_related(
        "place", "head"
    )
    return filtered_list(
        request,
        queryset=queryset,
        filterset_class=HouseholdFilter,
        template="people/household_list.html",
        partial="people/partials/household_table.html",
        extra={"can_create": has_permission(request.user, "people.change")},
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
            "can_change": can(request.user, household, "change"),
        },
    )
