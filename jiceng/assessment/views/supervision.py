"""督察检查 pages: plans, the phone inspection form, the rectification ledger
with its rates and overdue list."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone

from jiceng.core.bounds import parse_id
from jiceng.core.htmx import paginate
from jiceng.core.models import Department
from jiceng.core.scope import get_visible_or_404, permission_required

from .. import services
from ..models import OPEN_PROBLEM, Inspection, InspectionPlan, Problem, ProblemStatus
from .common import act, error_text, flags, posted_date, version_of


@permission_required("assessment.view")
def plan_list(request):
    rows = InspectionPlan.objects.visible_to(request.user).select_related("place")
    return render(
        request,
        "assessment/plan_list.html",
        {"page": paginate(request, rows), **flags(request.user)},
    )


@permission_required("assessment.view")
def plan_detail(request, pk):
    plan = get_visible_or_404(InspectionPlan.objects, request.user, pk=pk)
    targets = plan.targets.order_by("path")
    if request.method == "POST":
        target = targets.filter(pk=parse_id(request.POST.get("target"))).first()
        answers = {
            item: (
                request.POST.get(f"ok{n}") == "1",
                request.POST.get(f"note{n}", ""),
            )
            for n, item in enumerate(plan.checklist)
            if request.POST.get(f"ok{n}") in ("0", "1")
        }
        problems = []
        try:
            if target is None:
                raise ValidationError("请选择督察对象")
            for n in range(3):
                text = request.POST.get(f"problem{n}", "").strip()
                if text:
                    problems.append(
                        {
                            "description": text,
                            "owner_name": request.POST.get(f"owner{n}", ""),
                            "deadline": posted_date(
                                request, f"deadline{n}", "整改时限"
                            ),
                            "owner_department": Department.objects.filter(
                                pk=parse_id(request.POST.get(f"department{n}"))
                            ).first(),
                        }
                    )
            inspection = services.supervision.inspect(
                actor=request.user,
                plan=plan,
                target=target,
                answers=answers,
                photos=request.FILES.getlist("photos"),
                problems=problems,
            )
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, error_text(exc))
            return redirect(plan)
        messages.success(request, f"已记录督察，发现问题{len(problems)}个")
        return redirect(inspection)
    return render(
        request,
        "assessment/plan_detail.html",
        {
            "plan": plan,
            "targets": targets,
            "checklist": list(enumerate(plan.checklist)),
            "inspections": plan.inspections.visible_to(request.user).select_related(
                "target"
            ),
            "departments": Department.objects.all(),
            "slots": range(3),
            "is_inspector": plan.inspectors.filter(pk=request.user.pk).exists(),
            **flags(request.user),
        },
    )


@permission_required("assessment.view")
def inspection_detail(request, pk):
    inspection = get_visible_or_404(
        Inspection.objects.select_related("plan", "target", "inspector"),
        request.user,
        pk=pk,
    )
    return render(
        request,
        "assessment/inspection_detail.html",
        {
            "inspection": inspection,
            "photos": inspection.photos.all(),
            "problems": inspection.problems.all(),
        },
    )


@permission_required("assessment.view")
def problem_list(request):
    today = timezone.localdate()
    rows = Problem.objects.visible_to(request.user).select_related(
        "place", "owner_unit", "owner_department"
    )
    status = request.GET.get("status", "")
    if status == "overdue":
        rows = rows.filter(status__in=OPEN_PROBLEM, deadline__lt=today)
    elif status in ProblemStatus.values:
        rows = rows.filter(status=status)
    by = request.GET.get("by", "street")
    if by not in ("street", "community", "department"):
        by = "street"
    total, groups = services.supervision.rates(request.user, by=by, today=today)
    return render(
        request,
        "assessment/problem_list.html",
        {
            "page": paginate(request, rows),
            "total": total,
            "groups": groups,
            "by": by,
            "status": status,
            "statuses": ProblemStatus.choices,
            "today": today,
        },
    )


@permission_required("assessment.view")
def problem_detail(request, pk):
    problem = get_visible_or_404(
        Problem.objects.select_related("place", "owner_unit", "owner_department"),
        request.user,
        pk=pk,
    )
    if request.method == "POST":
        step, version = request.POST.get("step"), version_of(request)
        steps = {
            "fix": lambda: services.supervision.submit_fix(
                actor=request.user,
                problem=problem,
                evidence=request.POST.get("evidence", ""),
                photo=request.FILES.get("photo"),
                version=version,
            ),
            "pass": lambda: services.supervision.verify(
                actor=request.user, problem=problem, passed=True, version=version
            ),
            "fail": lambda: services.supervision.verify(
                actor=request.user,
                problem=problem,
                passed=False,
                note=request.POST.get("note", ""),
                version=version,
            ),
            "reopen": lambda: services.supervision.reopen(
                actor=request.user,
                problem=problem,
                note=request.POST.get("note", ""),
                version=version,
            ),
        }
        if step not in steps:
            return redirect(problem)
        return act(request, steps[step], "已保存", problem)
    return render(
        request,
        "assessment/problem_detail.html",
        {
            "problem": problem,
            "overdue": problem.overdue(),
            "OPEN": OPEN_PROBLEM,
            **flags(request.user),
        },
    )
