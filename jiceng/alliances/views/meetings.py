"""Joint meetings, their agenda, attendance, minutes and decisions; tasks and their
progress; my meetings (with a calendar file) and my tasks."""

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from jiceng.core.forms import add_service_errors
from jiceng.core.htmx import paginate, query_without_page, render_page
from jiceng.core.scope import can, get_visible_or_404, permission_required

from ..filters import TaskFilter
from ..forms import (
    InviteForm,
    MeetingForm,
    MinutesForm,
    ProgressForm,
    SeriesForm,
    TaskDecisionForm,
    TopicForm,
)
from ..models import Attendance, Meeting, MeetingSeries, MeetingStatus, Task
from ..services import meetings as services
from .common import act, flags, form_page


@permission_required("alliances.view")
def meeting_list(request):
    rows = Meeting.objects.visible_to(request.user).select_related("place", "series")
    series = MeetingSeries.objects.visible_to(request.user).select_related("place")
    return render_page(
        request,
        "alliances/meeting_list.html",
        {
            "page": paginate(request, rows),
            "series": series,
            "query": query_without_page(request),
            **flags(request.user),
        },
        partial="alliances/partials/meeting_rows.html",
    )


@permission_required("alliances.change")
def meeting_new(request):
    form = MeetingForm(request.POST or None, user=request.user)
    return form_page(
        request,
        form,
        "召集会议",
        lambda data: services.schedule_meeting(actor=request.user, **data),
        submit="召集",
        lead="议程自动列入未办结和逾期的议定事项，可再添加本次议题。",
    )


@permission_required("alliances.change")
def series_new(request):
    form = SeriesForm(request.POST or None, user=request.user)

    def save(data):
        series = services.create_series(actor=request.user, **data)
        services.schedule_series(
            actor=request.user,
            series=series,
            until=timezone.localdate() + timedelta(days=183),
        )
        return redirect("alliances:meeting_list").url

    return form_page(
        request,
        form,
        "例会安排",
        save,
        submit="保存并排期",
        lead="按周期生成今后半年的会议（每月/每季度/每半年）。",
    )


@require_POST
@permission_required("alliances.change")
def series_schedule(request, pk):
    series = get_visible_or_404(MeetingSeries.objects, request.user, "change", pk=pk)
    return act(
        request,
        lambda: services.schedule_series(
            actor=request.user,
            series=series,
            until=timezone.localdate() + timedelta(days=183),
        ),
        lambda made: f"已排期 {len(made)} 次会议",
        "alliances:meeting_list",
    )


@permission_required("alliances.view")
def meeting_detail(request, pk):
    meeting = get_visible_or_404(
        Meeting.objects.select_related("place", "series", "alliance"),
        request.user,
        pk=pk,
    )
    manages = can(request.user, meeting, "change")
    return render(
        request,
        "alliances/meeting_detail.html",
        {
            "meeting": meeting,
            "agenda": meeting.agenda.select_related("task"),
            "attendances": meeting.attendances.select_related("unit", "department"),
            "decisions": meeting.decisions.select_related(
                "owner_unit", "owner_department"
            ),
            "manages": manages,
            "topic_form": TopicForm(),
            "invite_form": InviteForm(user=request.user) if manages else None,
            "minutes_form": MinutesForm(initial={"chair": meeting.chair}),
            "decision_form": TaskDecisionForm(user=request.user) if manages else None,
            "today": timezone.localdate(),
        },
    )


def _meeting_for_change(request, pk):
    return get_visible_or_404(Meeting.objects, request.user, "change", pk=pk)


@require_POST
@permission_required("alliances.change")
def meeting_topic(request, pk):
    meeting = _meeting_for_change(request, pk)
    form = TopicForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写议题")
        return redirect(meeting)
    return act(
        request,
        lambda: services.add_topic(
            actor=request.user, meeting=meeting, title=form.cleaned_data["title"]
        ),
        "议题已添加",
        meeting.get_absolute_url(),
    )


@require_POST
@permission_required("alliances.change")
def meeting_invite(request, pk):
    meeting = _meeting_for_change(request, pk)
    form = InviteForm(request.POST, user=request.user)
    if not form.is_valid():
        messages.error(request, "请填写参会人员姓名")
        return redirect(meeting)
    return act(
        request,
        lambda: services.invite(
            actor=request.user, meeting=meeting, **form.cleaned_data
        ),
        "已添加参会人员",
        meeting.get_absolute_url(),
    )


@require_POST
@permission_required("alliances.change")
def attendance_mark(request, pk):
    attendance = get_visible_or_404(
        Attendance.objects.select_related("meeting"), request.user, "change", pk=pk
    )
    present = request.POST.get("present") == "1"
    return act(
        request,
        lambda: services.record_attendance(
            actor=request.user,
            attendance=attendance,
            present=present,
            reason=request.POST.get("reason", "")[:200],
        ),
        "已记录出席情况",
        attendance.meeting.get_absolute_url(),
    )


@require_POST
@permission_required("alliances.change")
def meeting_hold(request, pk):
    meeting = _meeting_for_change(request, pk)
    form = MinutesForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写会议纪要")
        return redirect(meeting)
    return act(
        request,
        lambda: services.hold_meeting(
            actor=request.user,
            meeting=meeting,
            minutes=form.cleaned_data["minutes"],
            chair=form.cleaned_data["chair"],
            version=request.POST.get("version") or None,
        ),
        "会议纪要已保存",
        meeting.get_absolute_url(),
    )


@permission_required("alliances.change")
def meeting_decide(request, pk):
    meeting = _meeting_for_change(request, pk)
    form = TaskDecisionForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.decide(actor=request.user, meeting=meeting, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "议定事项已交办")
            return redirect(meeting)
    return render(
        request,
        "alliances/form.html",
        {"form": form, "title": f"议定事项：{meeting.title}", "submit": "交办"},
        status=400 if form.errors else 200,
    )


@permission_required("alliances.view")
def meeting_ics(request, pk):
    meeting = get_visible_or_404(Meeting.objects, request.user, pk=pk)
    return _ics_response([meeting], f"meeting-{meeting.pk}.ics")


def _ics_response(meetings, filename):
    response = HttpResponse(
        services.ics(meetings), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _my_meetings(user):
    ids = Attendance.objects.filter(user=user).values("meeting_id")
    return (
        Meeting.objects.filter(pk__in=ids)
        .exclude(status=MeetingStatus.CANCELLED)
        .order_by("starts_at")
    )


@permission_required("alliances.view")
def my_meetings(request):
    """The meetings I am invited to (phone): upcoming first, a calendar file."""
    now = timezone.now()
    rows = _my_meetings(request.user)
    return render(
        request,
        "alliances/my_meetings.html",
        {
            "upcoming": rows.filter(ends_at__gte=now),
            "past": rows.filter(ends_at__lt=now).order_by("-starts_at")[:10],
        },
    )


@permission_required("alliances.view")
def my_meetings_ics(request):
    since = timezone.now() - timedelta(days=30)
    return _ics_response(
        list(_my_meetings(request.user).filter(ends_at__gte=since)), "my-meetings.ics"
    )


@permission_required("alliances.view")
def task_list(request):
    rows = Task.objects.visible_to(request.user).select_related(
        "owner_unit", "owner_department", "meeting", "place"
    )
    filters = TaskFilter(request.GET or None, queryset=rows)
    return render_page(
        request,
        "alliances/task_list.html",
        {
            "page": paginate(request, filters.qs),
            "filter": filters,
            "query": query_without_page(request),
            "today": timezone.localdate(),
        },
        partial="alliances/partials/task_rows.html",
    )


@permission_required("alliances.view")
def my_tasks(request):
    """Tasks named for me or my unit/department (phone)."""
    rows = (
        Task.objects.visible_to(request.user, "report")
        .open()
        .select_related("owner_unit", "owner_department", "meeting")
    )
    mine = Task.objects.open().filter(owner_user=request.user)
    return render(
        request,
        "alliances/my_tasks.html",
        {
            "tasks": (rows | mine).distinct().order_by("due_on", "pk")[:100],
            "today": timezone.localdate(),
        },
    )


@permission_required("alliances.view")
def task_detail(request, pk):
    task = get_visible_or_404(
        Task.objects.select_related("owner_unit", "owner_department", "meeting"),
        request.user,
        pk=pk,
    )
    form = ProgressForm(request.POST or None, initial={"progress": task.progress})
    may_report = services.may_report(request.user, task)
    if request.method == "POST" and may_report and form.is_valid():
        try:
            services.report_progress(
                actor=request.user,
                task=task,
                version=request.POST.get("version") or None,
                **form.cleaned_data,
            )
        except (ValidationError, PermissionDenied) as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "进展已报告")
            return redirect(task)
    return render(
        request,
        "alliances/task_detail.html",
        {
            "task": task,
            "reports": task.reports.all(),
            "form": form,
            "may_report": may_report,
            "today": timezone.localdate(),
        },
        status=400 if form.errors else 200,
    )
