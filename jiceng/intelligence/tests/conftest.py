"""Closed cases from the realistic corpus, put into the demo district's grids."""

from datetime import timedelta

import pytest
from django.utils import timezone

from jiceng.cases.models import Case, Category, RoutingRule
from jiceng.cases.workflow import Status
from jiceng.core.models import Department
from jiceng.intelligence import corpus
from jiceng.intelligence.models import DetectionRun, DispatchModel, ProactiveTask
from jiceng.intelligence.services import dispatch
from jiceng.places.models import Place, PlaceKind


@pytest.fixture(autouse=True)
def clean_slate(request, settings):
    """No model, tasks or routing rules from the demo seed: each test builds its own."""
    if "live_site" in request.fixturenames:
        return
    request.getfixturevalue("db")
    settings.INTELLIGENCE_MIN_CASES = 100
    dispatch._loaded.clear()
    DispatchModel.objects.all().delete()
    ProactiveTask.objects.all().delete()
    DetectionRun.objects.all().delete()
    RoutingRule.objects.all().delete()


@pytest.fixture
def grids():
    return list(Place.objects.filter(kind=PlaceKind.GRID).order_by("path"))


def closed_cases(grids, count, *, seed=7, offset=0):
    """count closed cases drawn from corpus.records, numbered apart from the demo."""
    categories = {c.code: c for c in Category.objects.filter(code__in=corpus.WEIGHTS)}
    departments = {d.code: d for d in Department.objects.all()}
    now = timezone.now()
    rows = []
    for n, record in enumerate(corpus.records(count, seed=seed, grids=len(grids))):
        grid = grids[int(record.grid[1:])]
        to_grid = record.department == "grid"
        rows.append(
            Case(
                number=f"T{seed:03d}{offset + n:07d}",
                category=categories[record.category],
                description=record.text,
                place=grid,
                channel=record.channel,
                status=Status.CLOSED,
                is_open=False,
                department=None if to_grid else departments[record.department],
                grid=grid if to_grid else None,
                closed_at=now - timedelta(days=1),
            )
        )
    return Case.objects.bulk_create(rows)
