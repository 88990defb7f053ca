"""一小区一图示: who may open a compound's chart, what each role sees of its key
populations, the poster, and a query count that does not grow with buildings."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jiceng.core.models import Assignment
from jiceng.core.roles import Role
from jiceng.core.scope import path_prefix
from jiceng.people.models import KeyPopulation, Resident, ResidentTag
from jiceng.places.models import Place, PlaceKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def compound(people):
    """The demo property company's compound (第1个网格的第1个小区)."""
    return Assignment.objects.get(user=people["wuye"], role=Role.PROPERTY).place


def _url(compound, poster=False):
    return f"/atlas/{compound.code}/" + ("poster/" if poster else "")


@pytest.fixture
def tagged(compound, people):
    """Three residents of the compound tagged in an ordinary, a sensitive and a
    restricted category, with names found nowhere else on the page."""
    residents = list(
        Resident.objects.filter(path_prefix(compound.path, "place__path"))
        .filter(place__kind__in=[PlaceKind.DWELLING, PlaceKind.ENTRANCE])
        .order_by("pk")[:3]
    )
    assert len(residents) == 3
    names = ["甲测试居民", "乙测试居民", "丙测试居民"]
    categories = []
    for level, (resident, name) in enumerate(zip(residents, names, strict=True), 1):
        resident.name = name
        resident.save(update_fields=["name"])
        category = KeyPopulation.objects.create(
            code=f"atlas-test-{level}", name=f"图示测试类{level}", sensitivity=level
        )
        ResidentTag.objects.create(
            resident=resident,
            category=category,
            reason="测试",
            tagged_by=people["shuji"],
            tagged_on=date(2026, 1, 5),
            next_review_on=date(2026, 7, 5),
        )
        categories.append(category.name)
    return dict(zip(names, categories, strict=True))


def test_anonymous_is_sent_to_log_in(client, compound):
    response = client.get(_url(compound))
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_a_role_without_places_gets_403(client_for, compound):
    # given a party member (no places.view), when she opens a compound's chart
    response = client_for("dangyuan").get(_url(compound))
    # then she is refused
    assert response.status_code == 403


@pytest.mark.parametrize("username", ["wangge2", "loudong"])
def test_a_compound_out_of_scope_is_404(client_for, compound, username):
    # given the other street's grid worker, and a building lead whose scope is
    # one building of the compound (not the compound itself)
    client = client_for(username)
    # when they open the chart and the poster, then neither exists for them
    assert client.get(_url(compound)).status_code == 404
    assert client.get(_url(compound, poster=True)).status_code == 404


@pytest.mark.parametrize("ref", ["abc", "0", "9" * 40, "123456789012345678"])
def test_a_bad_or_unknown_reference_is_404(client_for, ref):
    assert client_for("wangge").get(f"/atlas/{ref}/").status_code == 404


def test_the_grid_worker_sees_the_compound_by_code_and_by_id(client_for, compound):
    # given the compound's grid worker
    client = client_for("wangge")
    # when she opens the chart by code and by id
    by_code = client.get(_url(compound))
    by_id = client.get(f"/atlas/{compound.pk}/")
    # then both show the compound, its buildings and its map data
    assert by_code.status_code == 200 and by_id.status_code == 200
    sheet = by_code.context["sheet"]
    assert sheet.compound == compound
    buildings = Place.objects.filter(
        path_prefix(compound.path), kind=PlaceKind.BUILDING
    )
    assert {row.place.pk for row in sheet.buildings} == set(
        buildings.values_list("pk", flat=True)
    )
    content = by_code.content.decode()
    assert compound.name in content and 'id="atlas-data"' in content
    for building in buildings:
        assert building.name in content
    # and the household counts equal the registry's
    from jiceng.people.models import Household

    households = Household.objects.filter(
        path_prefix(compound.path, "place__path")
    ).count()
    assert by_code.context["totals"]["households"] == households


def test_the_building_lead_account_shows_on_its_building(client_for, compound, people):
    # given the demo building lead, assigned to a building of the compound
    building = Assignment.objects.get(user=people["loudong"]).place
    # when the grid worker opens the chart
    sheet = client_for("wangge").get(_url(compound)).context["sheet"]
    # then that building lists its lead
    row = next(r for r in sheet.buildings if r.place.pk == building.pk)
    label = people["loudong"].display_name or "loudong"
    assert any(lead.startswith(label) for lead in row.leads)


def test_key_populations_by_name_only_within_the_roles_level(
    client_for, compound, tagged
):
    ordinary, sensitive, restricted = tagged.values()
    # given the grid worker (all levels), the community worker (up to 敏感) and
    # the property company (no people access)
    pages = {
        u: client_for(u).get(_url(compound)) for u in ("wangge", "shegong", "wuye")
    }
    assert all(p.status_code == 200 for p in pages.values())
    text = {u: p.content.decode() for u, p in pages.items()}
    figures = {
        u: {k.name: k for k in p.context["sheet"].key_populations}
        for u, p in pages.items()
    }

    # then the grid worker sees all three residents by name
    for name in tagged:
        assert name in text["wangge"]
    assert all(figures["wangge"][c].detailed for c in tagged.values())

    # the community worker sees the first two by name, the restricted one as a count
    assert "甲测试居民" in text["shegong"] and "乙测试居民" in text["shegong"]
    assert "丙测试居民" not in text["shegong"]
    assert figures["shegong"][restricted].count == 1
    assert not figures["shegong"][restricted].detailed

    # the property company sees nobody, and only the ordinary category's count
    for name in tagged:
        assert name not in text["wuye"]
    assert figures["wuye"][ordinary].count == 1
    assert not figures["wuye"][ordinary].detailed
    assert sensitive not in text["wuye"] and restricted not in text["wuye"]


def test_the_poster_names_nobody_and_shows_only_ordinary_counts(
    client_for, compound, tagged
):
    ordinary, sensitive, restricted = tagged.values()
    # given the community secretary, who sees every key population by name
    response = client_for("shuji").get(_url(compound, poster=True))
    # then the wall poster is A3, carries no navigation and no resident names
    assert response.status_code == 200
    content = response.content.decode()
    assert compound.name in content
    assert 'class="navbar' not in content
    for name in tagged:
        assert name not in content
    # and lists only the ordinary categories' counts
    assert f"{ordinary}：1人" in content
    assert sensitive not in content and restricted not in content


def test_the_compound_page_links_to_its_chart(client_for, compound):
    client = client_for("wangge")
    page = client.get(f"/places/{compound.pk}/").content.decode()
    assert _url(compound) in page and _url(compound, poster=True) in page
    grid = Place.objects.get_parent(compound)
    assert "/atlas/" not in client.get(f"/places/{grid.pk}/").content.decode()


def _queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


def test_the_query_count_does_not_grow_with_buildings(client_for, compound):
    # given the chart read once
    client = client_for("shuji")
    client.get(_url(compound))  # warm the session and caches
    before = _queries(client, _url(compound))
    # when ten more buildings, each with an entrance and a dwelling, are added
    last = (
        Place.objects.filter(path_prefix(compound.path), kind=PlaceKind.BUILDING)
        .order_by("-code")
        .first()
    )
    start = int(last.code[-3:]) + 1 if last else 1
    for n in range(start, start + 10):
        building = Place.objects.add_child(
            Place.objects.get(pk=compound.pk),
            {
                "kind": PlaceKind.BUILDING,
                "name": f"测试{n}号楼",
                "code": f"{compound.code}{n:03d}",
                "lat": compound.lat,
                "lng": compound.lng,
            },
        )
        entrance = Place.objects.add_child(
            building,
            {"kind": PlaceKind.ENTRANCE, "name": "1单元", "code": f"{building.code}01"},
        )
        Place.objects.add_child(
            entrance,
            {"kind": PlaceKind.DWELLING, "name": "101", "code": f"{entrance.code}0101"},
        )
    after = _queries(client, _url(compound))
    # then the chart costs the same number of queries
    print(f"atlas queries: {before} before, {after} after 10 more buildings")
    assert after == before
    assert before <= 40
