"""Browse the party-organisation tree within one's scope; add organisations and
大工委 member units."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Min
from django.shortcuts import redirect, render
from django.utils import timezone

from jiceng.core.forms import add_service_errors
from jiceng.core.htmx import paginate, query_without_page, render_page
from jiceng.core.scope import (
    can,
    get_visible_or_404,
    path_prefix,
    permission_required,
)
from jiceng.people.models import Unit
from jiceng.places.errors import PlaceError
from jiceng.places.resolver import place_by_code

from .. import services
from ..errors import PartyError
from ..filters import PartyOrgFilter
from ..forms import JointUnitForm, OrgForm
from ..models import JointCommitteeUnit, PartTimeMember, PartyMember, PartyOrg

ORG_FORM_ERRORS = {
    PlaceError.NOT_FOUND: "place_code",
    PartyError.ORG_PLACE_KIND: "place_code",
    PartyError.ORG_PLACE_OUTSIDE: "place_code",
    PartyError.ORG_KIND: "kind",
}


@permission_required("party.view")
def org_index(request):
    """Top organisations in scope, or search results across the scope."""
    visible = PartyOrg.objects.visible_to(request.user).select_related("place")
    org_filter = PartyOrgFilter(request.GET or None, queryset=visible)
    searching = org_filter.is_bound and any(request.GET.get(k) for k in ("q", "kind"))
    if searching:
        queryset = org_filter.qs
    else:
        top = visible.aggregate(depth=Min("depth"))["depth"]
        queryset = visible.filter(depth=top) if top else visible.none()
    page = paginate(request, queryset)
    return render_page(
        request,
        "party/org_index.html",
        {
            "filter": org_filter,
            "page": page,
            "query": query_without_page(request),
            "searching": searching,
        },
        partial="party/partials/org_table.html",
    )


@login_required
def org_detail(request, pk):
    user = request.user
    org = get_visible_or_404(
        PartyOrg.objects.select_related("place", "secretary__resident"), user, pk=pk
    )
    members = (
        PartyMember.objects.visible_to(user)
        .filter(path_prefix(org.path, "org__path"))
        .select_related("resident", "org")
        .order_by("org__path", "id")
    )
    page = paginate(request, members)
    context = {"org": org, "page": page, "query": query_without_page(request)}
    if request.htmx and request.htmx.target == "results":
        return render(request, "party/partials/member_table.html", context)
    ancestors = list(PartyOrg.objects.get_ancestors(org))
    visible_ids = set(
        PartyOrg.objects.visible_to(user)
        .filter(pk__in=[a.pk for a in ancestors])
        .values_list("pk", flat=True)
    )
    context.update(
        {
            "breadcrumb": [(a, a.pk in visible_ids) for a in ancestors],
            "children": PartyOrg.objects.get_children(org).select_related("place"),
            "member_units": JointCommitteeUnit.objects.visible_to(user)
            .filter(committee=org)
            .select_related("unit"),
            "part_time_members": PartTimeMember.objects.visible_to(user)
            .filter(committee=org)
            .select_related("unit"),
            "can_change": can(user, org, "change"),
            "joint_form": JointUnitForm(),
            "year": timezone.localdate().year,
        }
    )
    return render(request, "party/org_detail.html", context)


@login_required
def org_create(request, parent_pk):
    parent = get_visible_or_404(
        PartyOrg.objects.select_related("place"), request.user, "change", pk=parent_pk
    )
    form = OrgForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            org = services.create_org(
                actor=request.user,
                parent=parent,
                kind=data["kind"],
                name=data["name"],
                place=place_by_code(
                    request.user, data["place_code"], permission="party.change"
                ),
                is_joint_committee=data["is_joint_committee"],
                founded_on=data["founded_on"],
                note=data["note"],
            )
        except (ValidationError, PermissionDenied) as exc:
            add_service_errors(form, exc, code_fields=ORG_FORM_ERRORS)
        else:
            messages.success(request, f"已新增党组织“{org.name}”")
            return redirect(org)
    return render(
        request,
        "party/org_form.html",
        {"form": form, "parent": parent},
        status=400 if form.errors else 200,
    )


@login_required
def joint_unit_add(request, pk):
    org = get_visible_or_404(PartyOrg.objects, request.user, "change", pk=pk)
    form = JointUnitForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["credit_code"].strip().upper()
        # A 大工委/大党委 takes in units from anywhere in the district (驻区单位,
        # 共建机关): the credit code, a public identifier, names one.
        unit = Unit.objects.filter(credit_code=code).first()
        try:
            if unit is None:
                raise ValidationError(
                    "找不到该统一社会信用代码对应的单位",
                    code=PartyError.UNIT_NOT_FOUND,
                )
            services.add_joint_unit(
                actor=request.user,
                committee=org,
                unit=unit,
                joined_on=form.cleaned_data["joined_on"],
            )
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, "；".join(getattr(exc, "messages", [str(exc)])))
        else:
            messages.success(request, f"已将“{unit.name}”加入成员单位")
    return redirect(org)
