"""The procedure: no topic reaches 已决议 without its grade's required steps.

A 大事 needs a quorate meeting, a passed vote with its result published and the
公示 period over with objections answered; a 小事 a recorded consultation; an 急事
the 两委's decision within 24 hours. Hypothesis drives random sequences of every
step (in any order, at any time) and checks the invariant after each.
"""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jiceng.deliberation import services
from jiceng.deliberation import workflow as wf
from jiceng.deliberation.models import (
    Consultation,
    Poll,
    PollStatus,
    TopicEvent,
    UrgentDecision,
)
from jiceng.deliberation.rules import Rule
from jiceng.deliberation.tests.conftest import hold_meeting
from jiceng.notices.models import Notification

ACTIONS = [
    "grade_major",
    "grade_minor",
    "grade_urgent",
    "consult",
    "urgent",
    "discuss_quorate",
    "discuss_inquorate",
    "open_poll",
    "vote_yes",
    "close",
    "decide",
    "object",
    "answer",
    "wait_hours",
    "wait_days",
    "execute",
    "decline",
]


def satisfied(topic, now):
    """Independent check of what the topic's grade requires once decided."""
    if topic.grade == wf.Grade.MINOR:
        return Consultation.objects.filter(topic=topic).exists()
    if topic.grade == wf.Grade.URGENT:
        decision = UrgentDecision.objects.filter(topic=topic).first()
        return (
            decision is not None
            and decision.decided_at - topic.graded_at <= timedelta(hours=24)
        )
    if topic.grade == wf.Grade.MAJOR:
        poll = getattr(topic, "poll", None)
        return (
            topic.discussions.filter(
                meeting__quorate=True, meeting__body__kind="council"
            ).exists()
            and poll is not None
            and poll.status == PollStatus.CLOSED
            and poll.passed
            and topic.publicity_ends is not None
            and topic.decided_at >= topic.publicity_ends
            and not topic.objections.filter(answered_at__isnull=True).exists()
        )
    return False


def run(action, ctx):
    people, topic, now = ctx["people"], ctx["topic"], ctx["now"]
    shuji = people["shuji"]
    if action.startswith("grade_"):
        services.grade_topic(actor=shuji, topic=topic, grade=action[6:], now=now)
    elif action == "consult":
        services.settle_minor(
            actor=people["wangge"],
            topic=topic,
            held_on=date(2026, 3, 1),
            venue="楼下",
            participants="住户",
            outcome="同意修理",
            now=now,
        )
    elif action == "urgent":
        services.decide_urgent(
            actor=shuji,
            topic=topic,
            attendees="书记、主任",
            decision="立即抢修",
            now=now,
        )
    elif action in ("discuss_quorate", "discuss_inquorate"):
        present = 4 if action == "discuss_quorate" else 2
        meeting = hold_meeting(shuji, ctx["council"], present=present)
        services.discuss_topic(
            actor=shuji, meeting=meeting, topic=topic, summary="讨论"
        )
    elif action == "open_poll":
        services.open_poll(
            actor=shuji,
            topic=topic,
            unit="household",
            rule=Rule.SIMPLE,
            opens_at=now - timedelta(minutes=1),
            closes_at=now + timedelta(hours=2),
        )
    elif action == "vote_yes":
        poll = Poll.objects.filter(topic=topic).first()
        if poll is None:
            return
        for elector in poll.electors.all():
            try:
                services.enter_vote(
                    actor=shuji, topic=topic, elector=elector, choice="同意", now=now
                )
            except ValidationError:
                pass
    elif action == "close":
        services.close_poll(actor=shuji, topic=topic, now=now)
    elif action == "decide":
        services.decide_major(actor=shuji, topic=topic, now=now)
    elif action == "object":
        services.raise_objection(
            actor=people["dangyuan"], topic=topic, name="李", text="有不同意见", now=now
        )
    elif action == "answer":
        for objection in topic.objections.filter(answered_at__isnull=True):
            services.answer_objection(
                actor=shuji, objection=objection, answer="已解释", now=now
            )
    elif action == "wait_hours":
        ctx["now"] = now + timedelta(hours=13)
    elif action == "wait_days":
        ctx["now"] = now + timedelta(days=4)
    elif action == "execute":
        services.start_execution(
            actor=shuji, topic=topic, tasks=[{"title": "施工", "owner": "物业"}]
        )
    elif action == "decline":
        services.decline_topic(actor=shuji, topic=topic, reason="不属于议事范围")


@pytest.mark.django_db
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(actions=st.lists(st.sampled_from(ACTIONS), min_size=1, max_size=14))
def test_no_topic_is_decided_without_its_grades_steps(
    actions, people, council, building
):
    # given a topic raised about dangyuan's building
    from django.db import transaction

    with transaction.atomic():
        sid = transaction.savepoint()
        topic = services.raise_topic(
            actor=people["dangyuan"],
            place=building,
            title="加装电梯的议题",
            description="楼里老人多，希望加装电梯",
        )
        ctx = {"people": people, "topic": topic, "council": council}
        ctx["now"] = timezone.now()
        # when any sequence of steps is attempted
        for action in actions:
            try:
                with transaction.atomic():
                    run(action, ctx)
            except (ValidationError, PermissionDenied):
                pass
            topic.refresh_from_db()
            # then a decided topic has every step its grade requires
            if topic.status in wf.DECIDED_STATUSES:
                assert satisfied(topic, ctx["now"]), (actions, topic.grade)
        transaction.savepoint_rollback(sid)


@pytest.mark.django_db
def test_a_major_topic_goes_through_meeting_vote_publicity_and_execution(
    people, council, building, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        topic = _major_story(people, council, building)
    # the raiser was told at each step
    told = Notification.objects.filter(
        user=people["dangyuan"], url=topic.get_absolute_url()
    )
    assert told.count() >= 7


def _major_story(people, council, building):
    shuji, dangyuan = people["shuji"], people["dangyuan"]
    # given a 大事 raised by a resident and graded by the community
    topic = services.raise_topic(
        actor=dangyuan, place=building, title="楼道加装电梯", description="老人上下楼难"
    )
    now = timezone.now()
    services.grade_topic(actor=shuji, topic=topic, grade="major", now=now)
    # then deciding it straight away is refused
    with pytest.raises(ValidationError):
        services.decide_major(actor=shuji, topic=topic, now=now)
    # when a meeting without quorum discusses it, it is not yet 已上会
    inquorate = hold_meeting(shuji, council, present=3)  # 3/5 < 2/3
    services.discuss_topic(actor=shuji, meeting=inquorate, topic=topic, summary="讨论")
    topic.refresh_from_db()
    assert topic.status == wf.Status.GRADED
    # and a quorate one does
    quorate = hold_meeting(shuji, council, present=4)  # 4/5 ≥ 2/3
    services.discuss_topic(actor=shuji, meeting=quorate, topic=topic, summary="讨论")
    topic.refresh_from_db()
    assert topic.status == wf.Status.DELIBERATED
    poll = services.open_poll(
        actor=shuji,
        topic=topic,
        unit="household",
        rule=Rule.SIMPLE,
        opens_at=now - timedelta(minutes=1),
        closes_at=now + timedelta(days=1),
    )
    # the resident's household votes on the phone
    ballot = services.cast_vote(actor=dangyuan, topic=topic, choice="同意")
    for elector in poll.electors.exclude(household=dangyuan.resident.household):
        services.enter_vote(actor=shuji, topic=topic, elector=elector, choice="同意")
    services.close_poll(actor=shuji, topic=topic)
    topic.refresh_from_db()
    assert topic.status == wf.Status.PUBLICITY
    assert ballot.receipt in dict(services.receipts(poll))
    # an objection in the 公示 period holds the decision until answered
    services.raise_objection(actor=None, topic=topic, name="张", text="施工噪音问题")
    late = topic.publicity_ends + timedelta(minutes=1)
    with pytest.raises(ValidationError):
        services.decide_major(actor=shuji, topic=topic, now=late)
    services.answer_objection(
        actor=shuji, objection=topic.objections.get(), answer="限定施工时间"
    )
    services.decide_major(actor=shuji, topic=topic, now=late)
    services.start_execution(
        actor=shuji, topic=topic, tasks=[{"title": "招标施工", "owner": "社区"}]
    )
    services.finish_task(actor=shuji, task=topic.tasks.get(), result="已完工")
    services.finish_topic(actor=shuji, topic=topic, report_back="电梯已投用")
    services.rate_topic(actor=dangyuan, topic=topic, satisfaction=5)
    topic.refresh_from_db()
    assert (topic.status, topic.satisfaction) == (wf.Status.DONE, 5)
    assert TopicEvent.objects.filter(topic=topic).count() >= 10
    return topic


@pytest.mark.django_db
def test_an_urgent_topic_is_decided_within_24_hours_and_confirmed(
    people, held_meeting, building
):
    shuji = people["shuji"]
    topic = services.raise_topic(
        actor=people["wangge"],
        place=building,
        title="楼顶漏水抢修",
        description="暴雨后漏水严重",
    )
    graded = timezone.now()
    services.grade_topic(actor=shuji, topic=topic, grade="urgent", now=graded)
    # then after 24 hours the 两委 can no longer fast-track it
    with pytest.raises(ValidationError) as late:
        services.decide_urgent(
            actor=shuji,
            topic=topic,
            attendees="书记",
            decision="抢修",
            now=graded + timedelta(hours=24, minutes=1),
        )
    assert late.value.code == "late"
    services.decide_urgent(
        actor=shuji, topic=topic, attendees="书记、主任", decision="抢修", now=graded
    )
    services.start_execution(actor=shuji, topic=topic, tasks=[{"title": "抢修"}])
    services.finish_task(actor=shuji, task=topic.tasks.get(), result="已修")
    # and it cannot be closed before a meeting confirms it
    with pytest.raises(ValidationError):
        services.finish_topic(actor=shuji, topic=topic, report_back="已修好")
    services.confirm_urgent(actor=shuji, topic=topic, meeting=held_meeting)
    services.finish_topic(actor=shuji, topic=topic, report_back="已修好")
