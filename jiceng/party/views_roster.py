"""双向核查 pages: start a check, read its results, settle doubtful pairs, export."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from jiceng.core.forms import add_service_errors
from jiceng.core.htmx import paginate, query_without_page, render_page
from jiceng.core.scope import get_visible_or_404, has_permission, place_prefixes
from jiceng.people.models import Unit
from jiceng.places.models import Place
from jiceng.transfer.workbooks import xlsx_response

from . import roster
from .models import PairKind, RosterCheck, RosterPair


class CheckForm(forms.Form):
    community = forms.ModelChoiceField(label="社区", queryset=Place.objects.none())
    unit = forms.ModelChoiceField(
        label="单位",
        queryset=Unit.objects.all(),
        required=False,
        help_text="名单来自哪家单位；不选则与社区全部在职党员比对",
    )
    file = forms.FileField(
        label="单位在职党员名单", help_text="xlsx/xls/csv，需有“姓名”和“身份证号”列"
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        communities = Place.objects.filter(kind="community")
        prefixes = place_prefixes(user, "party.change")
        if prefixes:
            # a community (or street) checks the rosters units send it
            self.fields["community"].queryset = communities.filter(
                pk__in=[
                    p.pk
                    for p in communities
                    if any(p.path.startswith(x) for x in prefixes)
                ]
            )
            self.fields["unit"].queryset = Unit.objects.visible_to(user).order_by(
                "name"
            )
        else:
            # a unit checks its own roster against any community its members live in
            self.fields["community"].queryset = communities
            self.fields["unit"].queryset = Unit.objects.filter(
                pk__in=roster.unit_ids(user)
            )
            self.fields["unit"].required = True


@login_required
def check_list(request):
    if not has_permission(request.user, "party.view"):
        raise PermissionDenied
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
    return has_permission(user, "party.change") or bool(roster.unit_ids(user))


@login_required
def check_create(request):
    if not can_start_checks(request.user):
        raise PermissionDenied
    form = CheckForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            check = roster.start_check(
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
    kind = request.GET.get("kind") or PairKind.REVIEW
    pairs = check.pairs.filter(kind=kind).select_related(
        "entry", "member__resident", "member__unit", "decided_by"
    )
    return render_page(
        request,
        "party/roster_detail.html",
        {
            "check": check,
            "counts": roster.counts(check),
            "kinds": PairKind.choices,
            "kind": kind,
            "page": paginate(request, pairs),
            "query": query_without_page(request),
            "can_decide": RosterCheck.objects.visible_to(request.user, "change")
            .filter(pk=pk)
            .exists(),
        },
        partial="party/partials/roster_pairs.html",
    )


@login_required
@require_POST
def pair_decide(request, pk):
    pair = get_object_or_404(RosterPair.objects.select_related("roster_check"), pk=pk)
    get_visible_or_404(RosterCheck.objects, request.user, pk=pair.roster_check_id)
    try:
        roster.decide(
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
        roster.result_rows(check), f"双向核查_{check.pk}.xlsx", title="双向核查结果"
    )
