"""Joint meetings: a decision becomes a task with an owner and a due date, the
owner reports progress to done, and what is not done — overdue first — is on the
next meeting's agenda automatically."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from jiceng.alliances.models import (
    AgendaKind,
    Meeting,
    MeetingKind,
    MeetingSeries,
    MeetingStatus,
    Task,
    TaskStatus,
)
from jiceng.alliances.services import meetings as services
from jiceng.core.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def series(people, street):
    return services.create_series(
        actor=people["jiedao"],
        place=street,
        title="街道联席会议",
        kind=MeetingKind.JOINT,
        cadence="monthly",
        first_on=timezone.localdate() - timedelta(days=40),
    )


def test_meetings_are_scheduled_by_cadence(people, series):
    made = services.schedule_series(
        actor=people["jiedao"],
        series=series,
        until=timezone.localdate() + timedelta(days=100),
    )
    days = [timezone.localdate(m.starts_at) for m in made]
    assert len(made) == 5
    assert all(later.day == days[0].day or later.day >= 28 for later in days)
    # scheduling again adds nothing
    again = services.schedule_series(
        actor=people["jiedao"],
        series=series,
        until=timezone.localdate() + timedelta(days=100),
    )
    assert again == []


def test_a_decision_becomes_a_task_and_an_overdue_one_is_on_the_next_agenda(
    people, series, unit
):
    jiedao = people["jiedao"]
    first, second = services.schedule_series(
        actor=jiedao, series=series, until=timezone.localdate() + timedelta(days=10)
    )[:2]
    # when the first meeting decides something due before the second
    task = services.decide(
        actor=jiedao,
        meeting=first,
        title="清理楼道堆物",
        due_on=timezone.localdate(first.starts_at) + timedelta(days=3),
        owner_unit=unit,
    )
    # then it is a task owned by the unit, tracked and audited
    assert task.status == TaskStatus.OPEN and task.owner_unit == unit
    assert AuditEntry.objects.filter(
        target_type="alliances.task", target_id=str(task.pk)
    ).exists()
    # and the second meeting's agenda lists it as overdue
    services.draw_agenda(second)
    items = list(second.agenda.all())
    assert [(i.kind, i.task_id) for i in items] == [(AgendaKind.OVERDUE, task.pk)]


def test_the_owner_reports_progress_to_done_and_it_leaves_the_agenda(
    people, series, unit
):
    jiedao = people["jiedao"]
    first, second = services.schedule_series(
        actor=jiedao, series=series, until=timezone.localdate() + timedelta(days=10)
    )[:2]
    task = services.decide(
        actor=jiedao,
        meeting=first,
        title="开放停车位",
        due_on=timezone.localdate() + timedelta(days=30),
        owner_unit=unit,
    )
    # another street's admin may not report on it
    with pytest.raises(PermissionDenied):
        services.report_progress(
            actor=people["jiedao2"], task=task, progress=50, note="x"
        )
    services.report_progress(
        actor=people["danwei"], task=task, progress=40, note="已协调"
    )
    task.refresh_from_db()
    assert task.status == TaskStatus.IN_PROGRESS and task.progress == 40
    services.draw_agenda(second)
    assert second.agenda.filter(kind=AgendaKind.OPEN_TASK, task=task).exists()
    services.report_progress(
        actor=people["danwei"], task=task, progress=100, note="已开放", version=1
    )
    task.refresh_from_db()
    assert task.status == TaskStatus.DONE and task.done_at is not None
    services.draw_agenda(second)
    assert not second.agenda.filter(task=task).exists()


def test_attendance_needs_a_reason_for_absence(people, series):
    meeting = services.schedule_series(
        actor=people["jiedao"],
        series=series,
        until=timezone.localdate(),
    )[0]
    attendance = services.invite(actor=people["jiedao"], meeting=meeting, name="张三")
    with pytest.raises(ValidationError):
        services.record_attendance(
            actor=people["jiedao"], attendance=attendance, present=False
        )
    services.record_attendance(
        actor=people["jiedao"], attendance=attendance, present=False, reason="出差"
    )
    attendance.refresh_from_db()
    assert attendance.absence_reason == "出差"


def test_minutes_mark_the_meeting_held(people, series, client_for):
    meeting = services.schedule_series(
        actor=people["jiedao"], series=series, until=timezone.localdate()
    )[0]
    response = client_for("jiedao").post(
        f"/alliances/meetings/{meeting.pk}/hold/",
        {"minutes": "研究了停车问题", "chair": "轮值主席", "version": meeting.version},
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.HELD


def test_the_demo_meetings_have_tasks_in_every_state():
    demo = MeetingSeries.objects.get(title="党建联盟联席会议")
    held = Meeting.objects.filter(series=demo, status=MeetingStatus.HELD)
    assert held.count() == 2
    tasks = Task.objects.filter(meeting__in=held)
    assert set(tasks.values_list("status", flat=True)) == set(TaskStatus.values)
    assert tasks.overdue().exists()
    upcoming = Meeting.objects.filter(series=demo, status=MeetingStatus.SCHEDULED)
    assert upcoming.filter(agenda__kind=AgendaKind.OVERDUE).exists()


def test_my_meetings_download_as_a_calendar_file(client_for):
    client = client_for("danwei")
    page = client.get("/alliances/me/meetings/")
    assert page.status_code == 200
    ics = client.get("/alliances/me/meetings.ics")
    assert ics.status_code == 200
    body = ics.content.decode()
    assert body.startswith("BEGIN:VCALENDAR") and "BEGIN:VEVENT" in body
    assert "SUMMARY:党建联盟联席会议" in body


def test_my_tasks_list_what_my_unit_owns(client_for, unit):
    response = client_for("danwei").get("/alliances/me/tasks/")
    assert response.status_code == 200
    shown = list(response.context["tasks"])
    assert shown and all(t.owner_unit_id == unit.pk for t in shown)


def test_tasks_api_lists_items_and_count(api_for):
    body = api_for("jiedao").get("/api/v1/tasks/").json()
    assert body["count"] == len(body["items"]) > 0
    overdue = api_for("jiedao").get("/api/v1/tasks/", {"status": "overdue"}).json()
    assert overdue["count"] >= 1 and all(t["overdue"] for t in overdue["items"])


def test_the_monthly_command_schedules_every_series(series):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("schedule_meetings", stdout=out)
    assert Meeting.objects.filter(series=series).count() >= 6
    again = StringIO()
    call_command("schedule_meetings", stdout=again)
    assert "已排期：0 次会议" in again.getvalue()
