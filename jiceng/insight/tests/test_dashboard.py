"""The place dashboards and their API: scope (a community sees its own figures,
never a sibling's), tile permissions, bounded queries, exports."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jiceng.core import tiles as core_tiles
from jiceng.core.models import AuditAction, AuditEntry
from jiceng.core.tiles import current_month
from jiceng.insight.models import Figure
from jiceng.insight.services import refresh_figures
from jiceng.places.models import Place, PlaceKind
from jiceng.transfer.workbooks import read_workbook

pytestmark = pytest.mark.django_db


@pytest.fixture
def rolled(db):
    refresh_figures(months=2)


def community_of(user):
    return Place.objects.get(assignments__user=user, kind=PlaceKind.COMMUNITY)


def sibling_of(place):
    return (
        Place.objects.filter(kind=place.kind, depth=place.depth)
        .exclude(pk=place.pk)
        .filter(path__startswith=place.path[: -Place.steplen])
        .first()
    )


def test_anonymous_is_sent_to_login_and_the_api_answers_401(client):
    # given no login, when the dashboard and its API are asked for
    page = client.get("/insight/")
    api = client.get("/api/v1/dashboard/")
    # then the page sends to the login and the API refuses
    assert page.status_code == 302 and "/login" in page["Location"]
    assert api.status_code == 401


def test_a_role_without_dashboards_is_refused(client_for):
    # given a building lead (no insight.view), when they open the dashboard
    response = client_for("loudong").get("/insight/")
    # then 403
    assert response.status_code == 403


def test_insight_opens_the_readers_top_place(client_for, people, rolled):
    # given a community secretary
    community = community_of(people["shuji"])
    # when they open /insight/
    response = client_for("shuji").get("/insight/")
    # then they land on their community's dashboard
    assert response.status_code == 302
    assert response["Location"] == f"/insight/{community.code}/"


def test_a_community_sees_its_own_figures_never_a_siblings(client_for, people, rolled):
    # given a community secretary, their community and a sibling community
    community = community_of(people["shuji"])
    sibling = sibling_of(community)
    street = Place.objects.get(path=community.path[: -Place.steplen])
    client = client_for("shuji")
    # when they open each dashboard
    own = client.get(f"/insight/{community.code}/")
    other = client.get(f"/insight/{sibling.code}/")
    above = client.get(f"/insight/{street.code}/")
    # then their own opens with its figures; the sibling and the street are 404
    assert own.status_code == 200
    assert "数据更新于" in own.content.decode()
    assert other.status_code == 404
    assert above.status_code == 404
    # and the API answers the same
    api = client.get(f"/api/v1/dashboard/?place={sibling.code}")
    assert api.status_code == 404
    assert api.json()["code"] == "not_found"


def test_the_page_shows_the_rolled_up_value_and_links_down_to_grids(
    client_for, people, rolled
):
    # given the street admin's street and its rolled-up open cases
    street = Place.objects.get(assignments__user=people["jiedao"])
    stored = Figure.objects.get(place=street, key="cases.open", month=current_month())
    # when the street's dashboard is opened
    body = client_for("jiedao").get(f"/insight/{street.code}/").content.decode()
    # then the tile shows the stored figure and each community is a drill-down link
    assert 'data-key="cases.open"' in body
    assert f"{stored.value:,.0f}" in body
    for child in Place.objects.filter(
        path__startswith=street.path, depth=street.depth + 1
    ):
        assert f'href="/insight/{child.code}/"' in body


def test_a_tile_needs_its_permission(client_for, people, rolled):
    # given a tile only district admins hold the permission of (core.audit)
    core_tiles.register_tile(
        "test.audit_only",
        title="测试指标",
        unit="个",
        section="测试",
        permission="core.audit",
    )(lambda places, month: {p.pk: 7 for p in places})
    try:
        district = Place.objects.get(kind=PlaceKind.DISTRICT)
        community = community_of(people["shuji"])
        # when the district admin and a community secretary read their dashboards
        admin = client_for("quadmin").get(f"/api/v1/dashboard/?place={district.code}")
        secretary = client_for("shuji").get(
            f"/api/v1/dashboard/?place={community.code}"
        )
    finally:
        del core_tiles.TILES["test.audit_only"]
    # then only the district admin gets the tile
    assert "test.audit_only" in {t["key"] for t in admin.json()["tiles"]}
    assert "test.audit_only" not in {t["key"] for t in secretary.json()["tiles"]}


def test_without_the_detail_permission_a_tile_is_a_count_without_its_list(
    client_for, people, rolled
):
    # given a tile whose list needs core.audit (district admins only), as key
    # populations need people.change: readers without it get the count only
    core_tiles.register_tile(
        "test.counted",
        title="测试计数",
        unit="人",
        section="测试",
        permission="people.view",
        link=lambda place: f"/people/tags/?place={place.pk}&test=1",
        detail_permission="core.audit",
    )(lambda places, month: {p.pk: 3 for p in places})
    try:
        refresh_figures(months=1)
        district = Place.objects.get(kind=PlaceKind.DISTRICT)
        community = community_of(people["shuji"])
        admin = client_for("quadmin").get(f"/insight/{district.code}/")
        secretary = client_for("shuji").get(f"/insight/{community.code}/")
    finally:
        del core_tiles.TILES["test.counted"]
    # then both see the tile and its figure; only the admin gets the link
    for response in (admin, secretary):
        assert 'data-key="test.counted"' in response.content.decode()
    assert "test=1" in admin.content.decode()
    assert "test=1" not in secretary.content.decode()


def test_key_populations_due_link_to_their_list_for_registry_staff(
    client_for, people, rolled
):
    # given a community worker (people.change in their community)
    community = community_of(people["shegong"])
    # when they open its dashboard
    body = client_for("shegong").get(f"/insight/{community.code}/").content.decode()
    # then the key-population tile links to the tags due a review there
    assert 'data-key="people.key_due"' in body
    assert f"/people/tags/?status=due&amp;place={community.pk}" in body


def test_the_api_returns_tiles_with_a_twelve_month_trend(client_for, people, rolled):
    # given the street admin
    street = Place.objects.get(assignments__user=people["jiedao"])
    # when the API is asked without a place
    data = client_for("jiedao").get("/api/v1/dashboard/").json()
    # then it answers for their top place, each tile with twelve months
    assert data["place"]["code"] == street.code
    assert data["tiles"]
    tile = next(t for t in data["tiles"] if t["key"] == "cases.open")
    assert {"key", "title", "value", "unit", "trend"} <= set(tile)
    assert len(tile["trend"]) == 12
    assert tile["trend"][-1]["month"] == f"{current_month():%Y-%m}"
    stored = Figure.objects.get(place=street, key="cases.open", month=current_month())
    assert tile["value"] == stored.value


def test_unknown_place_is_a_structured_404(client_for):
    response = client_for("quadmin").get("/api/v1/dashboard/?place=NOPE")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def queries_for(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_the_page_reads_a_bounded_number_of_queries_whatever_its_children(
    client_for, people, rolled
):
    # given a street (its communities) and a community (its grids), which have
    # different numbers of children
    community = community_of(people["shuji"])
    street = Place.objects.get(path=community.path[: -Place.steplen])
    assert street.numchild != community.numchild
    client = client_for("quadmin")
    queries_for(client, f"/insight/{street.code}/")  # warm caches
    # when each dashboard is opened
    at_street = queries_for(client, f"/insight/{street.code}/")
    at_community = queries_for(client, f"/insight/{community.code}/")
    # then the same few queries
    assert at_street == at_community
    assert at_street <= 15


def test_exports_xlsx_and_pdf(client_for, people, rolled):
    # given the street admin's street
    street = Place.objects.get(assignments__user=people["jiedao"])
    client = client_for("jiedao")
    # when the dashboard is exported
    xlsx = client.get(f"/insight/{street.code}/export.xlsx")
    pdf = client.get(f"/insight/{street.code}/report.pdf")
    # then the workbook lists tiles × places × months, the PDF is a PDF,
    # and each export is audited
    assert xlsx.status_code == 200
    _note, header, rows = read_workbook(xlsx)
    assert header[:3] == ["指标", "单位", "地点"] and len(header) == 15
    children = Place.objects.filter(
        path__startswith=street.path, depth=street.depth + 1
    ).count()
    titles = {row[0] for row in rows}
    assert "在办案件" in titles
    assert len(rows) == len(titles) * (children + 1)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert (
        AuditEntry.objects.filter(
            action=AuditAction.EXPORT, target_id=str(street.pk), actor=people["jiedao"]
        ).count()
        == 2
    )


def test_a_bad_month_falls_back_to_the_current_one(client_for, people, rolled):
    community = community_of(people["shuji"])
    for month in ("2026-13", "abc", "99999999999999999999-1", "1800-01"):
        response = client_for("shuji").get(f"/insight/{community.code}/?month={month}")
        assert response.status_code == 200
