"""双向核查 pages: start a check, read its results, settle doubtful pairs, export."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from jiceng.core.forms import add_service_errors
from jiceng.core.htmx import paginate, query_without_page, render_page
from jiceng.core.scope import (
    can,
    get_visible_or_404,
    has_permission,
    permission_required,
)
from jiceng.transfer.workbooks import xlsx_response

from .. import services
from ..exporters import roster_rows
from ..filters import RosterPairFilter
from ..forms import CheckForm
from ..models import PairKind, RosterCheck, RosterPair


@permission_required("party.view")
def check_list(request):
    checks = RosterCheck.objects.visible_to(request.user).select_related(
        "community", "unit", "created_by"
    )
    return render(
        request,
        "party/roster_list.html",
        {
            "page": paginate(request, checks),
            "can_create": can_start_checks(request.user),
        },
    )


def can_start_checks(user):
    return has_permission(user, "party.change") or bool(services.unit_ids(user))


@login_required
def check_create(request):
    if not can_start_checks(request.user):
        raise PermissionDenied
    form = CheckForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            check = services.start_check(
                actor=request.user,
                community=form.cleaned_data["community"],
                unit=form.cleaned_data["unit"],
                upload=form.cleaned_data["file"],
            )
        except (ValidationError, PermissionDenied) as exc:
            add_service_errors(form, exc)
        else:
            return redirect(check)
    return render(
        request,
        "party/roster_form.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


@login_required
def check_detail(request, pk):
    check = get_visible_or_404(
        RosterCheck.objects.select_related("community", "unit"), request.user, pk=pk
    )
    pairs = RosterPairFilter(
        request.GET,
        queryset=check.pairs.select_related(
            "entry", "member__resident", "member__unit", "decided_by"
        ),
    )
    return render_page(
        request,
        "party/roster_detail.html",
        {
            "check": check,
            "counts": services.counts(check),
            "kinds": PairKind.choices,
            "kind": pairs.shown_kind,
            "page": paginate(request, pairs.qs),
            "query": query_without_page(request),
            "can_decide": can(request.user, check, "change"),
        },
        partial="party/partials/roster_pairs.html",
    )


@login_required
@require_POST
def pair_decide(request, pk):
    pair = get_object_or_404(RosterPair.objects.select_related("roster_check"), pk=pk)
    get_visible_or_404(RosterCheck.objects, request.user, pk=pair.roster_check_id)
    try:
        services.decide(
            actor=request.user,
            pair=pair,
            same_person=request.POST.get("same") == "1",
            version=int(request.POST.get("version", -1)),
        )
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, "已确认")
    return redirect(f"{pair.roster_check.get_absolute_url()}?kind={PairKind.REVIEW}")


@login_required
def check_export(request, pk):
    check = get_visible_or_404(RosterCheck.objects, request.user, pk=pk)
    return xlsx_response(
        roster_rows(check), f"双向核查_{check.pk}.xlsx", title="双向核查结果"
    )
