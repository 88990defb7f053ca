"""A report finds its category, grid, compound and routing rule in a per-process
copy: it reads one row to learn the copy is current, and every change — a new
rule, a redrawn grid, a category switched off, a change made in raw SQL as an
import would — shows in the very next report; a change rolled back leaves
nothing behind."""

import json

import pytest
from django.db import connection, transaction

from jiceng.cases import services
from jiceng.cases.models import Category, RoutingRule
from jiceng.cases.open311 import create_key
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
    key = create_key("12345热线")
    body = {
        "api_key": key,
        "service_code": streetlight.code,
        "lat": str(grid.lat),
        "long": str(grid.lng),
        "description": "路灯晚上不亮",
    }
    assert client.post("/open311/v2/requests.json", body).status_code == 201
    Category.objects.filter(pk=streetlight.pk).update(active=False)
    refused = client.post("/open311/v2/requests.json", body)
    assert (
        refused.status_code == 404
        and "service_code" in refused.json()[0]["description"]
    )


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
