"""The entry pages: indicator sets, inspection plans, calls and applications,
expert panels, milestones, budgets and spending, nominations and 述职评议. Each
page is a form restricted to the user's Scope that hands its data to a service."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from jiceng.core.forms import add_service_errors
from jiceng.core.scope import get_visible_or_404, permission_required
from jiceng.party.models import PartyOrg
from jiceng.people.models import Resident, Unit
from jiceng.places.models import PlaceKind

from .. import periods, services
from ..forms import (
    INDICATOR_ROWS,
    ApplyForm,
    AppraisalForm,
    BudgetForm,
    CallForm,
    HonourForm,
    IndicatorSetForm,
    MilestoneForm,
    PanelForm,
    PlanForm,
    SpendingForm,
)
from ..models import Application, Call, IndicatorSet

__all__ = [
    "appraisal_new",
    "budget_new",
    "call_apply",
    "call_new",
    "call_panel",
    "honour_new",
    "indicator_set_edit",
    "milestone_new",
    "plan_new",
    "spending_new",
]


def form_page(request, form, call, *, title, submit, success, lead="", back=""):
    """A form page: on a valid POST call the service and go where it says; a refused
    or invalid form is shown again with what was typed."""
    if request.method == "POST" and form.is_valid():
        try:
            result = call(form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, success)
            return redirect(result)
    return render(
        request,
        "assessment/form.html",
        {"form": form, "title": title, "submit": submit, "lead": lead, "back": back},
        status=400 if form.errors else 200,
    )


def _initial_indicators(period):
    found = IndicatorSet.objects.filter(period=period).first()
    rows = (
        [(i.code, i.name, i.source, i.weight) for i in found.indicators.all()]
        if found
        else services.property.DEFAULT_INDICATORS
    )
    initial = {"period": period, "name": found.name if found else "红色物业综合评价"}
    for n, (code, label, source, weight) in enumerate(rows[:INDICATOR_ROWS]):
        initial |= {
            f"code{n}": code,
            f"label{n}": label,
            f"source{n}": source,
            f"weight{n}": weight,
        }
    return initial


@permission_required("assessment.configure")
def indicator_set_edit(request):
    period = request.GET.get("period") or periods.quarter_of(timezone.localdate())
    form = IndicatorSetForm(
        request.POST or None, initial=_initial_indicators(period.upper())
    )
    return form_page(
        request,
        form,
        lambda d: (
            services.property.save_indicator_set(
                actor=request.user,
                period=d["period"],
                name=d["name"],
                indicators=d["indicators"],
            )
            and "assessment:index"
        ),
        title="设置红色物业评价指标",
        submit="保存指标",
        success="评价指标已保存",
        lead="各项权重之和须为100，至少一项居民评价；本期已有居民评价后不能再修改。"
        "留空的行不计入。",
    )


@permission_required("assessment.inspect")
def plan_new(request):
    form = PlanForm(request.POST or None, user=request.user)
    return form_page(
        request,
        form,
        lambda d: services.supervision.create_plan(actor=request.user, **d),
        title="制定督察计划",
        submit="保存计划",
        success="督察计划已制定",
        back="assessment:plan_list",
    )


@permission_required("assessment.projects")
def call_new(request):
    form = CallForm(request.POST or None, user=request.user)
    return form_page(
        request,
        form,
        lambda d: services.projects.create_call(actor=request.user, **d),
        title="发布示范项目评选/公益创投",
        submit="发布",
        success="已发布，社区和社会组织可以申报",
        lead="评审标准的权重之和须为100。",
        back="assessment:call_list",
    )


@permission_required("assessment.apply")
def call_apply(request, pk):
    call = get_object_or_404(services.projects.open_calls(request.user), pk=pk)
    form = ApplyForm(
        request.POST or None, request.FILES or None, user=request.user, call=call
    )
    return form_page(
        request,
        form,
        lambda d: services.projects.apply(actor=request.user, call=call, **d),
        title=f"申报：{call.title}",
        submit="提交申报",
        success="申报已提交，等待资格审查",
        lead=f"申报截止{call.deadline:%Y-%m-%d}；单个项目资助上限{call.max_grant}元。",
    )


@permission_required("assessment.projects")
def call_panel(request, pk):
    call = get_visible_or_404(Call.objects.all(), request.user, pk=pk)
    form = PanelForm(request.POST or None, initial={"experts": call.experts.all()})

    def assign(d):
        excluded = services.projects.assign_panel(
            actor=request.user,
            call=call,
            experts=list(d["experts"]),
            per_application=d["per_application"],
        )
        for name, title, reason in excluded:
            messages.info(request, f"{name}回避“{title}”：{reason}")
        return call

    return form_page(
        request,
        form,
        assign,
        title=f"组织评审专家：{call.title}",
        submit="确定专家",
        success="评审专家已分配",
        lead="专家不评审本单位、本街道的项目（自动回避）；每个项目回避后至少3名专家。",
    )


@permission_required("assessment.apply")
def milestone_new(request, pk):
    application = get_visible_or_404(
        Application.objects.select_related("call"), request.user, pk=pk
    )
    form = MilestoneForm(request.POST or None)
    return form_page(
        request,
        form,
        lambda d: (
            services.projects.report_milestone(
                actor=request.user, application=application, **d
            )
            and application
        ),
        title=f"填报进度与支出：{application.title}",
        submit="提交",
        success="进度已填报",
        lead=f"资助金额{application.granted}元，累计支出不能超过资助金额。",
    )


@permission_required("assessment.funds")
def budget_new(request):
    form = BudgetForm(request.POST or None, user=request.user)
    return form_page(
        request,
        form,
        lambda d: (
            services.funds.set_budget(actor=request.user, **d)
            and f"{reverse('assessment:fund_list')}?year={d['year']}"
        ),
        title="登记社区经费预算",
        submit="保存预算",
        success="预算已保存",
        lead="同一社区、年度、来源只有一条预算，再次登记即为调整；不能低于已支出。",
    )


@permission_required("assessment.funds")
def spending_new(request):
    form = SpendingForm(request.POST or None, user=request.user)
    return form_page(
        request,
        form,
        lambda d: (
            services.funds.spend(actor=request.user, **d)
            and f"{reverse('assessment:fund_list')}?year={d['spent_on'].year}"
        ),
        title="登记经费支出",
        submit="保存支出",
        success="支出已登记",
        lead="可关联示范项目、志愿活动或微心愿；超出预算余额的支出不能登记。",
    )


NOMINEES = (("resident", Resident), ("unit", Unit), ("party_org", PartyOrg))


@permission_required("assessment.honours")
def honour_new(request):
    """A nomination; opened from a resident's, unit's or party organisation's page
    (?resident=… / ?unit=… / ?party_org=…) the honour is linked to that record."""
    who = {
        field: get_visible_or_404(model.objects.all(), request.user, pk=pk)
        for field, model in NOMINEES
        if (pk := request.GET.get(field, "")).isdigit()
    }
    initial = {}
    for record in who.values():
        initial["nominee"] = record.name
        place = getattr(record, "place", None)
        community = place and place.ancestor_of_kind(PlaceKind.COMMUNITY)
        if community:
            initial["place"] = community.pk
    form = HonourForm(request.POST or None, user=request.user, initial=initial)
    return form_page(
        request,
        form,
        lambda d: services.honours.nominate(actor=request.user, **d, **who),
        title="推荐评优表彰",
        submit="提交推荐",
        success="推荐已提交，等待审核",
    )


@permission_required("assessment.honours")
def appraisal_new(request):
    form = AppraisalForm(request.POST or None, user=request.user)
    return form_page(
        request,
        form,
        lambda d: services.honours.open_appraisal(actor=request.user, **d),
        title="发起社区书记述职评议",
        submit="发起评议",
        success="述职评议已发起，可录入评分",
        lead="每个社区每年一次；街道党工委评分占60%，居民代表评分占40%。",
    )
