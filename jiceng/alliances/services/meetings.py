"""Joint meetings: scheduling by cadence, the agenda drawn from open and overdue
tasks, attendance, minutes; decisions become tasks tracked to done, and every
task not done is carried onto the next meeting's agenda."""

from datetime import UTC, datetime, time, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from jiceng.core import audit
from jiceng.core.errors import check_version
from jiceng.core.models import AuditAction
from jiceng.core.months import add_months
from jiceng.core.scope import can, require_in_scope, require_place_in_scope

from ..errors import Code, bad_state
from ..models import (
    CADENCE_MONTHS,
    AgendaItem,
    AgendaKind,
    Attendance,
    AttendanceStatus,
    Meeting,
    MeetingStatus,
    Task,
    TaskReport,
    TaskStatus,
)
from .common import CHANGE, aware

REPORT = "alliances.report"


@transaction.atomic
def create_series(*, actor, place, **fields):
    from ..models import MeetingSeries

    require_place_in_scope(place, actor, CHANGE)
    series = MeetingSeries.objects.create(place=place, **fields)
    audit.record(actor=actor, action=AuditAction.CREATE, target=series)
    return series


def _create_meeting(actor, *, place, title, kind, starts_at, ends_at, **fields):
    meeting = Meeting.objects.create(
        place=place,
        title=title,
        kind=kind,
        starts_at=starts_at,
        ends_at=ends_at,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        **fields,
    )
    audit.record(actor=actor, action=AuditAction.CREATE, target=meeting)
    draw_agenda(meeting)
    return meeting


@transaction.atomic
def schedule_meeting(*, actor, place, title, kind, starts_at, ends_at, **fields):
    """Call one meeting (the agenda is drawn at once)."""
    require_place_in_scope(place, actor, CHANGE)
    starts_at, ends_at = aware(starts_at, "starts_at"), aware(ends_at, "ends_at")
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": "结束时间须晚于开始时间"}, code=Code.INVALID)
    return _create_meeting(
        actor,
        place=place,
        title=title,
        kind=kind,
        starts_at=starts_at,
        ends_at=ends_at,
        **fields,
    )


def series_dates(series, until):
    """The days a series meets from its first day up to until, by its cadence."""
    step = CADENCE_MONTHS[series.cadence]
    day, n = series.first_on, 0
    while day <= until:
        yield day
        n += 1
        day = add_months(series.first_on, step * n)


@transaction.atomic
def schedule_series(*, actor, series, until):
    """Create the series' meetings up to until that do not exist yet."""
    require_in_scope(series, actor, "change")
    return plan_series(actor=actor, series=series, until=until)


def plan_series(*, actor, series, until):
    """schedule_series without the scope check, for the system's monthly command."""
    have = {
        timezone.localdate(m.starts_at) for m in Meeting.objects.filter(series=series)
    }
    made = []
    for day in series_dates(series, until):
        if day in have:
            continue
        start = timezone.make_aware(datetime.combine(day, time(series.hour)))
        made.append(
            _create_meeting(
                actor,
                place=series.place,
                title=f"{series.title}（{day:%Y年%m月}）",
                kind=series.kind,
                starts_at=start,
                ends_at=start + timedelta(hours=2),
                series=series,
                alliance=series.alliance,
                location=series.location,
            )
        )
    return made


def carried_tasks(meeting, today=None):
    """Tasks not done that this meeting reports on, overdue first: those decided at
    earlier meetings of its series (or, outside a series, of its place) and those
    set outside any meeting before it."""
    today = today or timezone.localdate(meeting.starts_at)
    earlier = Q(meeting__starts_at__lt=meeting.starts_at) | Q(
        meeting__isnull=True, created_at__lt=meeting.starts_at
    )
    rows = Task.objects.open().filter(earlier).exclude(meeting=meeting)
    if meeting.series_id:
        rows = rows.filter(series_id=meeting.series_id)
    else:
        rows = rows.filter(place=meeting.place, series__isnull=True)
    rows = list(rows.order_by("due_on", "pk"))
    overdue = [t for t in rows if t.due_on < today]
    others = [t for t in rows if t.due_on >= today]
    return overdue, others


def draw_agenda(meeting):
    """Rebuild the task part of a scheduled meeting's agenda (topics are kept)."""
    if meeting.status != MeetingStatus.SCHEDULED:
        return
    AgendaItem.objects.filter(meeting=meeting).exclude(kind=AgendaKind.TOPIC).delete()
    overdue, others = carried_tasks(meeting)
    topics = list(meeting.agenda.filter(kind=AgendaKind.TOPIC))
    order = 1
    rows = []
    for kind, tasks in ((AgendaKind.OVERDUE, overdue), (AgendaKind.OPEN_TASK, others)):
        for task in tasks:
            rows.append(
                AgendaItem(
                    meeting=meeting, order=order, kind=kind, title=task.title, task=task
                )
            )
            order += 1
    AgendaItem.objects.bulk_create(rows)
    for topic in topics:
        topic.order = order
        order += 1
    AgendaItem.objects.bulk_update(topics, ["order"])


@transaction.atomic
def add_topic(*, actor, meeting, title):
    require_in_scope(meeting, actor, "change")
    if meeting.status != MeetingStatus.SCHEDULED:
        raise bad_state("会议已召开或已取消")
    last = meeting.agenda.order_by("-order").first()
    item = AgendaItem.objects.create(
        meeting=meeting,
        order=(last.order + 1) if last else 1,
        kind=AgendaKind.TOPIC,
        title=title.strip()[:200],
    )
    audit.record(actor=actor, action=AuditAction.CREATE, target=item)
    return item


@transaction.atomic
def invite(*, actor, meeting, name, user=None, unit=None, department=None):
    require_in_scope(meeting, actor, "change")
    attendance = Attendance.objects.create(
        meeting=meeting, name=name, user=user, unit=unit, department=department
    )
    audit.record(actor=actor, action=AuditAction.CREATE, target=attendance)
    return attendance


@transaction.atomic
def record_attendance(*, actor, attendance, present, reason=""):
    require_in_scope(attendance.meeting, actor, "change")
    reason = (reason or "").strip()
    if not present and not reason:
        raise ValidationError({"absence_reason": "请填写缺席原因"}, code=Code.INVALID)
    attendance.status = AttendanceStatus.PRESENT if present else AttendanceStatus.ABSENT
    attendance.absence_reason = "" if present else reason[:200]
    attendance.save()
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=attendance,
        changes={"status": attendance.status, "reason": attendance.absence_reason},
    )
    return attendance


@transaction.atomic
def hold_meeting(*, actor, meeting, minutes, chair="", version=None):
    """Record that the meeting took place, with its minutes."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    require_in_scope(meeting, actor, "change")
    check_version(meeting, version)
    if meeting.status != MeetingStatus.SCHEDULED:
        raise bad_state("会议已召开或已取消")
    if not (minutes or "").strip():
        raise ValidationError({"minutes": "请填写会议纪要"}, code=Code.INVALID)
    meeting.status, meeting.minutes = MeetingStatus.HELD, minutes.strip()
    meeting.chair = chair or meeting.chair
    meeting.version += 1
    meeting.save()
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=meeting,
        changes={"status": "held"},
    )
    return meeting


@transaction.atomic
def decide(
    *,
    actor,
    meeting,
    title,
    due_on,
    owner_unit=None,
    owner_department=None,
    owner_user=None,
    owner_name="",
    detail="",
    tag="",
):
    """A meeting's decision becomes a task with an owner and a due date."""
    require_in_scope(meeting, actor, "change")
    if not (owner_unit or owner_department or owner_user or owner_name):
        raise ValidationError(
            {"owner_unit": "请指定责任单位、责任部门或责任人"}, code=Code.INVALID
        )
    task = Task.objects.create(
        title=title.strip()[:200],
        detail=detail,
        tag=tag,
        place=meeting.place,
        meeting=meeting,
        series=meeting.series,
        owner_unit=owner_unit,
        owner_department=owner_department,
        owner_user=owner_user,
        owner_name=owner_name or (str(owner_user) if owner_user else ""),
        due_on=due_on,
        created_by=actor,
    )
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        target=task,
        changes={"meeting": meeting.pk, "due_on": str(due_on)},
    )
    return task


@transaction.atomic
def create_task(*, actor, place, title, due_on, **fields):
    """A task outside a meeting (from a visit, an agreement review, …)."""
    require_place_in_scope(place, actor, CHANGE)
    task = Task.objects.create(
        place=place,
        title=title.strip()[:200],
        due_on=due_on,
        created_by=actor,
        **fields,
    )
    audit.record(actor=actor, action=AuditAction.CREATE, target=task)
    return task


def may_report(actor, task):
    """The owner unit, department or person, or the convening office."""
    return (
        (task.owner_user_id is not None and task.owner_user_id == actor.pk)
        or can(actor, task, "report")
        or can(actor, task, "change")
    )


@transaction.atomic
def report_progress(*, actor, task, progress, note, version=None, now=None):
    """The owner reports progress; 100% closes the task (办结)."""
    task = Task.objects.select_for_update().get(pk=task.pk)
    if not may_report(actor, task):
        raise PermissionDenied("只有责任单位、责任人或召集方可以报告进展")
    check_version(task, version)
    if task.status not in (TaskStatus.OPEN, TaskStatus.IN_PROGRESS):
        raise bad_state("该事项已办结或已撤销")
    progress = int(progress)
    if not 0 <= progress <= 100:
        raise ValidationError({"progress": "进度为0–100"}, code=Code.INVALID)
    if not (note or "").strip():
        raise ValidationError({"note": "请填写进展情况"}, code=Code.INVALID)
    now = now or timezone.now()
    TaskReport.objects.create(
        task=task,
        progress=progress,
        note=note.strip()[:300],
        by=actor,
        by_name=str(actor),
        at=now,
    )
    task.progress = max(task.progress, progress)
    if progress >= 100:
        task.status, task.done_at = TaskStatus.DONE, now
    else:
        task.status = TaskStatus.IN_PROGRESS
    task.version += 1
    task.save()
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=task,
        changes={"progress": task.progress, "status": task.status},
    )
    return task


@transaction.atomic
def cancel_task(*, actor, task, reason):
    task = Task.objects.select_for_update().get(pk=task.pk)
    require_in_scope(task, actor, "change")
    if task.status not in (TaskStatus.OPEN, TaskStatus.IN_PROGRESS):
        raise bad_state("该事项已办结或已撤销")
    task.status = TaskStatus.CANCELLED
    task.version += 1
    task.save()
    TaskReport.objects.create(
        task=task,
        progress=task.progress,
        note=f"撤销：{reason}"[:300],
        by=actor,
        by_name=str(actor),
    )
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=task,
        changes={"status": task.status, "reason": reason},
    )
    return task


def ics(meetings, *, name="我的会议"):
    """An iCalendar file (RFC 5545) of meetings, for a phone's calendar."""

    def esc(text):
        return (
            str(text or "")
            .replace("\\", "\\\\")
            .replace(";", r"\;")
            .replace(",", r"\,")
            .replace("\n", r"\n")
        )

    def stamp(value):
        return value.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")

    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//jiceng//alliances//ZH",
        "CALSCALE:GREGORIAN",
        f"X-WR-CALNAME:{esc(name)}",
    ]
    now = timezone.now()
    for m in meetings:
        lines += [
            "BEGIN:VEVENT",
            f"UID:meeting-{m.pk}@jiceng",
            f"DTSTAMP:{stamp(now)}",
            f"DTSTART:{stamp(m.starts_at)}",
            f"DTEND:{stamp(m.ends_at)}",
            f"SUMMARY:{esc(m.title)}",
            f"LOCATION:{esc(m.location)}",
            f"DESCRIPTION:{esc(m.get_kind_display())}",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "\r\n".join(lines) + "\r\n"
