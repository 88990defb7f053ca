"""双报到 pages: lists, member and unit registration, confirm/return, 双服务, 双报告."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from jiceng.core.forms import add_service_errors
from jiceng.core.htmx import paginate, query_without_page, render_page
from jiceng.core.scope import can, get_visible_or_404, permission_required
from jiceng.places.picker import give_user

from .. import services
from ..filters import RegistrationFilter
from ..forms import (
    DecisionForm,
    EvaluationForm,
    MemberRegistrationForm,
    PeriodForm,
    UnitRegistrationForm,
    UnitServiceForm,
)
from ..models import (
    MemberRegistration,
    QuarterlyReport,
    RegistrationStatus,
    UnitRegistration,
)
from ..services.registration import acts_for_unit, current_quarter, suggested_grade
from ..services.wishes import unit_of
from .common import act, flags


@permission_required("volunteer.view")
def registration_list(request):
    kind = "unit" if request.GET.get("kind") == "unit" else "member"
    model = UnitRegistration if kind == "unit" else MemberRegistration
    rows = model.objects.visible_to(request.user).select_related(
        "community", "unit", *(["volunteer"] if kind == "member" else [])
    )
    rows = RegistrationFilter(request.GET, queryset=rows).qs
    return render_page(
        request,
        "volunteer/registration_list.html",
        {
            "kind": kind,
            "status": request.GET.get("status", ""),
            "statuses": RegistrationStatus.choices,
            "page": paginate(request, rows),
            "query": query_without_page(request),
            **flags(request.user),
            "is_unit": unit_of(request.user) is not None,
        },
        partial="volunteer/partials/registration_table.html",
    )


@permission_required("volunteer.join")
def register_member(request):
    form = MemberRegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.register_member(
                actor=request.user,
                commitments=data["commitments"],
                claimed_items=data["claimed_items"],
                skills=data["skills"],
                available=data["available"],
            )
        except (ValidationError, PermissionDenied) as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "已提交报到，等待社区确认")
            return redirect("volunteer:me")
    return render(
        request,
        "volunteer/form.html",
        {
            "form": form,
            "title": "在职党员到社区报到",
            "submit": "提交报到",
            "lead": "在职党员向居住地社区报到，经社区确认后参加社区志愿服务、认领项目。",
        },
        status=400 if form.errors else 200,
    )


@permission_required("volunteer.join")
def register_unit(request):
    unit = unit_of(request.user)
    if unit is None:
        raise PermissionDenied
    form = UnitRegistrationForm(request.POST or None)
    give_user(form, request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            registration = services.register_unit(
                actor=request.user,
                unit=unit,
                community=data["community"],
                commitments=data["commitments"],
                claimed_items=data["claimed_items"],
                compounds=list(data["compounds"]),
            )
        except (ValidationError, PermissionDenied) as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "已提交单位报到，等待社区确认")
            return redirect(registration)
    return render(
        request,
        "volunteer/form.html",
        {
            "form": form,
            "title": f"{unit.name} 到社区报到",
            "submit": "提交报到",
            "lead": "单位党组织到社区报到，可与社区内小区结对，并作出服务承诺、认领事项。",
        },
        status=400 if form.errors else 200,
    )


@permission_required("volunteer.view")
def member_registration(request, pk):
    registration = get_visible_or_404(
        MemberRegistration.objects.select_related("volunteer", "community", "unit"),
        request.user,
        pk=pk,
    )
    year = timezone.localdate().year
    hours = services.registration.service_summary(
        [registration.volunteer_id], *services.registration.year_bounds(year)
    )[registration.volunteer_id]["hours"]
    return render(
        request,
        "volunteer/member_registration.html",
        {
            "r": registration,
            "reports": registration.quarterly_reports.all()[:8],
            "evaluations": registration.evaluations.all(),
            "year_hours": hours,
            "decision": DecisionForm(initial={"version": registration.version}),
            "evaluation_form": EvaluationForm(
                initial={"year": year, "grade": suggested_grade(hours)}
            ),
            "can_decide": can(request.user, registration, "manage"),
            "own": registration.volunteer.user_id == request.user.pk,
        },
    )


@permission_required("volunteer.view")
def unit_registration(request, pk):
    registration = get_visible_or_404(
        UnitRegistration.objects.select_related("unit", "community"),
        request.user,
        pk=pk,
    )
    can_decide = can(request.user, registration, "manage")
    return render(
        request,
        "volunteer/unit_registration.html",
        {
            "r": registration,
            "records": registration.services.all()[:50],
            "members": MemberRegistration.objects.visible_to(request.user)
            .filter(unit=registration.unit, community=registration.community)
            .select_related("volunteer"),
            "decision": DecisionForm(initial={"version": registration.version}),
            "service_form": UnitServiceForm(
                initial={"served_on": timezone.localdate()}
            ),
            "can_decide": can_decide,
            "is_unit": acts_for_unit(request.user, registration.unit),
        },
    )


def _registration(request, kind, pk, action="view"):
    model = UnitRegistration if kind == "unit" else MemberRegistration
    return get_visible_or_404(model.objects, request.user, action, pk=pk)


@permission_required("volunteer.manage")
@require_POST
def decide_registration(request, kind, pk):
    registration = _registration(request, kind, pk, "manage")
    approve = request.POST.get("decision") == "approve"
    form = DecisionForm(request.POST)
    form.is_valid()
    return act(
        request,
        lambda: services.decide_registration(
            actor=request.user,
            registration=registration,
            approve=approve,
            note=form.cleaned_data.get("note", ""),
            version=form.cleaned_data.get("version"),
        ),
        "已确认报到" if approve else "已退回",
        registration,
    )


@permission_required("volunteer.join")
@require_POST
def withdraw_registration(request, kind, pk):
    registration = _registration(request, kind, pk)
    return act(
        request,
        lambda: services.withdraw_registration(
            actor=request.user, registration=registration
        ),
        "已撤回报到",
        registration,
    )


@permission_required("volunteer.view")
@require_POST
def add_unit_service(request, pk):
    registration = _registration(request, "unit", pk)
    form = UnitServiceForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请完整填写服务记录")
        return redirect(registration)
    return act(
        request,
        lambda: services.record_unit_service(
            actor=request.user, registration=registration, **form.cleaned_data
        ),
        "已记录单位服务",
        registration,
    )


@permission_required("volunteer.manage")
@require_POST
def evaluate(request, pk):
    registration = _registration(request, "member", pk, "manage")
    form = EvaluationForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请选择评定等次")
        return redirect(registration)
    return act(
        request,
        lambda: services.evaluate_member(
            actor=request.user, registration=registration, **form.cleaned_data
        ),
        "已完成年度评定",
        registration,
    )


@permission_required("volunteer.view")
def quarterly(request):
    """双报告: the quarter's reports, sending them, and members who did not serve."""
    year, quarter = current_quarter()
    form = PeriodForm(request.GET or None, initial={"year": year, "quarter": quarter})
    if form.is_valid():
        year, quarter = form.cleaned_data["year"], form.cleaned_data["quarter"]
    registrations = MemberRegistration.objects.visible_to(request.user)
    if request.method == "POST":
        managed = MemberRegistration.objects.visible_to(request.user, "manage")
        return act(
            request,
            lambda: services.send_quarterly_reports(
                actor=request.user, registrations=managed, year=year, quarter=quarter
            ),
            lambda reports: f"已生成并报送 {len(reports)} 份季度反馈报告",
            f"{request.path}?year={year}&quarter={quarter}",
        )
    reports = (
        QuarterlyReport.objects.visible_to(request.user)
        .filter(year=year, quarter=quarter)
        .select_related("registration__volunteer", "registration__unit")
    )
    return render(
        request,
        "volunteer/quarterly.html",
        {
            "form": form,
            "year": year,
            "quarter": quarter,
            "reports": reports,
            "idle": services.idle_members(registrations, year, quarter)[:200],
            **flags(request.user),
        },
    )
