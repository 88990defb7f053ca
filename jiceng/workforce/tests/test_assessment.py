"""The annual assessment from the case KPIs, visit coverage and ratings plus the
manager's score, on a worked example; its result drives the step-up list."""

from datetime import date

import pytest
from django.utils import timezone

from jiceng.cases.kpi import Figures
from jiceng.core.scope import path_prefix
from jiceng.people.models import Household
from jiceng.places.models import Place
from jiceng.workforce import services
from jiceng.workforce.models import Post
from jiceng.workforce.services import assessment

pytestmark = pytest.mark.django_db


def test_assessment_from_kpis_on_a_worked_example(people, community, monkeypatch):
    # given a grid worker on a grid nobody visited this year
    admin = people["quadmin"]
    grid = (
        Place.objects.filter(path_prefix(community.path), kind="grid")
        .order_by("-path")
        .first()
    )
    worker = services.hire_worker(
        actor=admin,
        community=community,
        name="考核样例",
        post=Post.STAFF,
        grade=2,
        hired_on=date(2020, 1, 1),
        grids=[grid],
    )
    from jiceng.workforce.models import Visit

    Visit.objects.filter(grid=grid).delete()
    households = list(
        Household.objects.filter(path_prefix(grid.path, "place__path")).order_by("pk")
    )
    # and a fifth of its households visited this year
    visited = households[: len(households) // 5]
    for household in visited:
        services.record_visit(actor=admin, household=household, kind="信息员")
    # and the grid's cases: 10 closed, 8 on time; 5 rated, 4 satisfied
    monkeypatch.setattr(
        assessment.kpi,
        "totals",
        lambda rows: Figures(closed=10, closed_on_time=8, rated=5, satisfied=4),
    )
    year = timezone.localdate().year
    # when the manager scores 90
    row = services.assess(actor=admin, worker=worker, year=year, manager_score=90)
    # then case 80 ×30% + coverage ×20% + rating 80 ×20% + 90 ×30%
    coverage = round(100 * len(visited) / len(households), 1)
    expected = round(0.3 * 80 + 0.2 * coverage + 0.2 * 80 + 0.3 * 90, 1)
    assert float(row.case_score) == 80.0
    assert float(row.patrol_score) == coverage
    assert float(row.rating_score) == 80.0
    assert float(row.total) == pytest.approx(expected, abs=0.05)
    assert row.grade == services.grade_for(row.total)
    assert row.basis["visited"] == len(visited)
    # and a manager score of 0 makes the same year 基本称职 or worse
    low = services.assess(actor=admin, worker=worker, year=year, manager_score=0)
    assert low.grade in ("basic", "incompetent")


@pytest.mark.parametrize(
    ("total", "grade"),
    [
        (95, "excellent"),
        (90, "excellent"),
        (80, "competent"),
        (60, "basic"),
        (59.9, "incompetent"),
    ],
)
def test_grade_thresholds(total, grade):
    assert services.grade_for(total) == grade
