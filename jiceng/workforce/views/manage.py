"""Managers' forms: hire a worker, certificates and sanctions, open a recruitment
round and add candidates, courses and their attendance, mentor pairs, team members."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from jiceng.core.actions import act
from jiceng.core.forms import add_service_errors
from jiceng.core.scope import get_visible_or_404, permission_required
from jiceng.places.models import Place, PlaceKind

from .. import services
from ..forms import (
    CertificateForm,
    CourseForm,
    MentorForm,
    RoundForm,
    TeamMemberForm,
    WorkerForm,
)
from ..models import Course, RecruitmentRound, Worker
from .common import grids_for, int_or, places_for

MANAGE = "workforce.manage"


def _form_page(request, form, title, submit, call, success):
    """Validate, call the service, keep what was typed on a refusal."""
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
        "workforce/form.html",
        {"form": form, "title": title, "submit": submit},
        status=400 if form.errors else 200,
    )


@permission_required(MANAGE)
def worker_new(request):
    communities = places_for(request.user, MANAGE, PlaceKind.COMMUNITY).order_by("path")
    form = WorkerForm(request.POST or None, communities=communities)
    return _form_page(
        request,
        form,
        "登记社区工作者",
        "登记",
        lambda d: services.hire_worker(actor=request.user, **d),
        "已登记",
    )


@permission_required(MANAGE)
def certificate_new(request, pk):
    worker = get_visible_or_404(Worker.objects, request.user, "manage", pk=pk)
    form = CertificateForm(request.POST or None)
    return _form_page(
        request,
        form,
        f"{worker.name}：登记证书",
        "登记",
        lambda d: (
            services.add_certificate(actor=request.user, worker=worker, **d) and worker
        ),
        "已登记证书",
    )


@permission_required(MANAGE)
@require_POST
def discipline_new(request, pk):
    worker = get_visible_or_404(Worker.objects, request.user, "manage", pk=pk)
    from django.utils.dateparse import parse_date

    on = parse_date(request.POST.get("on", "") or "")
    until = parse_date(request.POST.get("until", "") or "")

    def call():
        if on is None or until is None:
            raise ValidationError("请填写处分日期和影响期")
        return services.record_discipline(
            actor=request.user,
            worker=worker,
            on=on,
            until=until,
            note=request.POST.get("note", ""),
        )

    return act(request, call, "已登记处分", worker)


@permission_required(MANAGE)
def round_new(request):
    streets = places_for(request.user, MANAGE, PlaceKind.STREET).order_by("path")
    form = RoundForm(request.POST or None, streets=streets)
    return _form_page(
        request,
        form,
        "新建招聘",
        "创建",
        lambda d: services.open_round(actor=request.user, **d),
        "已创建招聘",
    )


@permission_required(MANAGE)
@require_POST
def round_candidate(request, pk):
    round_ = get_visible_or_404(RecruitmentRound.objects, request.user, "manage", pk=pk)
    community = (
        places_for(request.user, MANAGE, PlaceKind.COMMUNITY)
        .filter(pk=int_or(request.POST.get("community"), 0))
        .first()
    )

    def call():
        if community is None:
            raise ValidationError("请选择报考社区")
        return services.add_candidate(
            actor=request.user,
            round=round_,
            name=request.POST.get("name", ""),
            community=community,
            phone=request.POST.get("phone", "").strip(),
        )

    return act(request, call, "已添加考生", round_)


@permission_required(MANAGE)
def course_new(request):
    places = Place.objects.filter(
        pk__in=[
            p.pk
            for kind in (PlaceKind.DISTRICT, PlaceKind.STREET, PlaceKind.COMMUNITY)
            for p in places_for(request.user, MANAGE, kind)[:200]
        ]
    ).order_by("path")
    form = CourseForm(request.POST or None, places=places)
    return _form_page(
        request,
        form,
        "新建培训",
        "创建",
        lambda d: services.create_course(actor=request.user, **d),
        "已创建培训",
    )


@permission_required(MANAGE)
@require_POST
def course_attendance(request, pk):
    course = get_visible_or_404(Course.objects, request.user, "manage", pk=pk)
    roll = [int_or(v, 0) for v in request.POST.getlist("roll")]
    present = [int_or(v, 0) for v in request.POST.getlist("present")]
    return act(
        request,
        lambda: services.mark_attendance(
            actor=request.user, course=course, roll_ids=roll, present_ids=present
        ),
        "已保存出勤",
        course,
    )


@permission_required(MANAGE)
def mentor_new(request):
    workers = Worker.objects.visible_to(request.user, "manage").filter(status="active")
    form = MentorForm(request.POST or None, workers=workers)
    return _form_page(
        request,
        form,
        "导师帮带结对",
        "结对",
        lambda d: (
            services.pair_mentor(actor=request.user, **d) and "/workforce/mentors/"
        ),
        "已结对",
    )


@permission_required(MANAGE)
def team_member_new(request):
    form = TeamMemberForm(request.POST or None, grids=grids_for(request.user, MANAGE))
    return _form_page(
        request,
        form,
        "添加网格力量",
        "添加",
        lambda d: (
            services.add_team_member(actor=request.user, **d)
            and f"/workforce/directory/?grid={d['grid'].pk}"
        ),
        "已添加",
    )
