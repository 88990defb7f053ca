"""A rectification row due tomorrow reminds its owner department the day before,
once a day however often the daily command runs."""

from datetime import timedelta

import pytest
from django.utils import timezone

from jiceng.assessment.models import Problem
from jiceng.core.models import Department
from jiceng.notices import reminders
from jiceng.notices.models import NoticeKind, Notification

pytestmark = pytest.mark.django_db


def test_owners_hear_of_tomorrows_deadline_once(people):
    # given two open rows of the city-management department: one due tomorrow
    department = Department.objects.get(code="CGJ")
    today = timezone.localdate()
    place = people["bumen"].assignments.first().place or (
        people["jiedao"].assignments.first().place
    )
    due = Problem.objects.create(
        place=place,
        description="占道经营未清理",
        owner_department=department,
        owner_name="城管中队",
        deadline=today + timedelta(days=1),
    )
    Problem.objects.create(
        place=place,
        description="围挡破损",
        owner_department=department,
        owner_name="城管中队",
        deadline=today + timedelta(days=5),
    )
    # when the daily reminders run twice
    reminders.run_all(today)
    reminders.run_all(today)
    # then bumen (who works for the department) has one reminder, for the first
    notes = Notification.objects.filter(user=people["bumen"], kind=NoticeKind.TASK_DUE)
    [note] = notes
    assert "占道经营" in note.message and note.url == due.get_absolute_url()
    assert not Notification.objects.filter(
        user=people["wangge"], kind=NoticeKind.TASK_DUE
    ).exists()
