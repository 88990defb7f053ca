"""The base layer every map draws: the district's own geometry, so maps work offline."""

import pytest

from jiceng.places.models import Place, PlaceKind

pytestmark = pytest.mark.django_db


def _basemap(client):
    response = client.get("/places/basemap.geojson")
    assert response.status_code == 200
    return response.json()["features"]


def test_a_grid_worker_sees_every_grid_outline_but_only_her_own_buildings(
    client_for, people
):
    # given the grid worker's own grids
    own_grids = Place.objects.filter(assignments__user=people["wangge"])
    own_buildings = Place.objects.filter(kind=PlaceKind.BUILDING).filter(
        path__regex="^(" + "|".join(g.path for g in own_grids) + ")"
    )

    # when her map loads its base layer
    features = _basemap(client_for("wangge"))

    # then the district's administrative frame is all there, with names
    grids = [f for f in features if f["properties"]["kind"] == "grid"]
    assert len(grids) == Place.objects.filter(kind=PlaceKind.GRID).count()
    assert all(f["geometry"]["type"] == "Polygon" for f in grids)
    # and buildings (points from their coordinates) only from her own grids
    buildings = {
        f["properties"]["name"]
        for f in features
        if f["properties"]["kind"] == PlaceKind.BUILDING
    }
    assert buildings and buildings <= {b.name for b in own_buildings}
    assert not any(f["properties"]["kind"] == "dwelling" for f in features)


def test_a_resident_reporting_a_case_still_gets_a_map(client_for):
    # given a party member with no place in scope
    features = _basemap(client_for("dangyuan"))

    # then the grid outlines still draw, but nothing inside anyone's scope
    kinds = {f["properties"]["kind"] for f in features}
    assert "grid" in kinds and "community" in kinds
    assert not kinds & {"compound", "building"}


def test_the_base_layer_needs_a_login(client):
    response = client.get("/places/basemap.geojson")
    assert response.status_code == 302


def test_every_map_page_loads_the_base_layer(client_for, people):
    grid = Place.objects.filter(assignments__user=people["wangge"]).first()
    client = client_for("wangge")
    for url in ["/cases/map/", "/cases/new/", f"/places/{grid.pk}/"]:
        html = client.get(url).content.decode()
        assert "jiceng/basemap.js" in html and "/places/basemap.geojson" in html, url
