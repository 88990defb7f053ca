"""Named people for deliberation: shuji (community secretary of the demo's first
community), shegong (its staff), wangge (a grid worker there), dangyuan (a member
living there, with a household), jiedao2 / wangge2 (the other street)."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from jiceng.core.models import Assignment
from jiceng.deliberation import services
from jiceng.deliberation.models import BodyKind, Side
from jiceng.places.models import PlaceKind


@pytest.fixture
def community(people):
    return Assignment.objects.get(user=people["shuji"]).place


@pytest.fixture
def other_grid(people):
    return Assignment.objects.get(user=people["wangge2"]).place


@pytest.fixture
def home(people):
    """dangyuan's resident record (their dwelling and household)."""
    return people["dangyuan"].resident


@pytest.fixture
def building(home):
    return home.place.ancestor_of_kind(PlaceKind.BUILDING)


@pytest.fixture
def council(people, community):
    """A 居民议事会 of five members in office (quorum: 2/3 present)."""
    body = services.create_body(
        actor=people["shuji"],
        community=community,
        kind=BodyKind.COUNCIL,
        name="幸福社区居民议事会",
    )
    for name in ["王一", "李二", "张三", "赵四", "钱五"]:
        services.add_member(
            actor=people["shuji"],
            body=body,
            name=name,
            side=Side.RESIDENTS,
            term_start=date(2024, 1, 1),
            term_end=date(2028, 12, 31),
        )
    return body


def hold_meeting(actor, body, *, present):
    """A meeting of body held now with the first `present` members attending."""
    meeting = services.call_meeting(
        actor=actor,
        body=body,
        title=f"{body.name}会议",
        starts_at=timezone.now() - timedelta(hours=1),
        venue="党群服务中心",
        notice="请准时参加",
    )
    members = list(body.members.order_by("pk"))[:present]
    return services.record_meeting(
        actor=actor,
        meeting=meeting,
        present=[m.pk for m in members],
        minutes="会议讨论了议题",
    )


@pytest.fixture
def held_meeting(people, council):
    return hold_meeting(people["shuji"], council, present=4)
