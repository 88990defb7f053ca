"""The place form's map editor writes GeoJSON into the hidden geometry field; the
service validates it (closed rings, degrees, no crossing) and audits the change."""

import json

import pytest

from jiceng.core.models import AuditEntry
from jiceng.places.models import Place, PlaceKind
from jiceng.places.services import validate_geometry

pytestmark = pytest.mark.django_db

SQUARE = [[[116.40, 39.90], [116.41, 39.90], [116.41, 39.91], [116.40, 39.91]]]
BOW_TIE = [[[116.40, 39.90], [116.41, 39.91], [116.41, 39.90], [116.40, 39.91]]]


def _closed(rings):
    return [[*ring, ring[0]] for ring in rings]


def _grid(people):
    return Place.objects.filter(
        assignments__user=people["wangge"], kind=PlaceKind.GRID
    ).order_by("code")[0]


def _form(place, geometry_text):
    return {
        "kind": place.kind,
        "name": place.name,
        "code": place.code,
        "address": place.address,
        "lng": "" if place.lng is None else place.lng,
        "lat": "" if place.lat is None else place.lat,
        "geometry": geometry_text,
        "note": place.note,
    }


@pytest.mark.parametrize(
    "geometry, message",
    [
        ({"type": "Polygon", "coordinates": _closed(BOW_TIE)}, "自相交"),
        ({"type": "Polygon", "coordinates": SQUARE}, "未闭合"),
        ({"type": "Polygon", "coordinates": [[[1, 1], [2, 2], [1, 1]]]}, "三个"),
        ({"type": "Point", "coordinates": [200, 10]}, "超出范围"),
        ({"type": "Point", "coordinates": ["东", 10]}, "两个数字"),
        ({"type": "MultiPolygon", "coordinates": []}, "coordinates"),
    ],
)
def test_invalid_shapes_get_a_chinese_reason(geometry, message):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as raised:
        validate_geometry(geometry)
    assert message in raised.value.messages[0]


def test_the_edit_page_carries_the_editor_and_the_hidden_field(client_for, people):
    # given the community secretary on a grid's edit page
    grid = _grid(people)
    response = client_for("shuji").get(f"/places/{grid.pk}/edit/")
    # then the map editor is there, over a hidden geometry field, with the
    # community and sibling grids as reference
    assert response.status_code == 200
    content = response.content.decode()
    assert "data-place-editor" in content and 'data-draw="polygon"' in content
    assert '<textarea name="geometry"' in content and "hidden" in content
    community = Place.objects.get_parent(grid)
    assert f'data-reference-url="/places/{community.pk}/map.json"' in content
    assert "leaflet-geoman.min.js" in content and "place_editor.js" in content


def test_a_building_is_drawn_as_a_point(client_for, people):
    grid = _grid(people)
    building = Place.objects.filter(
        path__startswith=grid.path, kind=PlaceKind.BUILDING
    ).first()
    content = client_for("shuji").get(f"/places/{building.pk}/edit/").content
    assert b'data-draw="point"' in content


def test_a_drawn_polygon_is_saved_and_audited(client_for, people):
    # given a grid and a square drawn on the editor
    grid = _grid(people)
    geometry = {"type": "Polygon", "coordinates": _closed(SQUARE)}
    last = AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first()
    # when the form is posted
    response = client_for("shuji").post(
        f"/places/{grid.pk}/edit/", _form(grid, json.dumps(geometry))
    )
    # then the grid carries the polygon and an audit row records the change
    assert response.status_code == 302
    grid.refresh_from_db()
    assert grid.geometry == geometry
    rows = AuditEntry.objects.filter(
        pk__gt=last or 0, target_type="places.place", target_id=str(grid.pk)
    )
    assert len(rows) == 1
    assert "geometry" in rows[0].changes


def test_an_invalid_drawing_is_kept_with_the_error(client_for, people):
    # given a grid and a bow-tie polygon (its edges cross)
    grid = _grid(people)
    before = grid.geometry
    text = json.dumps({"type": "Polygon", "coordinates": _closed(BOW_TIE)})
    # when it is posted
    response = client_for("shuji").post(f"/places/{grid.pk}/edit/", _form(grid, text))
    # then the form comes back with the Chinese reason and what was drawn
    assert response.status_code == 400
    content = response.content.decode()
    assert "自相交" in content
    assert response.context["form"]["geometry"].value() == text
    grid.refresh_from_db()
    assert grid.geometry == before


def test_a_grid_worker_cannot_open_the_editor(client_for, people):
    grid = _grid(people)
    assert client_for("wangge").get(f"/places/{grid.pk}/edit/").status_code == 404
