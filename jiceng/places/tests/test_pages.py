"""Browsing the tree in the browser-facing pages, forms that keep what was typed."""

import pytest

from jiceng.places.models import Place, PlaceKind

pytestmark = pytest.mark.django_db


def test_a_grid_worker_starts_at_the_list_of_her_grids(client_for):
    response = client_for("wangge").get("/places/")
    html = response.content.decode()
    assert response.status_code == 200 and "第一网格" in html and "第二网格" in html


def test_a_community_secretary_opens_her_community_directly(client_for, people):
    response = client_for("shuji").get("/places/")
    assert response.status_code == 302
    community = Place.objects.get(assignments__user=people["shuji"])
    assert response["Location"] == f"/places/{community.pk}/"


def test_the_grid_page_shows_children_map_and_responsible(client_for, people):
    grid = (
        Place.objects.filter(assignments__user=people["wangge"])
        .order_by("code")
        .first()
    )
    html = client_for("wangge").get(f"/places/{grid.pk}/").content.decode()
    assert "place-map" in html and "网格员" in html
    assert Place.objects.get_children(grid).first().name in html
    # the breadcrumb shows the community above, but not as a link (out of scope)
    community = Place.objects.get_parent(grid)
    assert community.name in html and f'href="/places/{community.pk}/"' not in html


def test_children_search_returns_a_fragment_for_htmx(client_for, people):
    community = Place.objects.get(assignments__user=people["shuji"])
    response = client_for("shuji").get(
        f"/places/{community.pk}/",
        {"q": "第一"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="results",
    )
    html = response.content.decode()
    assert "<html" not in html and "第一网格" in html and "第二网格" not in html


def test_map_data_is_geojson_of_the_place_and_children(client_for, people):
    community = Place.objects.get(assignments__user=people["shuji"])
    data = client_for("shuji").get(f"/places/{community.pk}/map.json").json()
    assert data["type"] == "FeatureCollection"
    kinds = {f["properties"]["kind"] for f in data["features"]}
    assert kinds == {"community", "grid"}


def test_an_invalid_form_keeps_what_was_typed(client_for, people):
    community = Place.objects.get(assignments__user=people["shuji"])
    before = Place.objects.count()
    response = client_for("shuji").post(
        f"/places/{community.pk}/new/?kind=grid",
        {"name": "新建网格甲", "code": "12345", "address": "幸福路9号", "kind": "grid"},
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert 'value="新建网格甲"' in html and 'value="幸福路9号"' in html
    assert "编码应为15位数字" in html
    assert Place.objects.count() == before


def test_a_valid_form_creates_and_redirects(client_for, people):
    community = Place.objects.get(assignments__user=people["shuji"])
    response = client_for("shuji").post(
        f"/places/{community.pk}/new/?kind=grid",
        {"name": "第八网格", "code": community.code + "008", "kind": "grid"},
    )
    created = Place.objects.get(code=community.code + "008")
    assert (
        response.status_code == 302 and response["Location"] == f"/places/{created.pk}/"
    )


def test_the_move_form_reports_a_descendant_target(client_for, people):
    community = Place.objects.get(assignments__user=people["shuji"])
    grid = Place.objects.get_children(community).first()
    response = client_for("jiedao").post(
        f"/places/{community.pk}/move/", {"new_parent_code": grid.code}
    )
    assert response.status_code == 400
    assert "不能把地点移动到它自己或它的下级之下" in response.content.decode()


def test_staff_without_change_rights_cannot_open_edit_forms(client_for, people):
    grid = Place.objects.filter(assignments__user=people["wangge"]).first()
    assert client_for("wangge").get(f"/places/{grid.pk}/edit/").status_code == 404
    assert client_for("shegong").get(f"/places/{grid.pk}/edit/").status_code == 404


def test_children_list_queries_are_bounded(
    client_for, people, django_assert_max_num_queries
):
    street = Place.objects.get(assignments__user=people["jiedao"])
    client = client_for("jiedao")
    with django_assert_max_num_queries(20):
        assert client.get(f"/places/{street.pk}/").status_code == 200
    compound = Place.objects.subtree_of(street).filter(kind=PlaceKind.COMPOUND)[0]
    with django_assert_max_num_queries(20):
        assert client.get(f"/places/{compound.pk}/").status_code == 200


def test_a_code_outside_ones_scope_reads_like_a_missing_one(client_for, people):
    # given a grid of another street and a code that names nothing
    community = Place.objects.get(assignments__user=people["shuji"])
    grid = Place.objects.get_children(community).first()
    foreign = Place.objects.get(assignments__user=people["jiedao2"])
    answers = []
    for code in (foreign.code, "999999999999"):
        # when the community secretary tries to move her grid under it
        response = client_for("shuji").post(
            f"/places/{grid.pk}/move/", {"new_parent_code": code}
        )
        # then the form is refused with the same words, naming only the code
        assert response.status_code == 400
        assert foreign.name not in response.content.decode()
        errors = response.context["form"].errors["new_parent_code"]
        answers.append([e.replace(code, "CODE") for e in errors])
    assert answers[0] == answers[1] == ["编码CODE不存在或不在您的权限范围内"]
    assert Place.objects.get_parent(grid) == community


def test_the_place_page_shows_panels_of_the_apps_above(client_for, people):
    # given the community secretary's community (residents, a party committee)
    community = Place.objects.get(assignments__user=people["shuji"])
    # when she opens its page
    page = client_for("shuji").get(f"/places/{community.pk}/")
    # then people's resident count and party's organisations are on it
    html = page.content.decode()
    assert page.status_code == 200
    assert 'data-testid="resident-count"' in html and "驻地党组织" in html
    # and a department, who may see no residents, gets its place without them
    place = Place.objects.visible_to(people["bumen"]).order_by("depth").first()
    page = client_for("bumen").get(f"/places/{place.pk}/")
    assert page.status_code == 200
    assert 'data-testid="resident-count"' not in page.content.decode()
