"""Compound governance records: type, committee, property contract, party branch,
三无小区 coverage."""

from django.shortcuts import render

from jiceng.core.htmx import paginate
from jiceng.core.scope import can, get_visible_or_404, permission_required

from .. import services
from ..forms import CommitteeForm, ProfileForm
from ..models import CompoundKind, CompoundProfile
from .common import flags, form_page


@permission_required("deliberation.view")
def compound_list(request):
    rows = CompoundProfile.objects.visible_to(request.user).select_related("compound")
    kind = request.GET.get("kind", "")
    if kind in CompoundKind.values:
        rows = rows.filter(kind=kind)
    return render(
        request,
        "deliberation/compound_list.html",
        {
            "page": paginate(request, rows),
            "kinds": CompoundKind.choices,
            "kind": kind,
            **flags(request.user),
        },
    )


@permission_required("deliberation.view")
def compound_detail(request, pk):
    profile = get_visible_or_404(
        CompoundProfile.objects.select_related("compound", "party_branch"),
        request.user,
        pk=pk,
    )
    editable = can(request.user, profile, "compounds")
    if request.method == "POST" and editable:
        if "name" in request.POST:
            form = CommitteeForm(request.POST)
            return form_page(
                request,
                form,
                lambda d: (
                    services.add_committee_member(
                        actor=request.user, profile=profile, **d
                    )
                    and profile
                ),
                title=f"{profile}：增加委员",
                submit="保存",
                success="委员已增加",
            )
        form = ProfileForm(request.POST)
        return form_page(
            request,
            form,
            lambda d: services.save_profile(
                actor=request.user,
                compound=profile.compound,
                version=profile.version,
                **d,
            ),
            title=f"{profile}：治理档案",
            submit="保存",
            success="治理档案已保存",
        )
    initial = {f: getattr(profile, f) for f in services.compounds.FIELDS}
    return render(
        request,
        "deliberation/compound_detail.html",
        {
            "profile": profile,
            "committee": profile.committee.all(),
            "editable": editable,
            "form": ProfileForm(initial=initial),
            "committee_form": CommitteeForm(),
        },
    )
