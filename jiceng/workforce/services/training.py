"""Courses with attendance, and 导师帮带 pairs with monthly notes."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from jiceng.core import audit
from jiceng.core.models import AuditAction
from jiceng.core.scope import can, require_in_scope

from ..models import Attendance, Course, MentorNote, Mentorship
from .common import MANAGE, require_covers


@transaction.atomic
def create_course(*, actor, place, kind, title, held_on, hours=2, organiser=""):
    require_covers(actor, place, MANAGE)
    course = Course.objects.create(
        place=place,
        kind=kind,
        title=title.strip(),
        held_on=held_on,
        hours=hours,
        organiser=organiser,
    )
    audit.record(actor=actor, action=AuditAction.CREATE, target=course)
    return course


@transaction.atomic
def mark_attendance(*, actor, course, present_ids, roll_ids):
    """Record who of the roll came: present_ids ⊆ roll_ids (worker ids)."""
    require_in_scope(course, actor, "manage")
    from ..models import Worker

    roll = Worker.objects.visible_to(actor, "manage").filter(pk__in=roll_ids)
    if roll.count() != len(set(roll_ids)):
        raise PermissionDenied("名单中有不在您管理范围内的人员")
    present = set(map(int, present_ids))
    for worker in roll:
        Attendance.objects.update_or_create(
            course=course, worker=worker, defaults={"present": worker.pk in present}
        )
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=course,
        changes={"出勤": [None, f"{len(present)}/{len(roll_ids)}"]},
    )
    return course


@transaction.atomic
def pair_mentor(*, actor, mentor, mentee, starts_on, ends_on):
    for worker in (mentor, mentee):
        require_in_scope(worker, actor, "manage")
    if mentor.pk == mentee.pk:
        raise ValidationError({"mentor": "导师不能是本人"})
    if ends_on <= starts_on:
        raise ValidationError({"ends_on": "结束日期须晚于开始日期"})
    pair = Mentorship.objects.create(
        mentor=mentor, mentee=mentee, starts_on=starts_on, ends_on=ends_on
    )
    audit.record(actor=actor, action=AuditAction.CREATE, target=pair)
    return pair


@transaction.atomic
def write_note(*, actor, mentorship, month, text):
    """The month's note, by the mentor, the mentee or their managers."""
    own = {mentorship.mentor.user_id, mentorship.mentee.user_id} - {None}
    if actor.pk not in own and not can(actor, mentorship, "manage"):
        raise PermissionDenied("只有导师、学员或社区可以填写帮带记录")
    if not text.strip():
        raise ValidationError({"text": "请填写帮带记录"})
    month = month.replace(day=1)
    note, created = MentorNote.objects.update_or_create(
        mentorship=mentorship, month=month, defaults={"text": text.strip()}
    )
    audit.record(
        actor=actor,
        action=AuditAction.CREATE if created else AuditAction.UPDATE,
        target=mentorship,
        changes={f"{month:%Y-%m}": [None, text.strip()[:100]]},
    )
    return note
