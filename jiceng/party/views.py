"""Browse the party-organisation tree and members within one's scope."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Min
from django.shortcuts import redirect, render

from jiceng.core.forms import add_service_errors
from jiceng.core.htmx import paginate, query_without_page, render_page
from jiceng.core.scope import get_visible_or_404, has_permission
from jiceng.people.models import Resident, Unit
from jiceng.people.services import place_for

from . import services
from .filters import PartyMemberFilter, PartyOrgFilter
from .forms import JointUnitForm, MemberForm, OrgForm
from .models import PartyMember, PartyOrg


def _require(user, permission):
    if not has_permission(user, permission):
        raise PermissionDenied


@login_required
def org_index(request):
    """Top organisations in scope, or search results across the scope."""
    _require(request.user, "party.view")
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
        .filter(org__path__startswith=org.path)
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
            "member_units": org.member_units.select_related("unit"),
            "part_time_members": org.part_time_members.select_related("unit"),
            "can_change": PartyOrg.objects.visible_to(user, "change")
            .filter(pk=pk)
            .exists(),
            "joint_form": JointUnitForm(),
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
                place=place_for(
                    request.user, data["place_code"], permission="party.change"
                ),
                is_joint_committee=data["is_joint_committee"],
                founded_on=data["founded_on"],
                note=data["note"],
            )
        except (ValidationError, PermissionDenied) as exc:
            add_service_errors(
                form,
                exc,
                code_fields={
                    "place_not_found": "place_code",
                    "org_place_kind": "place_code",
                    "org_place_outside": "place_code",
                    "org_kind": "kind",
                },
            )
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
        unit = Unit.objects.filter(credit_code=code).first()
        try:
            if unit is None:
                raise ValidationError("找不到该统一社会信用代码对应的单位")
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


@login_required
def member_list(request):
    _require(request.user, "party.view")
    queryset = (
        PartyMember.objects.visible_to(request.user)
        .select_related("resident", "org", "unit")
        .order_by("-id")
    )
    member_filter = PartyMemberFilter(request.GET or None, queryset=queryset)
    page = paginate(request, member_filter.qs)
    return render_page(
        request,
        "party/member_list.html",
        {
            "filter": member_filter,
            "page": page,
            "query": query_without_page(request),
            "can_reveal": has_permission(request.user, "people.reveal"),
        },
        partial="party/partials/member_table.html",
    )


@login_required
def member_detail(request, pk):
    member = get_visible_or_404(
        PartyMember.objects.select_related("resident", "org", "unit", "place"),
        request.user,
        pk=pk,
    )
    return render(
        request,
        "party/member_detail.html",
        {
            "member": member,
            "org_chain": [*list(PartyOrg.objects.get_ancestors(member.org)), member.org]
            if member.org
            else [],
            "can_change": PartyMember.objects.visible_to(request.user, "change")
            .filter(pk=pk)
            .exists(),
        },
    )


def _org_choices_for(user, resident):
    """Organisations along the resident's place path that the user may change."""
    place = resident.place
    prefixes = [place.path[: i * place.steplen] for i in range(1, place.depth + 1)]
    return (
        PartyOrg.objects.visible_to(user, "change")
        .filter(place__path__in=prefixes)
        .order_by("path")
    )


@login_required
def member_register(request, resident_pk):
    _require(request.user, "party.change")
    resident = get_visible_or_404(
        Resident.objects.select_related("place"), request.user, pk=resident_pk
    )
    form = MemberForm(
        request.POST or None, org_choices=_org_choices_for(request.user, resident)
    )
    if request.method == "POST" and form.is_valid():
        try:
            member = services.register_member(
                actor=request.user, resident=resident, **form.cleaned_data
            )
        except (ValidationError, PermissionDenied) as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"已将“{resident.name}”登记为党员")
            return redirect(member)
    return render(
        request,
        "party/member_form.html",
        {"form": form, "resident": resident},
        status=400 if form.errors else 200,
    )
