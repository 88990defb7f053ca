"""Units (单位) within one's scope: list, detail, register and edit."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render

from jiceng.core.forms import add_service_errors
from jiceng.core.scope import (
    can,
    get_visible_or_404,
    has_permission,
    permission_required,
)
from jiceng.party.models import PartyMember
from jiceng.places.resolver import place_by_code

from .. import services
from ..filters import UnitFilter
from ..forms import UnitForm
from ..models import Unit
from .common import PLACE_ERRORS, filtered_list


@permission_required("people.view")
def unit_list(request):
    queryset = Unit.objects.visible_to(request.user).select_related("place")
    return filtered_list(
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
    return render(
        request,
        "people/unit_detail.html",
        {
            "unit": unit,
            "can_reveal": can(request.user, unit, "reveal"),
            "can_change": can(request.user, unit, "change"),
            "member_count": PartyMember.objects.visible_to(request.user)
            .filter(unit=unit)
            .count(),
        },
    )


@permission_required("people.change")
def unit_form(request, pk=None):
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
        data = dict(form.cleaned_data)
        try:
            data["place"] = place_by_code(
                request.user, data.pop("place_code"), permission="people.change"
            )
            if unit is None:
                unit = services.create_unit(actor=request.user, **data)
            else:
                services.update_unit(actor=request.user, unit=unit, **data)
        except (ValidationError, PermissionDenied) as exc:
            add_service_errors(form, exc, code_fields=PLACE_ERRORS)
        else:
            messages.success(request, f"已保存单位“{unit.name}”")
            return redirect(unit)
    return render(
        request,
        "people/record_form.html",
        {
            "form": form,
            "record": unit,
            "list_url": "people:unit_list",
            "title": "编辑单位" if unit else "登记单位",
        },
        status=400 if form.errors else 200,
    )
