"""议题: raise (phone, desk, from a case or a 微心愿), grade, and each grade's own
procedure up to 已决议; then execution tasks, the report back and satisfaction.

Each step is one function that locks the topic, checks the step table
(workflow.py) and the grade's required records, saves, writes the topic's history
and an audit row, and tells the raiser.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from jiceng.cases import workdays
from jiceng.core import audit
from jiceng.core.models import AuditAction
from jiceng.core.roles import Role
from jiceng.core.scope import (
    can,
    covers,
    grants_for,
    require_in_scope,
    require_permission,
    user_roles,
)
from jiceng.places.models import PlaceKind

from .. import workflow as wf
from ..errors import Code
from ..models import (
    MAJOR_BODIES,
    Consultation,
    ExecutionTask,
    Objection,
    PollStatus,
    RaisedBy,
    Source,
    TaskStatus,
    Topic,
    UrgentDecision,
)
from .common import bad_state, community_of, is_user, log_step, take_step

TOPIC_PLACE_KINDS = (
    PlaceKind.COMMUNITY,
    PlaceKind.GRID,
    PlaceKind.COMPOUND,
    PlaceKind.BUILDING,
)

ROLE_RAISER = {
    Role.GRID_WORKER: RaisedBy.GRID_WORKER,
    Role.BUILDING_LEAD: RaisedBy.BUILDING_LEAD,
    Role.UNIT_ORG: RaisedBy.UNIT,
    Role.COMMUNITY_SECRETARY: RaisedBy.COMMUNITY,
    Role.COMMUNITY_STAFF: RaisedBy.COMMUNITY,
    Role.STREET_ADMIN: RaisedBy.COMMUNITY,
    Role.DISTRICT_ADMIN: RaisedBy.COMMUNITY,
}


def places_for_raising(actor):
    """Where the actor may raise a topic: their own area, or where they live."""
    from jiceng.places.models import Place

    lived = []
    for path in _home_paths(actor):
        lived += Place.lineage_paths(path)
    rows = Place.objects.filter(kind__in=TOPIC_PLACE_KINDS)
    staff = rows.visible_to(actor).filter(kind__in=TOPIC_PLACE_KINDS)
    return (rows.filter(path__in=lived) | staff).distinct().order_by("path")


def _home_paths(actor):
    """Where the actor lives, and where the units they act for stand."""
    from jiceng.people.models import Resident, Unit

    if not is_user(actor):
        return []
    paths = list(
        Resident.objects.filter(user=actor).values_list("place__path", flat=True)
    )
    units = [
        g.unit_id
        for g in grants_for(actor)
        if g.unit_id and g.allows("deliberation.raise")
    ]
    if units:
        paths += Unit.objects.filter(pk__in=units, place__isnull=False).values_list(
            "place__path", flat=True
        )
    return paths


def _may_raise_at(actor, place):
    """Staff in their own area; residents and units where they live or stand."""
    if covers(actor, place, "deliberation.raise"):
        return True
    return any(path.startswith(place.path) for path in _home_paths(actor))


def _raiser_kind(actor):
    roles = user_roles(actor)
    for role, kind in ROLE_RAISER.items():
        if role in roles:
            return kind
    resident = getattr(actor, "resident", None)
    if resident is not None and hasattr(resident, "party_member"):
        return RaisedBy.MEMBER
    return RaisedBy.RESIDENT


@transaction.atomic
def raise_topic(
    *,
    actor,
    place,
    title,
    description,
    source=Source.PHONE,
    raiser_name="",
    raised_by_kind="",
    case=None,
    wish=None,
):
    """Raise a topic about a community, grid, compound or building.

    Residents and members raise topics about where they live; grid workers,
    building leads, units and the community about their own area. At the desk
    (窗口登记) the community records a resident's topic in their name.
    """
    require_permission(actor, "deliberation.raise")
    if place.kind not in TOPIC_PLACE_KINDS:
        raise ValidationError({"place": "请选择社区、网格、小区或楼栋"})
    if not _may_raise_at(actor, place):
        raise PermissionDenied("只能就本人居住地或本人负责的辖区提出议题")
    title, description = (title or "").strip(), (description or "").strip()
    if len(title) < 4:
        raise ValidationError({"title": "请填写议题（至少4个字）"})
    if len(description) < 4:
        raise ValidationError({"description": "请说明具体内容（至少4个字）"})
    resident = getattr(actor, "resident", None)
    name = (raiser_name or "").strip()
    if source != Source.DESK or not name:
        name = (
            name
            or (resident.name if resident else actor.get_full_name())
            or (actor.get_username())
        )
    topic = Topic.objects.create(
        community=community_of(place),
        place=place,
        title=title[:100],
        description=description,
        source=source,
        raised_by=None if source == Source.DESK else actor,
        raiser_name=name[:50],
        raised_by_kind=raised_by_kind or _raiser_kind(actor),
        case=case,
        wish=wish,
    )
    log_step(
        topic,
        "raise",
        f"{Source(source).label}提出议题，等待社区定级",
        actor,
        changes={"source": source},
        tell_raiser=False,
    )
    require_in_scope(topic, actor, "view")
    return topic


def topic_from_case(*, actor, case, title=""):
    """Turn a case into a topic (its place's grid, its description)."""
    if not can(actor, case, "view"):
        raise PermissionDenied("事件不在您的权限范围内")
    place = case.place
    if place.kind not in TOPIC_PLACE_KINDS:
        place = place.ancestor_of_kind(PlaceKind.GRID) or community_of(place)
    return raise_topic(
        actor=actor,
        place=place,
        title=title or f"事件{case.number}：{case.description[:40]}",
        description=case.description,
        source=Source.CASE,
        raiser_name=case.reporter_name or "",
        case=case,
    )


def topic_from_wish(*, actor, wish, title=""):
    """Turn a 微心愿 into a topic (a wish that needs the community's decision)."""
    if not can(actor, wish, "view"):
        raise PermissionDenied("心愿不在您的权限范围内")
    place = wish.place
    if place.kind not in TOPIC_PLACE_KINDS:
        for kind in (PlaceKind.BUILDING, PlaceKind.COMPOUND, PlaceKind.GRID):
            found = place.ancestor_of_kind(kind)
            if found is not None:
                place = found
                break
    return raise_topic(
        actor=actor,
        place=place,
        title=title or f"微心愿：{wish.title}",
        description=wish.story or wish.title,
        source=Source.WISH,
        raiser_name=wish.alias,
        wish=wish,
    )


@transaction.atomic
def grade_topic(*, actor, topic, grade, reason="", now=None, version=None):
    """The community grades a topic 大事, 小事 or 急事 (and may re-grade it before
    any meeting, consultation or decision has taken it up)."""
    from jiceng.core.errors import check_version

    now = now or timezone.now()
    topic = take_step(topic, wf.GRADE, actor)
    check_version(topic, version)
    if grade not in wf.Grade.values:
        raise ValidationError({"grade": "请选择大事、小事或急事"})
    topic.grade = grade
    topic.grade_reason = (reason or "")[:200]
    topic.graded_at = now
    topic.status = wf.Status.GRADED
    topic.urgent_due = now + wf.URGENT_LIMIT if grade == wf.Grade.URGENT else None
    topic.version += 1
    topic.save()
    procedure = {
        wf.Grade.MAJOR: "将提交居民议事会（或三方联动）协商表决，结果公示后实施",
        wf.Grade.MINOR: "由网格（楼栋）组织协商议定",
        wf.Grade.URGENT: "由社区两委在24小时内急议决定，并提请下次会议追认",
    }[wf.Grade(grade)]
    log_step(
        topic,
        "grade",
        f"社区定为“{topic.get_grade_display()}”：{procedure}",
        actor,
        changes={"grade": grade},
    )
    return topic


@transaction.atomic
def decline_topic(*, actor, topic, reason):
    if not (reason or "").strip():
        raise ValidationError({"reason": "请说明不予立项的理由"})
    topic = take_step(topic, wf.DECLINE, actor)
    topic.status = wf.Status.DECLINED
    topic.decision = reason.strip()
    topic.version += 1
    topic.save()
    log_step(topic, "decline", f"不予立项：{reason.strip()}", actor)
    return topic


@transaction.atomic
def settle_minor(*, actor, topic, held_on, venue, participants, outcome, now=None):
    """小事小议: the grid or building records the consultation that settles it."""
    now = now or timezone.now()
    topic = take_step(topic, wf.CONSULT, actor)
    for field, value in (
        ("venue", venue),
        ("participants", participants),
        ("outcome", outcome),
    ):
        if not (value or "").strip():
            raise ValidationError({field: "请填写协商记录"})
    Consultation.objects.create(
        topic=topic,
        held_on=held_on,
        venue=venue.strip()[:100],
        participants=participants.strip(),
        outcome=outcome.strip(),
        recorded_by=actor,
    )
    topic.status = wf.Status.DECIDED
    topic.decision = outcome.strip()
    topic.decided_at = now
    topic.version += 1
    topic.save()
    log_step(topic, "consult", f"小事小议，协商议定：{outcome.strip()[:80]}", actor)
    return topic


@transaction.atomic
def decide_urgent(*, actor, topic, attendees, decision, now=None):
    """急事急议: the 两委 decide within 24 hours of grading; later, the topic must
    be re-graded and go through the ordinary procedure."""
    now = now or timezone.now()
    topic = take_step(topic, wf.DECIDE_URGENT, actor)
    if not (attendees or "").strip() or not (decision or "").strip():
        raise ValidationError("请填写参加急议的两委成员和决定内容")
    if topic.urgent_due is None or now > topic.urgent_due:
        raise ValidationError(
            "已超过急事急议的24小时时限，请重新定级后按程序办理", code=Code.LATE
        )
    UrgentDecision.objects.create(
        topic=topic,
        attendees=attendees.strip(),
        decision=decision.strip(),
        decided_by=actor,
        decided_at=now,
    )
    topic.status = wf.Status.DECIDED
    topic.decision = decision.strip()
    topic.decided_at = now
    topic.version += 1
    topic.save()
    log_step(
        topic, "decide_urgent", f"社区两委急议决定：{decision.strip()[:80]}", actor
    )
    return topic


def missing_major_steps(topic, now):
    """What a 大事 still lacks before it may be decided (empty: nothing)."""
    missing = []
    quorate = topic.discussions.filter(
        meeting__quorate=True, meeting__body__kind__in=MAJOR_BODIES
    )
    if not quorate.exists():
        missing.append("未经达到法定人数的居民议事会（三方联动、联席会）协商")
    poll = getattr(topic, "poll", None)
    if poll is None or poll.status != PollStatus.CLOSED:
        missing.append("未完成表决")
    elif not poll.passed:
        missing.append("表决未通过")
    if topic.publicity_starts is None:
        missing.append("表决结果未公示")
    elif now < topic.publicity_ends:
        missing.append(
            f"公示期至{timezone.localtime(topic.publicity_ends):%Y-%m-%d %H:%M}止"
        )
    if topic.objections.filter(answered_at__isnull=True).exists():
        missing.append("公示期内的异议尚未答复")
    return missing


@transaction.atomic
def decide_major(*, actor, topic, decision="", now=None):
    """大事: once the 公示 period is over and every objection is answered, the
    resolution stands (已决议)."""
    now = now or timezone.now()
    topic = take_step(topic, wf.DECIDE, actor)
    missing = missing_major_steps(topic, now)
    if missing:
        raise ValidationError("；".join(missing), code=Code.PROCEDURE)
    topic.status = wf.Status.DECIDED
    topic.decision = (decision or "").strip() or topic.decision
    topic.decided_at = now
    topic.version += 1
    topic.save()
    log_step(topic, "decide", "公示期满无异议（异议已答复），形成决议", actor)
    return topic


@transaction.atomic
def raise_objection(*, actor, topic, name, text, contact="", now=None):
    """Anyone may object during the 公示 period (the public page's channel)."""
    now = now or timezone.now()
    topic = Topic.objects.select_for_update().get(pk=topic.pk)
    if topic.status != wf.Status.PUBLICITY or now > topic.publicity_ends:
        raise bad_state("该议题不在公示期内")
    if not (name or "").strip() or len((text or "").strip()) < 4:
        raise ValidationError("请填写姓名和异议内容（至少4个字）")
    objection = Objection.objects.create(
        topic=topic,
        name=name.strip()[:50],
        contact=(contact or "").strip()[:50],
        text=text.strip(),
        user=actor if is_user(actor) else None,
    )
    log_step(
        topic,
        "object",
        f"公示期内收到异议（{objection.name}）",
        actor,
        tell_raiser=False,
    )
    return objection


@transaction.atomic
def answer_objection(*, actor, objection, answer, now=None):
    now = now or timezone.now()
    topic = take_step(objection.topic, wf.ANSWER_OBJECTION, actor)
    objection = Objection.objects.select_for_update().get(pk=objection.pk)
    if objection.answered_at is not None:
        raise bad_state("该异议已答复")
    if not (answer or "").strip():
        raise ValidationError({"answer": "请填写答复"})
    objection.answer, objection.answered_at = answer.strip(), now
    objection.save()
    log_step(topic, "answer_objection", f"答复异议（{objection.name}）", actor)
    return objection


@transaction.atomic
def confirm_urgent(*, actor, topic, meeting):
    """The next meeting confirms (追认) the 两委's urgent decision."""
    topic = take_step(topic, wf.CONFIRM_URGENT, actor)
    if topic.confirmed_at_meeting_id:
        raise bad_state("该急事已经追认")
    if not meeting.quorate or meeting.community_id != topic.community_id:
        raise ValidationError(
            "须在本社区达到法定人数的会议上追认", code=Code.NOT_QUORATE
        )
    topic.confirmed_at_meeting = meeting
    topic.version += 1
    topic.save()
    log_step(topic, "confirm_urgent", f"经{meeting}追认", actor)
    return topic


@transaction.atomic
def start_execution(*, actor, topic, tasks):
    """Split the resolution into tasks (title, owner, due) and start carrying it out."""
    topic = take_step(topic, wf.EXECUTE, actor)
    tasks = [t for t in tasks if (t.get("title") or "").strip()]
    if not tasks:
        raise ValidationError("请至少填写一项执行任务")
    for task in tasks:
        ExecutionTask.objects.create(
            topic=topic,
            title=task["title"].strip()[:100],
            owner=(task.get("owner") or "社区").strip()[:100],
            due_on=task.get("due_on"),
        )
    topic.status = wf.Status.EXECUTING
    topic.version += 1
    topic.save()
    names = "、".join(t["title"].strip() for t in tasks)
    log_step(topic, "execute", f"决议开始执行：{names[:100]}", actor)
    return topic


@transaction.atomic
def hand_task_to_cases(*, actor, task, category):
    """Hand an execution task to the case loop (dispatch, handle, verify)."""
    from jiceng.cases.models import Channel
    from jiceng.cases.services.intake import report_case

    topic = take_step(task.topic, wf.FINISH, actor)  # while executing, by managers
    if task.case_id:
        raise bad_state("该任务已转为事件")
    case = report_case(
        actor=actor,
        category=category,
        description=f"议事决议执行：{task.title}（议题：{topic.title}）",
        channel=Channel.PATROL,
        place=topic.place,
    )
    task.case = case
    task.save(update_fields=["case"])
    log_step(topic, "task_case", f"任务“{task.title}”转为事件{case.number}办理", actor)
    return case


@transaction.atomic
def finish_task(*, actor, task, result, now=None):
    now = now or timezone.now()
    topic = take_step(task.topic, wf.FINISH, actor)
    task = ExecutionTask.objects.select_for_update().get(pk=task.pk)
    if task.status == TaskStatus.DONE:
        raise bad_state("该任务已完成")
    task.status, task.result, task.done_at = TaskStatus.DONE, (result or "")[:300], now
    task.save()
    log_step(topic, "task_done", f"任务“{task.title}”已完成：{task.result}", actor)
    return task


@transaction.atomic
def finish_topic(*, actor, topic, report_back, now=None):
    """All tasks done: report back to the raiser and close the topic (办结)."""
    now = now or timezone.now()
    topic = take_step(topic, wf.FINISH, actor)
    if topic.tasks.exclude(status=TaskStatus.DONE).exists():
        raise bad_state("还有未完成的执行任务")
    if topic.tasks.filter(case__isnull=False).exclude(case__status="closed").exists():
        raise bad_state("转办的事件尚未结案")
    if topic.grade == wf.Grade.URGENT and not topic.confirmed_at_meeting_id:
        raise ValidationError("急事须经会议追认后才能办结", code=Code.PROCEDURE)
    if not (report_back or "").strip():
        raise ValidationError({"report_back": "请填写办理结果"})
    topic.status = wf.Status.DONE
    topic.report_back = report_back.strip()
    topic.done_at = now
    topic.version += 1
    topic.save()
    log_step(topic, "finish", f"已办结：{topic.report_back[:100]}", actor)
    return topic


@transaction.atomic
def rate_topic(*, actor, topic, satisfaction, note=""):
    """The raiser rates the outcome (1–5)."""
    topic = Topic.objects.select_for_update().get(pk=topic.pk)
    if topic.raised_by_id != getattr(actor, "pk", None):
        raise PermissionDenied("只有提出人可以评价")
    if topic.status != wf.Status.DONE:
        raise bad_state("议题办结后才能评价")
    if topic.satisfaction is not None:
        raise bad_state("已经评价过了")
    if not 1 <= int(satisfaction) <= 5:
        raise ValidationError({"satisfaction": "请选择1至5分"})
    topic.satisfaction = int(satisfaction)
    topic.satisfaction_note = (note or "").strip()[:200]
    topic.save(update_fields=["satisfaction", "satisfaction_note"])
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=topic,
        changes={"satisfaction": topic.satisfaction},
    )
    return topic


def publicity_end(start):
    """The 公示 period: PUBLICITY_DAYS working days after start (working-day clock)."""
    return workdays.add_working_days(start, wf.PUBLICITY_DAYS)
