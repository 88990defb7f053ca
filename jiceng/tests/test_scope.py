"""Scope is security: every role, by page and by API id, sees only its subtree.

The demo district has two streets; wangge works grids 1–2 of community 1 in street 1,
wangge2 works a grid in street 2. Out of scope is always 404, like a missing object.
"""

import pytest

from jiceng.core.scope import path_prefix
from jiceng.party.models import PartyMember
from jiceng.people.models import Resident, Unit
from jiceng.places.models import Place, PlaceKind

pytestmark = pytest.mark.django_db


def street(n):
    return Place.objects.filter(kind=PlaceKind.STREET).order_by("code")[n - 1]


def resident_in(place):
    return (
        Resident.objects.filter(path_prefix(place.path, "place__path"))
        .order_by("id")
        .first()
    )


@pytest.fixture
def world(people):
    first, second = street(1), street(2)
    wangge_grid = Place.objects.get(
        assignments__user=people["wangge"], code__endswith="001", kind=PlaceKind.GRID
    )
    return {
        "street1": first,
        "street2": second,
        "grid": wangge_grid,
        "other_grid": Place.objects.get(assignments__user=people["wangge2"]),
        "community": Place.objects.get_parent(wangge_grid),
        "resident_here": resident_in(wangge_grid),
        "resident_there": resident_in(second),
    }


PAGE_CASES = [
    # (username, object key, expected status)
    ("wangge", "grid", 200),
    ("wangge", "other_grid", 404),
    ("wangge", "community", 404),
    ("wangge2", "grid", 404),
    ("wangge2", "other_grid", 200),
    ("jiedao", "grid", 200),
    ("jiedao", "street2", 404),
    ("jiedao2", "street2", 200),
    ("quadmin", "street2", 200),
    ("bumen", "street2", 200),
    ("wuye", "grid", 404),
]


@pytest.mark.parametrize("username,key,status", PAGE_CASES)
def test_place_pages_and_api_by_id(client_for, api_for, world, username, key, status):
    place = world[key]
    assert client_for(username).get(f"/places/{place.pk}/").status_code == status
    response = api_for(username).get(f"/api/v1/places/{place.pk}")
    assert response.status_code == status
    if status == 404:
        assert response.json()["code"] == "not_found"


RESIDENT_CASES = [
    ("wangge", "resident_here", 200),
    ("wangge", "resident_there", 404),
    ("wangge2", "resident_here", 404),
    ("shuji", "resident_here", 200),
    ("jiedao", "resident_there", 404),
    ("jiedao2", "resident_there", 200),
    ("loudong", "resident_there", 404),
    ("bumen", "resident_here", 404),
    ("wuye", "resident_here", 404),
    ("danwei", "resident_here", 404),
]


@pytest.mark.parametrize("username,key,status", RESIDENT_CASES)
def test_resident_pages_and_api_by_id(
    client_for, api_for, world, username, key, status
):
    resident = world[key]
    assert (
        client_for(username).get(f"/people/residents/{resident.pk}/").status_code
        == status
    )
    assert (
        api_for(username).get(f"/api/v1/residents/{resident.pk}").status_code == status
    )


def test_lists_only_show_the_callers_subtree(api_for, world):
    items = api_for("wangge").get("/api/v1/residents/?limit=500").json()
    grids = Place.objects.filter(assignments__user__username="wangge")
    allowed = {
        r.pk
        for g in grids
        for r in Resident.objects.filter(path_prefix(g.path, "place__path"))
    }
    assert items["count"] == len(allowed)
    assert {r["id"] for r in items["items"]} <= allowed
    assert world["resident_there"].pk not in {r["id"] for r in items["items"]}


def test_roles_without_registry_rights_are_refused(client_for, api_for):
    for username in ["bumen", "wuye"]:
        assert client_for(username).get("/people/residents/").status_code == 403
        assert api_for(username).get("/api/v1/residents/").json()["count"] == 0


def test_a_member_sees_only_themself(client_for, people):
    me = people["dangyuan"].resident
    other = Resident.objects.exclude(pk=me.pk).first()
    client = client_for("dangyuan")
    assert client.get(f"/people/residents/{me.pk}/").status_code == 200
    assert client.get(f"/people/residents/{other.pk}/").status_code == 404
    member = PartyMember.objects.get(resident=me)
    assert client.get(f"/party/members/{member.pk}/").status_code == 200
    listed = client.get("/people/residents/").context["page"].paginator.count
    assert listed == 1


def test_a_unit_org_sees_its_own_members_and_unit_only(client_for, api_for, people):
    unit = Unit.objects.get(assignments__user=people["danwei"])
    other_unit = Unit.objects.exclude(pk=unit.pk).first()
    client = client_for("danwei")
    assert client.get(f"/people/units/{unit.pk}/").status_code == 200
    assert client.get(f"/people/units/{other_unit.pk}/").status_code == 404
    listed = api_for("danwei").get("/api/v1/members/?limit=500").json()
    expected = PartyMember.objects.filter(unit=unit).count()
    assert listed["count"] == expected > 0
    outsider = PartyMember.objects.exclude(unit=unit).first()
    assert client.get(f"/party/members/{outsider.pk}/").status_code == 404


def test_a_property_company_sees_only_its_compound(client_for, people):
    compound = Place.objects.get(assignments__user=people["wuye"])
    other = (
        Place.objects.filter(kind=PlaceKind.COMPOUND).exclude(pk=compound.pk).first()
    )
    client = client_for("wuye")
    assert client.get(f"/places/{compound.pk}/").status_code == 200
    assert client.get(f"/places/{other.pk}/").status_code == 404


def test_creating_outside_ones_scope_is_rejected_and_nothing_saved(client_for, world):
    community2 = Place.objects.get_children(world["street2"]).first()
    before = Place.objects.count()
    response = client_for("shuji").post(
        f"/places/{community2.pk}/new/?kind=grid",
        {"name": "越权网格", "code": community2.code + "099", "kind": "grid"},
    )
    assert response.status_code == 404
    dwelling = Place.objects.filter(
        path_prefix(world["street2"].path), kind=PlaceKind.DWELLING
    ).first()
    residents_before = Resident.objects.count()
    response = client_for("wangge").post(
        "/people/residents/new/",
        {
            "name": "越权登记",
            "id_number": "11010519491231002X",
            "place_code": dwelling.code,
            "residence_type": "registered",
        },
    )
    assert response.status_code == 400
    assert "不在您的权限范围内" in response.content.decode()
    assert (
        Place.objects.count() == before and Resident.objects.count() == residents_before
    )


def test_revealing_needs_the_permission_and_leaves_no_data(
    client_for, api_for, world, people
):
    from jiceng.core.models import AuditAction, AuditEntry

    for username in ["shegong", "loudong"]:
        # a resident this user may see, but not reveal
        resident = Resident.objects.visible_to(people[username]).order_by("id").first()
        response = client_for(username).post(
            f"/people/resident/{resident.pk}/reveal/id_number/"
        )
        assert response.status_code == 403
        assert resident.id_number not in response.content.decode()
        api = api_for(username).post(
            f"/api/v1/residents/{resident.pk}/reveal",
            {"field": "id_number"},
            content_type="application/json",
        )
        assert api.status_code == 403 and resident.id_number not in api.content.decode()
    assert not AuditEntry.objects.filter(action=AuditAction.REVEAL).exists()
    # out of scope is a 404, not a 403
    resident = world["resident_here"]
    assert (
        client_for("wangge2")
        .post(f"/people/resident/{resident.pk}/reveal/id_number/")
        .status_code
        == 404
    )


def test_a_permitted_reveal_shows_the_value_and_is_audited(client_for, api_for, world):
    from jiceng.core.models import AuditAction, AuditEntry

    resident = world["resident_here"]
    response = client_for("wangge").post(
        f"/people/resident/{resident.pk}/reveal/id_number/"
    )
    assert (
        response.status_code == 200 and resident.id_number in response.content.decode()
    )
    api = api_for("shuji").post(
        f"/api/v1/residents/{resident.pk}/reveal",
        {"field": "phone"},
        content_type="application/json",
    )
    assert api.json()["value"] == resident.phone
    entries = AuditEntry.objects.filter(
        action=AuditAction.REVEAL, target_id=str(resident.pk)
    )
    assert {(e.actor_name, e.changes["field"]) for e in entries} == {
        ("wangge", "身份证号"),
        ("shuji", "手机号码"),
    }


def test_masked_values_only_on_list_and_detail_pages(client_for, world):
    resident = world["resident_here"]
    client = client_for("wangge")
    for url in ["/people/residents/", f"/people/residents/{resident.pk}/"]:
        html = client.get(url).content.decode()
        assert resident.id_number not in html
        if resident.phone:
            assert resident.phone not in html
    assert (
        resident.id_number_mask
        in client.get(f"/people/residents/{resident.pk}/").content.decode()
    )


@pytest.mark.parametrize(
    "model_path",
    [
        "jiceng.cases.models.Case",
        "jiceng.people.models.Resident",
        "jiceng.onewindow.models.ServicePoint",
        "jiceng.workforce.models.Patrol",
        "jiceng.volunteer.models.Signup",
    ],
)
def test_rows_within_a_place_are_the_visible_rows_in_its_subtree(
    people, world, model_path
):
    # a dashboard or a screen asks for the rows within one place: the answer is
    # the caller's visible rows there, for every account and every level
    from django.utils.module_loading import import_string

    from jiceng.core.scope import Scope

    model = import_string(model_path)
    district = Place.objects.get(kind=PlaceKind.DISTRICT, code="510502")
    places = [
        district,
        world["street1"],
        world["street2"],
        world["community"],
        world["grid"],
    ]
    for user in people.values():
        for place in places:
            subtree = Scope.in_subtree(model.scope.place, [place.path], Place)
            expected = set(
                model.objects.visible_to(user)
                .filter(subtree)
                .values_list("pk", flat=True)
            )
            within = set(
                model.objects.visible_within(user, place.path).values_list(
                    "pk", flat=True
                )
            )
            assert within == expected, (user.username, place.name)
