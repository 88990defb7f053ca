"""Workforce joins the shared scope matrix: workers and their records (managers
their subtree, a worker their own), pay tables and salary sheets, recruitment,
training, mentors, grid teams and duties, patrols and visits (a grid worker their
own, the community its grids'), mobilisations and deployments."""

import pytest

from jiceng.core.testing import Surface, scope_matrix
from jiceng.workforce.models import (
    Assessment,
    Course,
    Deployment,
    DutyCheck,
    Mentorship,
    Mobilisation,
    Patrol,
    PayTable,
    RecruitmentRound,
    SalarySheet,
    TeamMember,
    Visit,
    Worker,
)

SURFACES = [
    Surface(
        Worker,
        list_url="/workforce/workers/",
        detail_url=lambda w: f"/workforce/workers/{w.pk}/",
        api_list="/api/v1/workers/",
        api_detail=lambda w: f"/api/v1/workers/{w.pk}",
    ),
    Surface(PayTable, list_url="/workforce/pay/", permission="workforce.manage"),
    Surface(
        SalarySheet,
        list_url="/workforce/sheets/",
        detail_url=lambda s: f"/workforce/sheets/{s.pk}/",
        permission="workforce.manage",
    ),
    Surface(
        RecruitmentRound,
        list_url="/workforce/rounds/",
        detail_url=lambda r: f"/workforce/rounds/{r.pk}/",
        permission="workforce.manage",
    ),
    Surface(Assessment, permission="workforce.manage"),
    Surface(
        Course,
        list_url="/workforce/courses/",
        detail_url=lambda c: f"/workforce/courses/{c.pk}/",
        permission="workforce.manage",
    ),
    Surface(
        Mentorship,
        list_url="/workforce/mentors/",
        detail_url=lambda m: f"/workforce/mentors/{m.pk}/",
    ),
    Surface(TeamMember, list_url="/workforce/directory/"),
    Surface(DutyCheck),
    Surface(
        Patrol,
        list_url="/workforce/patrols/",
        detail_url=lambda p: f"/workforce/patrols/{p.pk}/",
        api_list="/api/v1/patrols/",
        api_detail=lambda p: f"/api/v1/patrols/{p.pk}",
    ),
    Surface(
        Visit,
        list_url="/workforce/visits/",
        detail_url=lambda v: f"/workforce/visits/{v.pk}/",
        api_list="/api/v1/visits/",
        api_detail=lambda v: f"/api/v1/visits/{v.pk}",
    ),
    Surface(
        Mobilisation,
        list_url="/workforce/modes/",
        detail_url=lambda m: f"/workforce/modes/{m.pk}/",
        permission="workforce.manage",
    ),
    Surface(Deployment),
]

test_scope_matrix = scope_matrix(SURFACES)


@pytest.mark.django_db
def test_a_grid_worker_sees_their_own_patrols_and_visits_the_community_its_grids(
    people, community
):
    # given the demo week of patrols and visits by wangge and wangge2
    wangge, shuji = people["wangge"], people["shuji"]
    # then wangge sees exactly their own
    assert set(Patrol.objects.visible_to(wangge).values_list("user", flat=True)) == {
        wangge.pk
    }
    assert set(Visit.objects.visible_to(wangge).values_list("user", flat=True)) == {
        wangge.pk
    }
    # and the community secretary sees every visit in the community's grids only
    seen = Visit.objects.visible_to(shuji)
    assert seen.filter(user=wangge).count() == Visit.objects.filter(user=wangge).count()
    assert not seen.filter(user=people["wangge2"]).exists()
    for path in seen.values_list("grid__path", flat=True):
        assert path.startswith(community.path)
