"""包联 coverage on the demo data, and a visit turned into a case or a task."""

from datetime import timedelta

import pytest
from django.utils import timezone

from jiceng.alliances.models import Pair, PairKind, TaskStatus
from jiceng.alliances.services import pairing as services
from jiceng.cases.models import Category
from jiceng.core.scope import path_prefix
from jiceng.places.models import Place, PlaceKind

pytestmark = pytest.mark.django_db


def _figures(user, days=30):
    return {row["kind"]: row for row in services.coverage(user, days=days)}


def test_coverage_of_the_demo_community(people, community):
    figures = _figures(people["shuji"])
    compounds = Place.objects.filter(
        path_prefix(community.path), kind=PlaceKind.COMPOUND
    )
    buildings = Place.objects.filter(
        path_prefix(community.path), kind=PlaceKind.BUILDING
    )
    compound = figures[PairKind.UNIT_COMPOUND]
    # every compound but the last is paired with a unit
    assert compound["total"] == compounds.count()
    assert compound["unpaired_count"] == 1
    assert list(compound["unpaired"]) == [compounds.order_by("code").last()]
    # two thirds of the buildings have a cadre; the community has its leader
    building = figures[PairKind.CADRE_BUILDING]
    assert building["paired"] == buildings.count() * 2 // 3
    assert figures[PairKind.LEADER_COMMUNITY]["unpaired_count"] == 0
    # pairs not visited in 30 days: checked against the rows themselves
    cutoff = timezone.localdate() - timedelta(days=30)
    stale = [
        p
        for p in Pair.objects.filter(kind=PairKind.UNIT_COMPOUND)
        if p.last_visit_on is None or p.last_visit_on < cutoff
    ]
    assert compound["stale_count"] == len(stale) > 0


def test_the_street_sees_its_other_community_unpaired(people, street):
    compounds = Place.objects.filter(path_prefix(street.path), kind=PlaceKind.COMPOUND)
    figures = _figures(people["jiedao"])
    paired = Pair.objects.filter(kind=PairKind.UNIT_COMPOUND, active=True).count()
    assert figures[PairKind.UNIT_COMPOUND]["total"] == compounds.count()
    assert figures[PairKind.UNIT_COMPOUND]["paired"] == paired


def test_the_coverage_page_and_map(client_for):
    response = client_for("jiedao").get("/alliances/coverage/?days=45")
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="coverage-map"' in body and "coverage-points" in body
    assert response.context["days"] == 45


def test_a_visit_becomes_a_case_and_a_task(people):
    pair = Pair.objects.filter(kind=PairKind.UNIT_COMPOUND).first()
    visit = services.log_visit(
        actor=people["shegong"],
        pair=pair,
        visited_on=timezone.localdate(),
        findings="单元门禁损坏，居民出入不便",
    )
    pair.refresh_from_db()
    assert pair.last_visit_on == timezone.localdate()
    category = Category.objects.reportable().first()
    case = services.visit_to_case(actor=people["shuji"], visit=visit, category=category)
    assert "单元门禁" in case.description and case.place == pair.place
    task = services.visit_to_task(
        actor=people["shuji"],
        visit=visit,
        due_on=timezone.localdate() + timedelta(days=7),
    )
    assert task.status == TaskStatus.OPEN and task.owner_unit == pair.unit
    visit.refresh_from_db()
    assert visit.case == case and visit.task == task
