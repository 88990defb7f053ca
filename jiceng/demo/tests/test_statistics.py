"""After every bulk write the planner statistics are fresh, on both engines.

A freshly loaded table without statistics is planned as if it were empty: on
PostgreSQL the grid worker's resident list of a just-seeded district was 8× slower
until ANALYZE. So the demo seed, the ledger imports, rebuild_case_stats and the
dashboards' refresh_figures refresh the statistics of the tables they wrote
(core.planner.refresh_statistics). The planner's row count of a table is read
from pg_class.reltuples on PostgreSQL and from sqlite_stat1 (the first figure of
an index's stat) on SQLite.
"""

import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jiceng.cases.models import CaseStat
from jiceng.insight import services as insight
from jiceng.insight.models import Figure
from jiceng.people.models import Household, Resident
from jiceng.places.models import Place, PlaceKind
from jiceng.transfer.services import imports as transfer_imports


def planner_rows(model):
    """How many rows the planner believes model's table holds (None: no statistics)."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT reltuples FROM pg_class WHERE oid = %s::regclass", [table]
            )
            rows = cursor.fetchone()[0]
            return None if rows < 0 else int(rows)
        cursor.execute("SELECT stat FROM sqlite_stat1 WHERE tbl = %s", [table])
        stats = [int(stat.split()[0]) for (stat,) in cursor.fetchall()]
        return max(stats) if stats else None


def forget_statistics(model):
    """Make the planner's figure for model's table stale, as after a bulk load."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "UPDATE pg_class SET reltuples = -1 WHERE oid = %s::regclass", [table]
            )
        else:
            cursor.execute("DELETE FROM sqlite_stat1 WHERE tbl = %s", [table])


def analyzed(captured, model):
    table = model._meta.db_table
    return any(
        q["sql"].startswith("ANALYZE") and table in q["sql"]
        for q in captured.captured_queries
    )


@pytest.mark.django_db
def test_the_demo_seed_leaves_fresh_statistics():
    # given the seeded district whose statistics went stale
    forget_statistics(Resident)
    # when seed_demo runs again (it brings the accounts and apps up to date)
    call_command("seed_demo", size="small", seed=1, verbosity=0)
    # then the planner knows the residents' table as it is
    assert planner_rows(Resident) == Resident.objects.count()


@pytest.mark.django_db
def test_an_import_refreshes_the_statistics_of_the_tables_it_filled(
    people, run_import, monkeypatch
):
    # given a household ledger (three rows stand in for a large one) and stale statistics
    monkeypatch.setattr(transfer_imports, "ANALYZE_AFTER_ROWS", 3)
    grid = Place.objects.filter(assignments__user=people["wangge"]).order_by("code")[0]
    dwellings = Place.objects.subtree_of(grid).filter(kind=PlaceKind.DWELLING)[:3]
    lines = [f"STAT-{i},{d.code}" for i, d in enumerate(dwellings)]
    data = "\n".join(["户号,住址编码", *lines]).encode()
    forget_statistics(Household)
    # when it is imported
    with CaptureQueriesContext(connection) as captured:
        job = run_import(people["wangge"], "households", data, "户.csv")
    # then the rows are stored and the planner counts them
    assert job.created == 3, job.errors
    assert analyzed(captured, Household)
    assert planner_rows(Household) == Household.objects.count()


@pytest.mark.django_db
def test_a_small_import_leaves_the_statistics_alone(people, run_import):
    # given a ledger of one row (far below ANALYZE_AFTER_ROWS)
    grid = Place.objects.filter(assignments__user=people["wangge"]).order_by("code")[0]
    dwelling = Place.objects.subtree_of(grid).filter(kind=PlaceKind.DWELLING)[0]
    data = f"户号,住址编码\nSTAT-ONE,{dwelling.code}\n".encode()
    # when it is imported, then no ANALYZE runs
    with CaptureQueriesContext(connection) as captured:
        job = run_import(people["wangge"], "households", data, "户.csv")
    assert job.created == 1, job.errors
    assert not analyzed(captured, Household)


@pytest.mark.django_db
def test_rebuilding_the_case_rollup_refreshes_its_statistics():
    # given the KPI rollup whose statistics went stale
    forget_statistics(CaseStat)
    # when it is rebuilt from the timeline
    call_command("rebuild_case_stats", stdout=io.StringIO())
    # then the planner counts its rows
    assert planner_rows(CaseStat) == CaseStat.objects.count()


@pytest.mark.django_db
def test_refreshing_the_dashboards_figures_refreshes_their_statistics():
    # given the dashboards' figures whose statistics went stale (a year's backfill
    # writes millions of rows at city size; the demo's district writes thousands)
    forget_statistics(Figure)
    # when the figures are refreshed
    with CaptureQueriesContext(connection) as captured:
        written = insight.refresh_figures(months=1)
    # then the planner counts the rows
    assert written >= insight.ANALYZE_AFTER_ROWS
    assert analyzed(captured, Figure)
    assert planner_rows(Figure) == Figure.objects.count()
