"""Standardisation (self-assessment, review, rectification), 流动党员 registration,
小区党支部书记 双向推选 and the 三会一课 frequency rules."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from jiceng.core.actions import act
from jiceng.core.forms import add_service_errors
from jiceng.core.htmx import paginate
from jiceng.core.scope import (
    get_visible_or_404,
    has_permission,
    permission_required,
)
from jiceng.places.models import Place

from .. import services
from ..forms import (
    AppointForm,
    FlowForm,
    NominationForm,
    RectificationForm,
    RuleForm,
    ScoresForm,
    VoteForm,
)
from ..models import (
    Assessment,
    FlexOrg,
    PartyMember,
    PartyOrg,
    Rectification,
    SecretaryElection,
)
from ..services.life import BRANCH_KINDS, rules_for
from ..services.standards import standards_for

FORM = "edit_form.html"


def _form_page(request, form, call, *, title, back, success, lead=""):
    if request.method == "POST" and form.is_valid():
        try:
            call()
        except (ValidationError, PermissionDenied) as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, success)
            return redirect(back)
    return render(
        request,
        FORM,
        {"form": form, "title": title, "back": back, "lead": lead},
        status=400 if form.errors else 200,
    )


@permission_required("party.change")
def self_assess(request, org_pk):
    org = get_visible_or_404(PartyOrg.objects, request.user, "change", pk=org_pk)
    year = timezone.localdate().year
    form = ScoresForm(request.POST or None, standards=standards_for(org))
    return _form_page(
        request,
        form,
        lambda: services.self_assess(
            actor=request.user,
            org=org,
            year=year,
            scores=form.scores(),
            evidence=form.evidence(),
        ),
        title=f"{org.name} {year}年标准化自评",
        lead="每项按百分制打分，系统按权重计算总分；提交后由上级党委审核定等。",
        back="/party/standards/",
        success="已提交自评",
    )


@permission_required("party.change")
def review(request, pk):
    assessment = get_visible_or_404(
        Assessment.objects.select_related("org"), request.user, "change", pk=pk
    )
    items = list(assessment.items.select_related("standard"))
    form = ScoresForm(
        request.POST or None,
        standards=[i.standard for i in items],
        evidence=False,
        initial={f"s{i.standard_id}": i.self_score for i in items},
    )
    return _form_page(
        request,
        form,
        lambda: services.review(
            actor=request.user,
            assessment=assessment,
            scores=form.scores(),
            version=assessment.version,
        ),
        title=f"审核：{assessment}",
        lead=f"自评得分 {assessment.self_score}。审核得分决定等次（示范≥90，达标≥70）。",
        back="/party/standards/",
        success="已审核定等",
    )


@permission_required("party.change")
def rectification_plan(request, pk):
    assessment = get_visible_or_404(
        Assessment.objects.select_related("org"), request.user, "change", pk=pk
    )
    form = RectificationForm(request.POST or None)
    return _form_page(
        request,
        form,
        lambda: services.plan_rectification(
            actor=request.user, assessment=assessment, **form.cleaned_data
        ),
        title=f"整改计划：{assessment}",
        back="/party/standards/",
        success="已添加整改事项",
    )


@require_POST
@permission_required("party.change")
def rectification_done(request, pk):
    item = get_visible_or_404(Rectification.objects, request.user, "change", pk=pk)
    return act(
        request,
        lambda: services.finish_rectification(
            actor=request.user, item=item, result=request.POST.get("result", "")
        ),
        "整改事项已完成",
        "party:standard_list",
    )


@permission_required("party.change")
def flow_register(request, member_pk):
    member = get_visible_or_404(
        PartyMember.objects, request.user, "change", pk=member_pk
    )
    form = FlowForm(
        request.POST or None,
        orgs=PartyOrg.objects.visible_to(request.user).filter(kind__in=BRANCH_KINDS),
        flex=FlexOrg.objects.visible_to(request.user).filter(dissolved_on__isnull=True),
        initial={"since": timezone.localdate()},
    )
    return _form_page(
        request,
        form,
        lambda: services.register_flow(
            actor=request.user, member=member, **form.cleaned_data
        ),
        title=f"流动党员登记：{member}",
        back=member.get_absolute_url(),
        success="已登记流动党员",
    )


@permission_required("party.view")
def election_list(request):
    rows = SecretaryElection.objects.visible_to(request.user).select_related(
        "org", "nominee__resident"
    )
    return render(
        request,
        "party/elections.html",
        {
            "page": paginate(request, rows),
            "can_change": has_permission(request.user, "party.change"),
        },
    )


@permission_required("party.change")
def nominate(request, org_pk):
    org = get_visible_or_404(PartyOrg.objects, request.user, "change", pk=org_pk)
    form = NominationForm(
        request.POST or None,
        members=PartyMember.objects.filter(org=org).select_related("resident"),
    )
    return _form_page(
        request,
        form,
        lambda: services.nominate(actor=request.user, org=org, **form.cleaned_data),
        title=f"书记人选双向推荐：{org.name}",
        lead="党员推荐与群众推荐两票并计；之后由支部党员大会表决、上级党委任命。",
        back="/party/elections/",
        success="已登记推荐人选",
    )


def _election(request, pk):
    return get_visible_or_404(
        SecretaryElection.objects.select_related("org", "nominee__resident"),
        request.user,
        "change",
        pk=pk,
    )


@permission_required("party.change")
def vote(request, pk):
    election = _election(request, pk)
    form = VoteForm(request.POST or None, initial={"version": election.version})
    return _form_page(
        request,
        form,
        lambda: services.record_vote(
            actor=request.user, election=election, **form.cleaned_data
        ),
        title=f"表决结果：{election}",
        back="/party/elections/",
        success="已登记表决结果",
    )


@permission_required("party.change")
def appoint(request, pk):
    election = _election(request, pk)
    form = AppointForm(
        request.POST or None,
        initial={"version": election.version, "on": timezone.localdate()},
    )
    return _form_page(
        request,
        form,
        lambda: services.appoint(
            actor=request.user, election=election, **form.cleaned_data
        ),
        title=f"任命：{election}",
        back="/party/elections/",
        success="已任命为党支部书记",
    )


@permission_required("party.view")
def rules(request):
    """The 三会一课 frequencies in force at the user's place; changed there."""
    place = Place.objects.visible_to(request.user).order_by("depth", "path").first()
    form = RuleForm(request.POST or None)
    if place is not None and request.method == "POST" and form.is_valid():
        try:
            services.set_rule(actor=request.user, place=place, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "已保存频次要求")
            return redirect("party:rules")
    in_force = rules_for(place) if place else {}
    return render(
        request,
        "party/rules.html",
        {
            "place": place,
            "in_force": [
                (kind, period, times) for kind, (period, times) in in_force.items()
            ],
            "form": form,
            "can_change": has_permission(request.user, "party.change"),
        },
        status=400 if form.errors else 200,
    )
