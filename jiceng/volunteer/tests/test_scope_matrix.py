"""Volunteering joins the shared scope matrix: every scoped model's list page, detail
page and API agree with Model.objects.visible_to for each demo role.

Rows shown inside another row's page (service records, reports and evaluations on
a registration's page, ledger entries on a volunteer's) use that page as their
detail: their Scope reaches the same places, units and owners as the parent's, so
the parent opens exactly when the row is in scope. Models no page lists on its own
(sign-ups, claims, redemptions) are registered for the coverage test with the
surfaces they have.
"""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from jiceng.core.scope import has_permission
from jiceng.core.testing import DEMO_USERNAMES, Surface, page_count, scope_matrix
from jiceng.volunteer import services
from jiceng.volunteer.models import (
    Activity,
    AnnualEvaluation,
    HoursStatus,
    MallItem,
    Match,
    MemberRegistration,
    Need,
    PointsEntry,
    Project,
    QuarterlyReport,
    Redemption,
    Resource,
    ServiceHours,
    Signup,
    Team,
    ThemePlan,
    UnitRegistration,
    UnitServiceRecord,
    Volunteer,
    Wish,
    WishClaim,
)

API = "/api/v1/volunteer"


def member_page(registration_id):
    return f"/volunteer/registrations/member/{registration_id}/"


SURFACES = [
    Surface(
        UnitRegistration,
        list_url="/volunteer/registrations/?kind=unit",
        detail_url=lambda r: f"/volunteer/registrations/unit/{r.pk}/",
        api_list=f"{API}/registrations/unit/",
        api_detail=lambda r: f"{API}/registrations/unit/{r.pk}",
    ),
    Surface(
        MemberRegistration,
        list_url="/volunteer/registrations/",
        detail_url=lambda r: member_page(r.pk),
        api_list=f"{API}/registrations/member/",
        api_detail=lambda r: f"{API}/registrations/member/{r.pk}",
    ),
    Surface(
        UnitServiceRecord,
        detail_url=lambda s: f"/volunteer/registrations/unit/{s.registration_id}/",
    ),
    Surface(QuarterlyReport, detail_url=lambda q: member_page(q.registration_id)),
    Surface(AnnualEvaluation, detail_url=lambda e: member_page(e.registration_id)),
    Surface(
        Activity,
        list_url="/volunteer/activities/",
        detail_url=lambda a: f"/volunteer/activities/{a.pk}/",
        api_list=f"{API}/activities/",
        api_detail=lambda a: f"{API}/activities/{a.pk}",
    ),
    Surface(Signup),
    Surface(ThemePlan, list_url="/volunteer/themes/"),
    Surface(
        Team,
        list_url="/volunteer/teams/",
        detail_url=lambda t: f"/volunteer/teams/{t.pk}/",
    ),
    Surface(
        ServiceHours,
        list_url=f"/volunteer/hours/?status={HoursStatus.PENDING}",
        rows=lambda: ServiceHours.objects.filter(status=HoursStatus.PENDING),
    ),
    Surface(ServiceHours, api_list=f"{API}/hours/"),
    Surface(
        Volunteer,
        list_url="/volunteer/volunteers/",
        detail_url=lambda v: f"/volunteer/volunteers/{v.pk}/",
        api_list=f"{API}/volunteers/",
        api_detail=lambda v: f"{API}/volunteers/{v.pk}",
    ),
    Surface(
        Volunteer,
        detail_url=lambda v: f"/volunteer/volunteers/{v.pk}/certificate.pdf",
    ),
    Surface(
        PointsEntry,
        detail_url=lambda e: f"/volunteer/volunteers/{e.volunteer_id}/",
        api_detail=lambda e: f"{API}/volunteers/{e.volunteer_id}/ledger",
    ),
    Surface(MallItem, list_url="/volunteer/mall/", api_list=f"{API}/mall/"),
    Surface(Redemption),
    Surface(
        Wish,
        detail_url=lambda w: f"/volunteer/wishes/{w.pk}/",
        api_list=f"{API}/wishes/",
        api_detail=lambda w: f"{API}/wishes/{w.pk}",
    ),
    Surface(WishClaim),
    Surface(Need, list_url="/volunteer/needs/", api_list=f"{API}/needs/"),
    Surface(Resource, list_url="/volunteer/resources/", api_list=f"{API}/resources/"),
    Surface(
        Match,
        list_url="/volunteer/matches/",
        rows=lambda: Match.objects.suggestions(),
        permission="volunteer.manage",
    ),
    Surface(Match, api_list=f"{API}/matches/"),
    Surface(
        Project,
        list_url="/volunteer/projects/",
        detail_url=lambda p: f"/volunteer/projects/{p.pk}/",
        api_list=f"{API}/projects/",
        api_detail=lambda p: f"{API}/projects/{p.pk}",
    ),
    # the edit pages open exactly the rows the user may manage
    Surface(
        Activity,
        detail_url=lambda a: f"/volunteer/activities/{a.pk}/edit/",
        action="manage",
        permission="volunteer.manage",
    ),
    Surface(
        Need,
        detail_url=lambda n: f"/volunteer/needs/{n.pk}/edit/",
        action="manage",
        permission="volunteer.manage",
    ),
    # the community's own resources (whoever offered one may also edit theirs)
    Surface(
        Resource,
        detail_url=lambda r: f"/volunteer/resources/{r.pk}/edit/",
        rows=lambda: Resource.objects.filter(unit=None, volunteer=None),
        action="manage",
    ),
]

test_scope_matrix = scope_matrix(SURFACES)


@pytest.fixture(autouse=True)
def another_street(people, other_community, other_grid, registered):
    """Rows in the second street beside the demo's first community, so that every
    role has rows outside its scope too; and an annual evaluation (the demo has
    none)."""
    admin = people["jiedao2"]
    start = timezone.now() + timedelta(days=2)
    services.publish_activity(
        actor=admin,
        community=other_community,
        title="二街道义诊",
        venue="社区卫生站",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        capacity=5,
    )
    services.create_team(
        actor=admin, community=other_community, name="二街道服务队", kind="volunteer"
    )
    services.create_theme_plan(
        actor=admin, community=other_community, year=2020, month=1, theme="学习"
    )
    need = services.add_need(actor=admin, community=other_community, title="助餐")
    services.create_project(
        actor=admin, community=other_community, title="长者食堂", needs=[need]
    )
    MallItem.objects.create(
        community=other_community, name="雨伞", kind="goods", points=5, stock=2
    )
    services.collect_wish(
        actor=people["wangge2"],
        place=other_grid,
        title="想要一台收音机",
        category="living",
        alias="刘奶奶",
        consent=True,
    )
    services.evaluate_member(
        actor=people["shuji"], registration=registered, year=2024, grade="qualified"
    )


# The staff wish register sends members and units to the public wall instead (the
# 微心愿 menu entry leads them there), which core.testing's Surface cannot say: the
# matrix above checks the wish pages and API, this test the register itself.
@pytest.mark.django_db
@pytest.mark.parametrize("username", DEMO_USERNAMES)
def test_wish_register_lists_what_scope_shows_or_sends_to_the_wall(
    username, client_for
):
    # given a demo account
    user = get_user_model().objects.get(username=username)
    # when it opens the wish register
    response = client_for(username).get("/volunteer/wishes/")
    # then staff see exactly their wishes, joiners the wall, the rest a refusal
    if not has_permission(user, "volunteer.view"):
        assert response.status_code == 403
    elif has_permission(user, "volunteer.manage") or has_permission(
        user, "volunteer.collect"
    ):
        assert response.status_code == 200
        assert page_count(response) == Wish.objects.visible_to(user).count()
    else:
        assert response.status_code == 302
        assert response["Location"] == "/volunteer/wall/"
