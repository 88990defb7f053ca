"""Managers' pages: workers, step-ups, pay tables and salary sheets, recruitment,
assessments, training and certificates, mentors."""

from datetime import date
from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from jiceng.core.actions import act
from jiceng.core.forms import add_service_errors
from jiceng.core.htmx import paginate
from jiceng.core.scope import can, get_visible_or_404, permission_required
from jiceng.places.models import PlaceKind
from jiceng.transfer.workbooks import xlsx_response

from .. import services
from ..forms import PayTableForm
from ..models import (
    Assessment,
    Course,
    Mentorship,
    PayTable,
    Post,
    RecruitmentRound,
    SalarySheet,
    Worker,
    WorkerStatus,
)
from .common import int_or, month_or, places_for

MANAGE = "workforce.manage"


@permission_required("workforce.view")
def index(request):
    return render(request, "workforce/index.html", {})


@permission_required("workforce.view")
def worker_list(request):
    rows = Worker.objects.visible_to(request.user).select_related("community")
    post = request.GET.get("post", "")
    if post in Post.values:
        rows = rows.filter(post=post)
    q = request.GET.get("q", "").strip()
    if q:
        rows = rows.filter(name__contains=q)
    return render(
        request,
        "workforce/worker_list.html",
        {"page": paginate(request, rows), "post": post, "posts": Post.choices, "q": q},
    )


@permission_required("workforce.view")
def worker_detail(request, pk):
    worker = get_visible_or_404(
        Worker.objects.select_related("community", "user"), request.user, pk=pk
    )
    today = timezone.localdate()
    return render(
        request,
        "workforce/worker_detail.html",
        {
            "worker": worker,
            "events": worker.events.all(),
            "certificates": worker.certificates.all(),
            "assessments": worker.assessments.all(),
            "grids": worker.grids.all(),
            "decision": services.step_decision(worker, today.year),
            "today": today,
            "can_manage": can(request.user, worker, "manage"),
        },
    )


@permission_required(MANAGE)
def step_ups(request):
    year = int_or(request.GET.get("year"), timezone.localdate().year)
    workers = (
        Worker.objects.visible_to(request.user, "manage")
        .filter(status=WorkerStatus.ACTIVE)
        .select_related("community")
    )
    decisions = services.step_up_list(workers, year)
    due = [d for d in decisions if d.due]
    held = [d for d in decisions if not d.due]
    return render(
        request,
        "workforce/step_ups.html",
        {"year": year, "due": due, "held": held},
    )


@permission_required(MANAGE)
@require_POST
def step_up_apply(request, pk):
    worker = get_visible_or_404(Worker.objects, request.user, "manage", pk=pk)
    year = int_or(request.POST.get("year"), timezone.localdate().year)
    return act(
        request,
        lambda: services.step_up(actor=request.user, worker=worker, year=year),
        lambda w: f"{w.name}已晋升至{w.grade}级",
        f"/workforce/step-ups/?year={year}",
    )


@permission_required(MANAGE)
def pay_tables(request):
    tables = PayTable.objects.visible_to(request.user)
    districts = places_for(request.user, MANAGE, PlaceKind.DISTRICT)
    form = PayTableForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            district = districts.first()
            if district is None:
                raise PermissionDenied("薪酬标准由区级统一制定")
            services.set_pay_table(
                actor=request.user,
                district=district,
                effective_from=data["effective_from"],
                base=data["base"],
                qualification=data["qualification"],
                grade_allowances={g: data["grade_step"] * g for g in range(1, 19)},
                note=data["note"],
            )
        except (ValidationError, PermissionDenied) as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "已保存薪酬标准")
            return redirect("workforce:pay_tables")
    return render(
        request,
        "workforce/pay_tables.html",
        {
            "page": paginate(request, tables),
            "form": form,
            "can_set": districts.exists(),
            "grades": range(1, 19),
        },
        status=400 if form.errors else 200,
    )


@permission_required(MANAGE)
def sheet_list(request):
    sheets = SalarySheet.objects.visible_to(request.user).select_related("community")
    communities = places_for(request.user, MANAGE, PlaceKind.COMMUNITY).order_by("path")
    return render(
        request,
        "workforce/sheet_list.html",
        {
            "page": paginate(request, sheets),
            "communities": communities,
            "month": timezone.localdate().strftime("%Y-%m"),
        },
    )


@permission_required(MANAGE)
@require_POST
def sheet_make(request):
    community = (
        places_for(request.user, MANAGE, PlaceKind.COMMUNITY)
        .filter(pk=int_or(request.POST.get("community"), 0))
        .first()
    )
    month = month_or(request.POST.get("month"), None)
    if community is None or month is None:
        messages.error(request, "请选择社区和月份")
        return redirect("workforce:sheets")
    try:
        sheet = services.make_salary_sheet(
            actor=request.user, community=community, month=month
        )
    except (ValidationError, PermissionDenied) as exc:
        from jiceng.core.actions import error_text

        messages.error(request, error_text(exc))
        return redirect("workforce:sheets")
    return redirect(sheet)


@permission_required(MANAGE)
def sheet_detail(request, pk):
    sheet = get_visible_or_404(
        SalarySheet.objects.select_related("community", "table"), request.user, pk=pk
    )
    lines = sheet.lines.all()
    total = sum((line.total for line in lines), Decimal("0"))
    return render(
        request,
        "workforce/sheet_detail.html",
        {"sheet": sheet, "lines": lines, "total": total},
    )


@permission_required(MANAGE)
def sheet_xlsx(request, pk):
    sheet = get_visible_or_404(
        SalarySheet.objects.select_related("community"), request.user, pk=pk
    )
    from jiceng.core import audit
    from jiceng.core.models import AuditAction

    audit.record(actor=request.user, action=AuditAction.EXPORT, target=sheet)
    header = ["姓名", "岗位", "等级", "基本工资", "等级津贴", "持证津贴", "应发合计"]
    rows = [header] + [
        [
            line.name,
            line.get_post_display(),
            line.grade,
            float(line.base),
            float(line.grade_allowance),
            float(line.qualification),
            float(line.total),
        ]
        for line in sheet.lines.all()
    ]
    stamp = timezone.localtime().strftime("%Y-%m-%d %H:%M")
    return xlsx_response(
        rows,
        f"工资表-{sheet.community.name}-{sheet.month:%Y%m}.xlsx",
        title=f"{sheet.month:%Y年%m月}",
        note=f"{request.user}（{request.user.get_username()}）于 {stamp} 导出 · 仅限工作使用",
    )


@permission_required(MANAGE)
def round_list(request):
    rounds = RecruitmentRound.objects.visible_to(request.user).select_related("street")
    return render(
        request, "workforce/round_list.html", {"page": paginate(request, rounds)}
    )


@permission_required(MANAGE)
def round_detail(request, pk):
    round_ = get_visible_or_404(
        RecruitmentRound.objects.select_related("street"), request.user, pk=pk
    )
    ranked = services.ranking(round_)
    unscored = round_.candidates.filter(total__isnull=True)
    return render(
        request,
        "workforce/round_detail.html",
        {
            "round": round_,
            "communities": places_for(request.user, MANAGE, PlaceKind.COMMUNITY).filter(
                path__startswith=round_.street.path
            ),
            "ranked": ranked,
            "unscored": unscored,
            "cut": round_.positions,
            "can_manage": can(request.user, round_, "manage"),
        },
    )


@permission_required(MANAGE)
@require_POST
def round_score(request, pk):
    round_ = get_visible_or_404(RecruitmentRound.objects, request.user, "manage", pk=pk)
    candidate = round_.candidates.filter(
        pk=int_or(request.POST.get("candidate"), 0)
    ).first()
    if candidate is None:
        messages.error(request, "考生不存在")
        return redirect(round_)
    return act(
        request,
        lambda: services.score_candidate(
            actor=request.user,
            candidate=candidate,
            written=request.POST.get("written") or None,
            interview=request.POST.get("interview") or None,
        ),
        lambda c: f"已录入{c.name}的成绩",
        round_,
    )


@permission_required(MANAGE)
@require_POST
def round_hire(request, pk):
    round_ = get_visible_or_404(RecruitmentRound.objects, request.user, "manage", pk=pk)
    return act(
        request,
        lambda: services.hire(actor=request.user, round=round_),
        lambda hired: f"已录用{len(hired)}人",
        round_,
    )


@permission_required(MANAGE)
def assessment_list(request):
    year = int_or(request.GET.get("year"), timezone.localdate().year - 1)
    rows = (
        Assessment.objects.visible_to(request.user)
        .filter(year=year)
        .select_related("worker__community")
    )
    return render(
        request,
        "workforce/assessment_list.html",
        {"page": paginate(request, rows), "year": year},
    )


@permission_required(MANAGE)
@require_POST
def assess(request, pk):
    worker = get_visible_or_404(Worker.objects, request.user, "manage", pk=pk)
    year = int_or(request.POST.get("year"), timezone.localdate().year - 1)
    try:
        score = Decimal(request.POST.get("manager_score", ""))
    except ArithmeticError:
        messages.error(request, "请填写0–100的组织评分")
        return redirect(worker)
    return act(
        request,
        lambda: services.assess(
            actor=request.user, worker=worker, year=year, manager_score=score
        ),
        lambda a: f"{year}年度考核：{a.get_grade_display()}（{a.total}分）",
        worker,
    )


@permission_required(MANAGE)
def course_list(request):
    courses = Course.objects.visible_to(request.user)
    return render(
        request, "workforce/course_list.html", {"page": paginate(request, courses)}
    )


@permission_required(MANAGE)
def course_detail(request, pk):
    course = get_visible_or_404(Course.objects, request.user, pk=pk)
    roll = course.roll.select_related("worker")
    return render(
        request,
        "workforce/course_detail.html",
        {
            "course": course,
            "roll": roll,
            "workers": Worker.objects.visible_to(request.user, "manage")
            .filter(status=WorkerStatus.ACTIVE)
            .order_by("community", "name")[:300],
            "present_ids": {r.worker_id for r in roll if r.present},
            "present": sum(1 for r in roll if r.present),
        },
    )


@permission_required(MANAGE)
def certificate_rates(request):
    streets = places_for(request.user, MANAGE, PlaceKind.STREET).order_by("path")
    communities = places_for(request.user, MANAGE, PlaceKind.COMMUNITY).order_by("path")
    return render(
        request,
        "workforce/certificates.html",
        {
            "streets": services.certificate_rates(streets),
            "communities": services.certificate_rates(communities),
            "today": timezone.localdate(),
        },
    )


@permission_required("workforce.view")
def mentor_list(request):
    rows = Mentorship.objects.visible_to(request.user).select_related(
        "mentor", "mentee"
    )
    return render(
        request, "workforce/mentor_list.html", {"page": paginate(request, rows)}
    )


@permission_required("workforce.view")
def mentor_detail(request, pk):
    pair = get_visible_or_404(
        Mentorship.objects.select_related("mentor", "mentee"), request.user, pk=pk
    )
    if request.method == "POST":
        return act(
            request,
            lambda: services.write_note(
                actor=request.user,
                mentorship=pair,
                month=month_or(request.POST.get("month"), date.today()),
                text=request.POST.get("text", ""),
            ),
            "已保存帮带记录",
            f"/workforce/mentors/{pair.pk}/",
        )
    return render(
        request,
        "workforce/mentor_detail.html",
        {
            "pair": pair,
            "notes": pair.notes.all(),
            "month": timezone.localdate().strftime("%Y-%m"),
        },
    )
