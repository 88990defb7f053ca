"""党建联盟 and 大党委/大工委: members, rotating chair, annual plan; a member's page
shows what it committed and what it did; the registry of organisations."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from jiceng.core.forms import add_service_errors
from jiceng.core.htmx import paginate, query_without_page, render_page
from jiceng.core.scope import can, get_visible_or_404, permission_required

from ..forms import (
    AllianceForm,
    HandOverForm,
    MemberForm,
    OrganisationForm,
    PlanForm,
    PlanItemForm,
    RotationForm,
)
from ..models import (
    Agreement,
    Alliance,
    AllianceMember,
    FourCo,
    ItemStatus,
    Organisation,
    PlanItem,
    Task,
    TermStatus,
)
from ..services import agreements as agreement_services
from ..services import alliances as services
from ..services import orgs as org_services
from .common import act, flags, form_page


@permission_required("alliances.view")
def alliance_list(request):
    rows = Alliance.objects.visible_to(request.user).select_related("place")
    return render_page(
        request,
        "alliances/alliance_list.html",
        {
            "page": paginate(request, rows),
            "query": query_without_page(request),
            "memberships": AllianceMember.objects.visible_to(request.user)
            .filter(unit__isnull=False, alliance__in=Alliance.objects.all())
            .select_related("alliance", "unit")
            .exclude(alliance__in=rows)[:20],
            **flags(request.user),
        },
        partial="alliances/partials/alliance_rows.html",
    )


@permission_required("alliances.change")
def alliance_new(request):
    form = AllianceForm(request.POST or None, user=request.user)
    return form_page(
        request,
        form,
        "党建联盟/大党委",
        lambda data: services.create_alliance(actor=request.user, **data),
    )


@permission_required("alliances.view")
def alliance_detail(request, pk):
    alliance = get_visible_or_404(
        Alliance.objects.select_related("place", "committee"), request.user, pk=pk
    )
    year = timezone.localdate().year
    plan = alliance.plans.filter(year=year).first() or alliance.plans.first()
    items = (
        list(plan.items.select_related("lead__unit", "lead__organisation"))
        if plan
        else []
    )
    by_tag = [
        {"tag": tag, "label": label, "items": [i for i in items if i.tag == tag]}
        for tag, label in FourCo.choices
    ]
    manages = can(request.user, alliance, "change")
    return render(
        request,
        "alliances/alliance_detail.html",
        {
            "alliance": alliance,
            "members": alliance.members.select_related(
                "unit", "party_org", "organisation"
            ),
            "committee_units": services.committee_units(alliance),
            "terms": alliance.terms.select_related(
                "member__unit", "member__organisation"
            ),
            "current": alliance.terms.filter(status=TermStatus.CURRENT)
            .select_related("member__unit")
            .first(),
            "plan": plan,
            "by_tag": by_tag,
            "meetings": alliance.meetings.order_by("-starts_at")[:6],
            "manages": manages,
            "member_form": MemberForm(user=request.user) if manages else None,
            "handover_form": HandOverForm(),
            "item_statuses": ItemStatus.choices,
        },
    )


def _for_change(request, pk):
    return get_visible_or_404(Alliance.objects, request.user, "change", pk=pk)


@require_POST
@permission_required("alliances.change")
def member_add(request, pk):
    alliance = _for_change(request, pk)
    form = MemberForm(request.POST, user=request.user)
    if not form.is_valid():
        messages.error(request, "请选择成员")
        return redirect(alliance)
    return act(
        request,
        lambda: services.add_member(
            actor=request.user,
            alliance=alliance,
            joined_on=timezone.localdate(),
            **form.cleaned_data,
        ),
        "成员已加入",
        alliance.get_absolute_url(),
    )


@permission_required("alliances.change")
def rotation(request, pk):
    alliance = _for_change(request, pk)
    form = RotationForm(request.POST or None, alliance=alliance)

    def save(data):
        order = [int(x) for x in request.POST.getlist("members") if x.isdigit()]
        chosen = {m.pk: m for m in data["members"]}
        services.plan_rotation(
            actor=request.user,
            alliance=alliance,
            members=[chosen[i] for i in order if i in chosen],
            first_on=data["first_on"],
        )
        return alliance.get_absolute_url()

    return form_page(request, form, f"轮值安排：{alliance}", save, submit="排定轮值")


@require_POST
@permission_required("alliances.change")
def hand_over(request, pk):
    alliance = _for_change(request, pk)
    form = HandOverForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写任期工作报告")
        return redirect(alliance)
    return act(
        request,
        lambda: services.hand_over(
            actor=request.user, alliance=alliance, **form.cleaned_data
        ),
        lambda nxt: f"已交接{f'，轮值主席：{nxt.member}' if nxt else ''}",
        alliance.get_absolute_url(),
    )


@permission_required("alliances.change")
def plan_new(request, pk):
    alliance = _for_change(request, pk)
    form = PlanForm(request.POST or None, initial={"year": timezone.localdate().year})

    def save(data):
        services.save_plan(actor=request.user, alliance=alliance, **data)
        return alliance.get_absolute_url()

    return form_page(request, form, f"年度计划：{alliance}", save)


@permission_required("alliances.change")
def plan_item_new(request, pk):
    alliance = _for_change(request, pk)
    plan = alliance.plans.order_by("-year").first()
    form = PlanItemForm(request.POST or None, alliance=alliance)

    def save(data):
        if plan is None:
            raise ValidationError("请先制定年度计划")
        services.add_plan_item(actor=request.user, plan=plan, **data)
        return alliance.get_absolute_url()

    return form_page(request, form, "计划事项（四共）", save, submit="添加")


@require_POST
@permission_required("alliances.change")
def plan_item_update(request, pk):
    item = get_visible_or_404(
        PlanItem.objects.select_related("plan__alliance"), request.user, "change", pk=pk
    )
    status = request.POST.get("status")
    if status not in ItemStatus.values:
        messages.error(request, "请选择状态")
        return redirect(item.plan.alliance)
    return act(
        request,
        lambda: services.update_plan_item(
            actor=request.user,
            item=item,
            status=status,
            result=request.POST.get("result", ""),
        ),
        "事项已更新",
        item.plan.alliance.get_absolute_url(),
    )


@permission_required("alliances.view")
def member_detail(request, pk):
    """A member's page: what it committed (agreements, plan items it leads, tasks it
    owns) and what it did (their progress, its service records, its chair terms)."""
    member = get_visible_or_404(
        AllianceMember.objects.select_related("alliance", "unit", "organisation"),
        request.user,
        pk=pk,
    )
    unit = member.unit
    agreements = []
    if unit is not None:
        for agreement in (
            Agreement.objects.visible_to(request.user)
            .filter(unit=unit)
            .prefetch_related("commitments")
        ):
            rows = list(agreement.commitments.all())
            for c in rows:
                c.agreement = agreement
                c.achieved = agreement_services.achieved(c)
            agreements.append({"agreement": agreement, "commitments": rows})
    tasks = (
        Task.objects.visible_to(request.user).filter(owner_unit=unit)
        if unit
        else Task.objects.none()
    )
    return render(
        request,
        "alliances/member_detail.html",
        {
            "member": member,
            "agreements": agreements,
            "items": member.plan_items.select_related("plan"),
            "tasks": tasks.order_by("due_on")[:50],
            "terms": member.terms.all(),
            "services": (
                [
                    s
                    for r in unit.volunteer_registrations.all()
                    for s in r.services.all()[:20]
                ]
                if unit
                else []
            ),
            "today": timezone.localdate(),
        },
    )


@permission_required("alliances.view")
def org_list(request):
    rows = (
        Organisation.objects.visible_to(request.user)
        .select_related("place", "federation")
        .order_by("kind", "name", "pk")
    )
    kind = request.GET.get("kind")
    if kind:
        rows = rows.filter(kind=kind)
    return render_page(
        request,
        "alliances/org_list.html",
        {
            "page": paginate(request, rows),
            "query": query_without_page(request),
            "kinds": Organisation._meta.get_field("kind").choices,
            **flags(request.user),
        },
        partial="alliances/partials/org_rows.html",
    )


@permission_required("alliances.view")
def org_detail(request, pk):
    org = get_visible_or_404(
        Organisation.objects.select_related("place", "federation"), request.user, pk=pk
    )
    return render(
        request,
        "alliances/org_detail.html",
        {
            "org": org,
            "members": org.member_orgs.all(),
            "memberships": org.alliance_memberships.select_related("alliance"),
            "bookings": org.venue_bookings.select_related("venue").order_by(
                "-starts_at"
            )[:10],
            "manages": can(request.user, org, "change"),
        },
    )


@permission_required("alliances.change")
def org_edit(request, pk=None):
    org = (
        get_visible_or_404(Organisation.objects, request.user, "change", pk=pk)
        if pk
        else None
    )
    form = OrganisationForm(request.POST or None, instance=org, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            saved = org_services.save_organisation(
                actor=request.user,
                organisation=Organisation.objects.get(pk=pk) if pk else None,
                **data,
            )
        except (ValidationError, PermissionDenied) as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "已保存")
            return redirect(saved)
    return render(
        request,
        "alliances/form.html",
        {"form": form, "title": "群团与社会组织", "submit": "保存"},
        status=400 if form.errors else 200,
    )
