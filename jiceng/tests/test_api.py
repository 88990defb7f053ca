"""API conventions: auth, tokens, collections, structured errors, offline docs."""

import re

import pytest
from django.core.management import call_command
from django.test import Client

from jiceng.core.models import ApiToken
from jiceng.places.models import Place

pytestmark = pytest.mark.django_db


def test_anonymous_calls_get_a_structured_401():
    response = Client().get("/api/v1/places/")
    assert response.status_code == 401
    assert response.json() == {
        "code": "unauthenticated",
        "message": "请先登录或提供有效的API令牌",
    }


def test_a_token_from_the_command_line_works_and_only_its_hash_is_stored(capsys):
    call_command("api_token", "wangge")
    raw = capsys.readouterr().out.strip()
    assert raw.startswith("jc_")
    assert not ApiToken.objects.filter(key_hash=raw).exists()
    response = Client(HTTP_AUTHORIZATION=f"Bearer {raw}").get("/api/v1/me")
    assert response.json()["username"] == "wangge"


def test_revoked_and_unknown_tokens_are_refused(client_for, people):
    from jiceng.core.services import create_api_token, revoke_api_token

    token, raw = create_api_token(
        actor=people["wangge"], user=people["wangge"], name="x"
    )
    revoke_api_token(actor=people["wangge"], token=token)
    assert (
        Client(HTTP_AUTHORIZATION=f"Bearer {raw}").get("/api/v1/me").status_code == 401
    )
    assert (
        Client(HTTP_AUTHORIZATION="Bearer jc_nope").get("/api/v1/me").status_code == 401
    )


def test_collections_page_with_limit_and_offset(api_for):
    api = api_for("shuji")
    first = api.get("/api/v1/places/?limit=5").json()
    second = api.get("/api/v1/places/?limit=5&offset=5").json()
    assert set(first) == {"items", "count"} and len(first["items"]) == 5
    assert first["count"] == second["count"] > 10
    assert not {p["id"] for p in first["items"]} & {p["id"] for p in second["items"]}


def test_pages_keep_the_lists_order_and_walk_it_without_repeats(api_for, people):
    # the ids of a page are found first, then the rows loaded by id
    from jiceng.people.models import Resident

    api = api_for("shuji")
    expected = list(
        Resident.objects.visible_to(people["shuji"])
        .order_by("-id")
        .values_list("pk", flat=True)[:12]
    )
    walked = [
        r["id"]
        for offset in (0, 5, 10)
        for r in api.get(f"/api/v1/residents/?limit=5&offset={offset}").json()["items"]
    ]
    assert walked[:12] == expected


def test_places_can_be_filtered_by_kind_and_parent(api_for, people):
    community = Place.objects.get(assignments__user=people["shuji"])
    grids = api_for("shuji").get(f"/api/v1/places/?parent={community.pk}").json()
    assert grids["count"] == Place.objects.get_children(community).count()
    assert {g["parent_id"] for g in grids["items"]} == {community.pk}
    assert {g["kind"] for g in grids["items"]} == {"grid"}


def test_create_and_move_through_the_api_with_structured_errors(api_for, people):
    community = Place.objects.get(assignments__user=people["shuji"])
    api = api_for("shuji")
    bad = api.post(
        "/api/v1/places/",
        {"parent_id": community.pk, "kind": "grid", "name": "接口网格", "code": "1"},
        content_type="application/json",
    )
    assert bad.status_code == 422
    assert bad.json()["code"] == "code_format" and "编码应为" in bad.json()["message"]
    made = api.post(
        "/api/v1/places/",
        {
            "parent_id": community.pk,
            "kind": "grid",
            "name": "接口网格",
            "code": community.code + "021",
        },
        content_type="application/json",
    )
    assert made.status_code == 201 and made.json()["parent_id"] == community.pk
    malformed = api.post(
        "/api/v1/places/", {"parent_id": "x"}, content_type="application/json"
    )
    assert (
        malformed.status_code == 422 and malformed.json()["code"] == "invalid_request"
    )
    grid = Place.objects.get_children(community).first()
    loop = api.post(
        f"/api/v1/places/{community.pk}/move",
        {"new_parent_id": grid.pk},
        content_type="application/json",
    )
    assert loop.status_code == 422 and loop.json()["code"] == "move_into_descendant"


def test_the_openapi_schema_lists_every_collection(client_for):
    schema = client_for("wangge").get("/api/v1/openapi.json").json()
    for path in [
        "/api/v1/places/",
        "/api/v1/party-orgs/",
        "/api/v1/members/",
        "/api/v1/residents/",
        "/api/v1/households/",
        "/api/v1/units/",
    ]:
        assert path in schema["paths"]


def test_the_docs_page_loads_only_local_assets(client_for):
    html = client_for("wangge").get("/api/v1/docs").content.decode()
    assert "swagger-ui-bundle.js" in html
    assert not re.search(r"(src|href)=\"https?://", html)


def test_api_list_queries_are_bounded(api_for, django_assert_max_num_queries):
    api = api_for("quadmin")
    for url in [
        "/api/v1/places/?limit=100",
        "/api/v1/residents/?limit=100",
        "/api/v1/members/?limit=100",
        "/api/v1/party-orgs/?limit=100",
        "/api/v1/units/?limit=100",
        "/api/v1/households/?limit=100",
    ]:
        with django_assert_max_num_queries(8):
            assert api.get(url).status_code == 200


def test_the_health_check_needs_no_login(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json()["database"] == "ok"


def test_every_api_schema_has_its_own_name():
    # given every request and response schema of the API (all apps' routers loaded)
    from ninja import Schema

    import jiceng.api  # noqa: F401

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    names = {}
    for schema in subclasses(Schema):
        if schema.__module__.startswith("jiceng."):
            names.setdefault(schema.__name__, set()).add(schema.__module__)
    # then no two share a name: OpenAPI keys components by name, so a second one
    # would silently stand for the first in the published schema and the fuzzing
    clashes = {name: mods for name, mods in names.items() if len(mods) > 1}
    assert not clashes, clashes
