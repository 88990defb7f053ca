"""A report finds its category, grid, compound, routing rule and Open311 key in
per-process copies: it reads the copies' tokens once to learn they are current,
and every change — a new rule, a redrawn grid, a category or a key switched off,
a grid's code changed, a change made in raw SQL as an import would — shows in
the very next report; a change rolled back leaves nothing behind."""

import json
from contextlib import contextmanager

import pytest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, connection, transaction
from django.test.utils import CaptureQueriesContext

from jiceng.cases import services
from jiceng.cases.models import Category, RoutingRule
from jiceng.cases.open311 import create_key
from jiceng.cases.services.keys import use_open311_key
from jiceng.cases.services.lookups import lookups
from jiceng.cases.tests.helpers import report
from jiceng.cases.workflow import Status
from jiceng.core.config_cache import tokens
from jiceng.places.models import Place, PlaceKind

pytestmark = pytest.mark.django_db
AREAS = ("places.areas",)


def square(lng, lat, half=0.001):
    ring = [
        [lng - half, lat - half],
        [lng + half, lat - half],
        [lng + half, lat + half],
        [lng - half, lat + half],
        [lng - half, lat - half],
    ]
    return {"type": "Polygon", "coordinates": [ring]}


def open311_report(category, grid):
    """An Open311 report at the grid's centre, with a new client's key."""
    return {
        "api_key": create_key("12345热线"),
        "service_code": category.code,
        "lat": str(grid.lat),
        "long": str(grid.lng),
        "description": "路灯晚上不亮",
    }


def test_a_new_routing_rule_routes_the_very_next_report(
    people, grid, streetlight, city_management
):
    # given a report with no rule waits for the dispatcher
    assert report(people, grid, streetlight).status == Status.REPORTED
    # when the street adds a rule for street lights in this grid
    RoutingRule.objects.create(
        category=streetlight, place=grid, department=city_management
    )
    # then the next report goes straight to the department
    routed = report(people, grid, streetlight)
    assert routed.status == Status.DISPATCHED
    assert routed.department == city_management


def test_a_grid_redrawn_in_raw_sql_is_found_by_the_next_report(people, grid):
    # given a point far outside every grid (it falls to the nearest centre)
    lng, lat = 100.0, 30.0
    other = Place.objects.filter(kind=PlaceKind.GRID).exclude(pk=grid.pk).first()
    services.grid_at(lng, lat)
    # when an import redraws our grid around it in SQL, as a bulk tool would
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE places_place SET geometry = %s WHERE id = %s",
            [json.dumps(square(lng, lat)), grid.pk],
        )
    # then the next lookup finds our grid by its new outline
    assert services.grid_at(lng, lat).pk == grid.pk
    assert services.grid_at(lng, lat).pk != other.pk


def test_a_category_switched_off_is_refused_at_once(client, streetlight, grid):
    body = open311_report(streetlight, grid)
    assert client.post("/open311/v2/requests.json", body).status_code == 201
    Category.objects.filter(pk=streetlight.pk).update(active=False)
    refused = client.post("/open311/v2/requests.json", body)
    assert (
        refused.status_code == 404
        and "service_code" in refused.json()[0]["description"]
    )


def test_a_key_disabled_in_raw_sql_is_refused_by_the_next_report(
    client, streetlight, grid
):
    body = open311_report(streetlight, grid)
    assert client.post("/open311/v2/requests.json", body).status_code == 201
    with connection.cursor() as cursor:  # as another process or a console would
        cursor.execute("UPDATE cases_open311key SET active = %s", [False])
    refused = client.post("/open311/v2/requests.json", body)
    assert refused.status_code == 403 and "api_key" in refused.json()[0]["description"]


def test_a_grid_code_changed_in_raw_sql_is_found_by_the_next_api_report(api_for, grid):
    worker = api_for("wangge")

    def report_at(code):
        return worker.post(
            "/api/v1/cases/",
            {
                "category_code": "SJ0102",
                "description": "楼道堆放杂物",
                "grid_code": code,
            },
            content_type="application/json",
        )

    assert report_at(grid.code).status_code == 201
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE places_place SET code = %s WHERE id = %s", ["WG-NEW-01", grid.pk]
        )
    assert report_at("WG-NEW-01").json()["place_id"] == grid.pk
    refused = report_at(grid.code)
    assert refused.status_code == 422 and "grid_code" in str(refused.json())


def test_a_report_reads_the_copies_tokens_once(client, streetlight, grid):
    body = open311_report(streetlight, grid)
    client.post("/open311/v2/requests.json", body)  # the copies built
    with CaptureQueriesContext(connection) as queries:
        assert client.post("/open311/v2/requests.json", body).status_code == 201
    reads = [q["sql"] for q in queries if "core_configversion" in q["sql"]]
    keys = [q["sql"] for q in queries if "cases_open311key" in q["sql"]]
    assert len(reads) == 1 and keys == []


def test_unchanged_lookups_cost_one_query(grid, django_assert_num_queries):
    lookups()  # built
    with django_assert_num_queries(1):
        found = lookups()
        assert any(o.place.pk == grid.pk for o in found.grids)


def test_a_rolled_back_change_leaves_no_stale_copy(
    people, grid, streetlight, city_management
):
    # given a rule added and used inside a transaction that is then rolled back
    with pytest.raises(RuntimeError), transaction.atomic():
        RoutingRule.objects.create(
            category=streetlight, place=grid, department=city_management
        )
        assert report(people, grid, streetlight).status == Status.DISPATCHED
        raise RuntimeError("rolled back")
    # then the next report knows of no rule
    assert report(people, grid, streetlight).status == Status.REPORTED


@contextmanager
def one_request():
    """The request signals around a block, without closing the test's connection
    at the end (as Django's test client does)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    request_started.send(sender=None)
    try:
        yield
    finally:
        request_finished.send(sender=None)
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def test_a_key_made_in_a_rolled_back_transaction_is_never_accepted():
    use_open311_key("o311_none")  # the process's copy of the keys, built
    create_key("12345热线")  # and now out of date
    # in one request: a copy is read, then a key is made and used, then rolled back
    with one_request():
        lookups()
        with pytest.raises(RuntimeError), transaction.atomic():
            raw = create_key("临时对接")
            assert use_open311_key(raw) is not None
            raise RuntimeError("rolled back")
    # the next request does not accept the key that never was
    with one_request():
        assert use_open311_key(raw) is None


def test_buildings_and_dwellings_leave_the_areas_copy_alone(grid):
    compound = Place.objects.filter(kind=PlaceKind.COMPOUND, path__startswith=grid.path)
    compound = compound.order_by("path").first()
    before = tokens(AREAS)
    # when an import adds a building with a dwelling
    building = Place.objects.add_child(
        Place.objects.get(pk=compound.pk),
        {
            "kind": PlaceKind.BUILDING,
            "name": "新建99号楼",
            "code": f"{compound.code}999",
        },
    )
    Place.objects.add_child(
        building,
        {"kind": PlaceKind.DWELLING, "name": "101", "code": f"{building.code}0101"},
    )
    # then the areas' token stays, and the copy is not rebuilt
    assert tokens(AREAS) == before
    # but renaming the compound moves it
    Place.objects.filter(pk=compound.pk).update(name="新名字小区")
    assert tokens(AREAS) != before
