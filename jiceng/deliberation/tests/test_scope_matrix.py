"""Deliberation joins the shared scope matrix: topics (residents see their own
compound's and community's), meetings and bodies (the community's side), disputes
and 排查 rounds (mediators and the community only), compound records."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from jiceng.core.testing import Surface, scope_matrix
from jiceng.deliberation import services
from jiceng.deliberation.models import (
    Body,
    CompoundProfile,
    Dispute,
    Meeting,
    ScreeningRound,
    Topic,
)
from jiceng.places.models import Place, PlaceKind

SURFACES = [
    Surface(
        Topic,
        list_url="/deliberation/topics/",
        detail_url=lambda t: f"/deliberation/topics/{t.pk}/",
        api_list="/api/v1/topics/",
        api_detail=lambda t: f"/api/v1/topics/{t.pk}",
    ),
    Surface(
        Meeting,
        list_url="/deliberation/meetings/",
        detail_url=lambda m: f"/deliberation/meetings/{m.pk}/",
        permission="deliberation.manage",
    ),
    Surface(
        Body,
        detail_url=lambda b: f"/deliberation/bodies/{b.pk}/",
        permission="deliberation.manage",
    ),
    Surface(
        Dispute,
        list_url="/deliberation/disputes/",
        detail_url=lambda d: f"/deliberation/disputes/{d.pk}/",
        api_list="/api/v1/disputes/",
        api_detail=lambda d: f"/api/v1/disputes/{d.pk}",
        permission="deliberation.mediate",
    ),
    Surface(
        ScreeningRound,
        list_url="/deliberation/screenings/",
        permission="deliberation.mediate",
    ),
    Surface(
        CompoundProfile,
        list_url="/deliberation/compounds/",
        detail_url=lambda p: f"/deliberation/compounds/{p.pk}/",
    ),
]

test_scope_matrix = scope_matrix(SURFACES)


@pytest.fixture(autouse=True)
def another_street(people, other_grid):
    """Rows in the other street too, so that every role has rows outside its scope."""
    admin, worker = people["jiedao2"], people["wangge2"]
    community = other_grid.ancestor_of_kind(PlaceKind.COMMUNITY)
    topic = services.raise_topic(
        actor=worker, place=other_grid, title="二街道的议题", description="路灯不亮"
    )
    services.grade_topic(actor=admin, topic=topic, grade="minor")
    body = services.create_body(
        actor=admin, community=community, kind="council", name="和谐社区居民议事会"
    )
    services.call_meeting(
        actor=admin,
        body=body,
        title="二街道议事会",
        starts_at=timezone.now() + timedelta(days=1),
        venue="会议室",
        notice="通知",
    )
    screening = services.record_screening(
        actor=worker,
        grid=other_grid,
        period_start=date(2026, 1, 1),
        period_end=date(2026, 1, 31),
        households_visited=40,
    )
    services.register_dispute(
        actor=worker,
        grid=other_grid,
        kind="family",
        summary="家庭赡养纠纷",
        parties=[{"name": "刘某"}],
        mediator_kind="grid_worker",
        mediator_name="网格员",
        screening=screening,
    )
    compound = Place.objects.filter(
        path__startswith=other_grid.path, kind=PlaceKind.COMPOUND
    ).first()
    services.save_profile(actor=admin, compound=compound, kind="scattered")


@pytest.mark.django_db
def test_residents_see_their_own_area_and_mediation_is_closed_to_them(
    people, other_grid
):
    dangyuan = people["dangyuan"]
    home = dangyuan.resident.place
    seen = Topic.objects.visible_to(dangyuan)
    assert seen.exists()
    for topic in seen:
        assert home.path.startswith(topic.place.path) or topic.raised_by == dangyuan
    assert not seen.filter(place=other_grid).exists()
    assert not Dispute.objects.visible_to(dangyuan).exists()
    assert not Dispute.objects.visible_to(people["loudong"]).exists()
    assert not Dispute.objects.visible_to(people["wuye"]).exists()
    assert Dispute.objects.visible_to(people["shuji"]).exists()
