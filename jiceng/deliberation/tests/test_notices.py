"""Residents with an account who live where a vote is held hear it has opened."""

from datetime import timedelta

import pytest
from django.utils import timezone

from jiceng.deliberation import services
from jiceng.deliberation.rules import Rule
from jiceng.notices.models import NoticeKind, Notification

pytestmark = pytest.mark.django_db


def test_electors_hear_the_vote_is_open(
    people, held_meeting, building, django_capture_on_commit_callbacks
):
    # given a major topic for dangyuan's building, discussed at a quorate meeting
    shuji = people["shuji"]
    topic = services.raise_topic(
        actor=people["dangyuan"],
        place=building,
        title="加装电梯",
        description="老人上下楼不便",
    )
    services.grade_topic(actor=shuji, topic=topic, grade="major")
    services.discuss_topic(actor=shuji, meeting=held_meeting, topic=topic, summary="可")
    # when the secretary opens the vote
    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        services.open_poll(
            actor=shuji,
            topic=topic,
            unit="household",
            rule=Rule.SIMPLE,
            opens_at=now,
            closes_at=now + timedelta(days=3),
        )
    # then dangyuan, who lives there, is told; a grid worker elsewhere is not
    votes = Notification.objects.filter(
        kind=NoticeKind.VOTE_OPEN, url=topic.get_absolute_url()
    )
    [note] = votes.filter(user=people["dangyuan"])
    assert "加装电梯" in note.message and note.url == topic.get_absolute_url()
    assert not votes.filter(user__in=[shuji, people["wangge2"]]).exists()
