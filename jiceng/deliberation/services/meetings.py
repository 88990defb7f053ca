"""Bodies and their members, meetings (notice → attendance and minutes), and the
topics discussed with each side's position; a quorate meeting of a 大事 body takes
a 大事 to 已上会."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from jiceng.core import audit
from jiceng.core.errors import check_version
from jiceng.core.models import AuditAction
from jiceng.core.scope import can, covers, require_in_scope
from jiceng.notices.models import NoticeKind
from jiceng.notices.services import notify
from jiceng.places.models import PlaceKind

from .. import workflow as wf
from ..errors import Code
from ..models import (
    MAJOR_BODIES,
    TRIPARTITE_SIDES,
    Attendance,
    Body,
    BodyKind,
    BodyMember,
    Discussion,
    Meeting,
    MeetingStatus,
    Position,
    Side,
    Topic,
)
from .common import bad_state, log_step, take_step

MANAGE = "deliberation.manage"


@transaction.atomic
def create_body(*, actor, community, kind, name, compound=None, quorum=(2, 3)):
    if community.kind != PlaceKind.COMMUNITY:
        raise ValidationError({"community": "请选择社区"})
    if not covers(actor, community, MANAGE):
        raise PermissionDenied("该社区不在您的权限范围内")
    if compound is not None and not compound.path.startswith(community.path):
        raise ValidationError({"compound": "小区不在该社区内"})
    numerator, denominator = quorum
    if not 0 < numerator <= denominator:
        raise ValidationError("法定人数比例无效")
    body = Body.objects.create(
        community=community,
        compound=compound,
        kind=kind,
        name=(name or BodyKind(kind).label).strip()[:100],
        quorum_numerator=numerator,
        quorum_denominator=denominator,
    )
    audit.record(actor=actor, action=AuditAction.CREATE, target=body)
    require_in_scope(body, actor, "manage")
    return body


@transaction.atomic
def add_member(
    *, actor, body, name, side, term_start, term_end=None, position="", user=None
):
    require_in_scope(body, actor, "manage")
    if not (name or "").strip():
        raise ValidationError({"name": "请填写姓名"})
    if term_end is not None and term_end < term_start:
        raise ValidationError({"term_end": "任期结束不能早于开始"})
    member = BodyMember.objects.create(
        body=body,
        name=name.strip()[:50],
        side=side,
        position=(position or "").strip()[:30],
        term_start=term_start,
        term_end=term_end,
        user=user,
    )
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=body,
        changes={"member_added": member.name, "term_start": str(term_start)},
    )
    return member


@transaction.atomic
def call_meeting(*, actor, body, title, starts_at, venue, notice):
    """Send the meeting notice to the members in office (those with accounts)."""
    require_in_scope(body, actor, "manage")
    if not (title or "").strip() or not (notice or "").strip():
        raise ValidationError("请填写会议名称和会议通知")
    meeting = Meeting.objects.create(
        body=body,
        community=body.community,
        title=title.strip()[:100],
        starts_at=starts_at,
        venue=(venue or "").strip()[:100],
        notice=notice.strip(),
        created_by=actor,
    )
    audit.record(actor=actor, action=AuditAction.CREATE, target=meeting)
    users = [
        m.user
        for m in body.members_on(timezone.localdate(starts_at)).select_related("user")
    ]
    local = timezone.localtime(starts_at)
    message = f"会议通知：{meeting.title}，{local:%m月%d日 %H:%M}在{meeting.venue}召开"
    url = meeting.get_absolute_url()
    transaction.on_commit(
        lambda: notify(users, message, url, exclude=actor, kind=NoticeKind.MEETING)
    )
    return meeting


def quorum_of(body, present_members, day):
    """(in office, present, quorate) for a body's meeting on day."""
    in_office = list(body.members_on(day))
    present = [m for m in in_office if m.pk in present_members]
    if not in_office:
        return 0, 0, False
    quorate = len(present) * body.quorum_denominator >= (
        len(in_office) * body.quorum_numerator
    )
    if body.kind == BodyKind.TRIPARTITE:
        sides = {m.side for m in present}
        quorate = quorate and all(s in sides for s in TRIPARTITE_SIDES)
    return len(in_office), len(present), quorate


@transaction.atomic
def record_meeting(*, actor, meeting, present, minutes, held_at=None, version=None):
    """Record who attended and the minutes; the quorum is fixed as of that day.

    present: ids of the members present. A 三方联动 meeting is quorate only with
    the community, the owners' committee and the property company all present.
    """
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    check_version(meeting, version)
    require_in_scope(meeting, actor, "manage")
    if meeting.status != MeetingStatus.NOTIFIED:
        raise bad_state("会议已记录或已取消")
    if not (minutes or "").strip():
        raise ValidationError({"minutes": "请填写会议纪要"})
    held_at = held_at or timezone.now()
    day = timezone.localdate(held_at)
    present = {int(p) for p in present}
    in_office, count, quorate = quorum_of(meeting.body, present, day)
    Attendance.objects.bulk_create(
        [
            Attendance(meeting=meeting, member=m, present=m.pk in present)
            for m in meeting.body.members_on(day)
        ]
    )
    meeting.status = MeetingStatus.HELD
    meeting.minutes = minutes.strip()
    meeting.held_at = held_at
    meeting.members_in_office, meeting.members_present = in_office, count
    meeting.quorate = quorate
    meeting.version += 1
    meeting.save()
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=meeting,
        changes={"present": count, "in_office": in_office, "quorate": quorate},
    )
    return meeting


@transaction.atomic
def discuss_topic(*, actor, meeting, topic, summary, positions=()):
    """Record a topic's discussion at a held meeting with each side's position.

    A 大事 discussed at a quorate 居民议事会, 三方联动 or 联席会 is 已上会 and may go
    to a vote; a discussion elsewhere is recorded but does not count.
    """
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    topic = Topic.objects.get(pk=topic.pk)
    require_in_scope(meeting, actor, "manage")
    if meeting.status != MeetingStatus.HELD:
        raise bad_state("请先记录会议的出席情况和纪要")
    if not can(actor, topic, "manage") or topic.community_id != meeting.community_id:
        raise PermissionDenied("只能讨论本社区的议题")
    if not (summary or "").strip():
        raise ValidationError({"summary": "请填写讨论情况"})
    if Discussion.objects.filter(meeting=meeting, topic=topic).exists():
        raise bad_state("该议题已在本次会议讨论过")
    discussion = Discussion.objects.create(
        meeting=meeting, topic=topic, summary=summary.strip()
    )
    Position.objects.bulk_create(
        [
            Position(discussion=discussion, side=side, statement=text.strip()[:500])
            for side, text in positions
            if side in Side.values and (text or "").strip()
        ]
    )
    counts = meeting.quorate and meeting.body.kind in MAJOR_BODIES
    if topic.grade == wf.Grade.MAJOR and wf.allowed(wf.DISCUSS, topic.status, "major"):
        row = take_step(topic, wf.DISCUSS, actor)
        if counts:
            row.status = wf.Status.DELIBERATED
            row.version += 1
            row.save()
        note = "（会议未达到法定人数，本次讨论不作为上会依据）" if not counts else ""
        log_step(row, "discuss", f"提交{meeting}协商{note}", actor)
    else:
        log_step(topic, "discuss", f"在{meeting}上讨论", actor, tell_raiser=False)
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=meeting,
        changes={"discussed": topic.pk},
    )
    return discussion


def quorum_error():
    return ValidationError("会议未达到法定人数", code=Code.NOT_QUORATE)


def in_office_on(body, day: date):
    return body.members_on(day)
