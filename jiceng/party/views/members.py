"""Party members within one's scope: the list, a member, registering a resident."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone

from jiceng.core.forms import add_service_errors
from jiceng.core.htmx import paginate, query_without_page, render_page
from jiceng.core.scope import (
    can,
    get_visible_or_404,
    has_permission,
    permission_required,
)
from jiceng.people.models import Resident

from .. import contributions, services
from ..filters import PartyMemberFilter
from ..forms import MemberForm
from ..models import (
    Attendance,
    FlexMembership,
    FlowingMember,
    MemberPost,
    MemberTransfer,
    PartyMember,
    PartyOrg,
)
from ..services.life import meeting_stats
from ..services.membership import annual_statement


@permission_required("party.view")
def member_list(request):
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
            "can_open_accounts": has_permission(request.user, "accounts.manage"),
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
            "can_change": can(request.user, member, "change"),
            "can_open_account": has_permission(request.user, "accounts.manage"),
            "transfers": MemberTransfer.objects.visible_to(request.user).filter(
                member=member
            ),
            "life": party_life(request.user, member),
        },
    )


def party_life(user, member):
    """One record of a member's party life: posts, flexible organisations, flows,
    meetings attended, 党费 this year and what volunteer contributes (双报到,
    hours, 积分, 主题党日)."""
    year = timezone.localdate().year
    return {
        "posts": MemberPost.objects.visible_to(user)
        .filter(member=member, until__isnull=True)
        .select_related("place"),
        "flex": FlexMembership.objects.visible_to(user)
        .filter(member=member)
        .select_related("org"),
        "flows": FlowingMember.objects.visible_to(user).filter(member=member),
        "meetings": meeting_stats(member),
        "recent": Attendance.objects.visible_to(user)
        .filter(member=member)
        .select_related("meeting")
        .order_by("-meeting__held_on")[:5],
        "dues": annual_statement([member], year)[0],
        "year": year,
        "lines": contributions.member_lines(member),
    }


def _org_choices_for(user, resident):
    """Organisations along the resident's place path that the user may change."""
    place = resident.place
    prefixes = [place.path[: i * place.steplen] for i in range(1, place.depth + 1)]
    return (
        PartyOrg.objects.visible_to(user, "change")
        .filter(place__path__in=prefixes)
        .order_by("path")
    )


@permission_required("party.change")
def member_register(request, resident_pk):
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
