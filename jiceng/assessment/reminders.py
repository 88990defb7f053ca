"""Rectification ledger rows due tomorrow: their owners hear of it the day before
(registered with notices.reminders; run by `manage.py send_digest`)."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db.models import Q

from jiceng.core.models import Assignment
from jiceng.notices.models import NoticeKind
from jiceng.notices.services import notify_once_today

from .models.supervision import OPEN_PROBLEM, Problem


def owners(problem):
    """Active accounts of the owner department or unit (none when only a name)."""
    reach = Q()
    if problem.owner_department_id:
        reach |= Q(department_id=problem.owner_department_id)
    if problem.owner_unit_id:
        reach |= Q(unit_id=problem.owner_unit_id)
    if not reach:
        return []
    ids = Assignment.objects.filter(reach, active=True).values("user_id")
    return list(get_user_model().objects.filter(pk__in=ids, is_active=True))


def problems_due_tomorrow(today):
    told = 0
    tomorrow = today + timedelta(days=1)
    for problem in Problem.objects.filter(
        status__in=OPEN_PROBLEM, deadline=tomorrow
    ).iterator():
        told += notify_once_today(
            owners(problem),
            f"整改事项“{problem.description[:30]}”明天（{tomorrow:%m月%d日}）到期，"
            "请按时整改并上传佐证",
            problem.get_absolute_url(),
            kind=NoticeKind.TASK_DUE,
        )
    return told
