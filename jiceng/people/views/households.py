"""Households: register one, split one (分户), merge two (合户). Each page reads the
household in the user's change scope (else 404) and calls one service."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render

from jiceng.core.forms import add_service_errors
from jiceng.core.scope import get_visible_or_404, path_prefix, permission_required
from jiceng.places.errors import PlaceError
from jiceng.places.models import PlaceKind
from jiceng.places.resolver import place_by_code

from .. import services
from ..errors import PeopleError
from ..forms import HouseholdForm, MergeForm, SplitForm
from ..models import Household, Resident

FORM = "edit_form.html"
PLACE_FIELD = {
    PlaceError.NOT_FOUND: "place_code",
    PlaceError.WRONG_KIND: "place_code",
}


def _place(user, code):
    return place_by_code(
        user, code, permission="people.change", kinds=services.HOUSEHOLD_PLACE_KINDS
    )


def _page(request, form, **context):
    return render(
        request, FORM, {"form": form, **context}, status=400 if form.errors else 200
    )


def _household(request, pk):
    return get_visible_or_404(
        Household.objects.select_related("place", "head"),
        request.user,
        "change",
        pk=pk,
    )


@permission_required("people.change")
def household_create(request):
    head = None
    if request.GET.get("resident", "").isdigit():
        head = get_visible_or_404(
            Resident.objects.select_related("place"),
            request.user,
            "change",
            pk=int(request.GET["resident"][:12]),
        )
    initial = {"place_code": head.place.code if head else ""}
    form = HouseholdForm(request.POST or None, initial=initial, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            household = services.create_household(
                actor=request.user,
                number=data["number"],
                place=_place(request.user, data["place_code"]),
                head=head,
                note=data["note"],
            )
        except (ValidationError, PermissionDenied) as exc:
            add_service_errors(form, exc, code_fields=PLACE_FIELD)
        else:
            messages.success(request, f"已登记户“{household.number}”")
            return redirect(household)
    return _page(
        request,
        form,
        title="登记户" + (f"（户主：{head.name}）" if head else ""),
        back=head or "/people/households/",
    )


def _free_number(household):
    for n in range(1, 100):
        number = f"{household.number}-{n}"
        if not Household.objects.filter(number=number).exists():
            return number
    return ""


@permission_required("people.change")
def household_split(request, pk):
    household = _household(request, pk)
    members = Resident.objects.filter(household=household).order_by("pk")
    form = SplitForm(
        request.POST or None,
        members=members,
        user=request.user,
        initial={
            "number": _free_number(household),
            "place_code": household.place.code,
            "version": household.version,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            new = services.split_household(
                actor=request.user,
                household=household,
                residents=list(data["residents"]),
                head=data["head"],
                remaining_head=data["remaining_head"],
                number=data["number"],
                place=_place(request.user, data["place_code"]),
                version=data["version"],
            )
        except (ValidationError, PermissionDenied) as exc:
            add_service_errors(
                form,
                exc,
                code_fields={
                    **PLACE_FIELD,
                    PeopleError.HOUSEHOLD_NUMBER_TAKEN: "number",
                },
            )
        else:
            messages.success(
                request, f"已分户：{len(data['residents'])}人迁入新户“{new.number}”"
            )
            return redirect(new)
    return _page(
        request,
        form,
        title=f"分户：{household.number}",
        back=household,
        submit="分户",
        lead="所选成员迁入新户，其余成员留在原户；每位居民始终只属于一户。",
    )


def merge_candidates(user, household):
    """Households near this one (same compound, else same parent) the user may change."""
    place = household.place
    area = place.ancestor_of_kind(PlaceKind.COMPOUND) or place
    return (
        Household.objects.visible_to(user, "change")
        .filter(path_prefix(area.path, "place__path"))
        .exclude(pk=household.pk)
        .select_related("place", "head")
        .order_by("number")[:200]
    )


@permission_required("people.change")
def household_merge(request, pk):
    household = _household(request, pk)
    candidates = Household.objects.filter(
        pk__in=[h.pk for h in merge_candidates(request.user, household)]
    ).select_related("place", "head")
    form = MergeForm(
        request.POST or None,
        candidates=candidates,
        members=Resident.objects.filter(household=household).order_by("pk"),
        initial={"version": household.version},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.merge_households(
                actor=request.user,
                household=household,
                other=data["other"],
                head=data["head"],
                version=data["version"],
            )
        except (ValidationError, PermissionDenied) as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"已将户“{data['other'].number}”并入本户")
            return redirect(household)
    return _page(
        request,
        form,
        title=f"合户：并入户 {household.number}",
        back=household,
        submit="合户",
        danger=True,
        lead="可选同一小区内的户；所选户的成员全部迁入本户住址，所选户注销。",
    )
