"""The street secretary opens 考核统计, the map and the Excel export of cases."""

import io

import pytest
from openpyxl import load_workbook

from jiceng.cases.tests.helpers import report, work_through
from jiceng.core.scope import has_permission
from jiceng.core.testing import DEMO_USERNAMES
from jiceng.places.models import Place
from jiceng.transfer.workbooks import XLSX

pytestmark = pytest.mark.django_db


def closed_case(people, grid, category, rating):
    case = report(people, grid, category, lat=grid.lat, lng=grid.lng)
    return work_through(people, case, grid, rating=rating)


def test_the_street_sees_its_communities_ranked(client_for, people, grid, streetlight):
    closed_case(people, grid, streetlight, 5)
    page = client_for("jiedao").get("/cases/kpi/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "按期办结率" in text and "满意率" in text
    assert 'data-testid="kpi-ranking-table"' in text
    assert Place.objects.get_parent(grid).name in text  # the grid's community is ranked
    assert "kpi-chart-data" in text


def test_kpi_is_for_dispatchers_and_departments_only(client_for):
    assert client_for("wangge").get("/cases/kpi/").status_code == 403
    assert client_for("dangyuan").get("/cases/kpi/").status_code == 403
    assert client_for("bumen").get("/cases/kpi/").status_code == 200


@pytest.mark.parametrize("username", DEMO_USERNAMES)
def test_kpi_opens_exactly_for_cases_kpi(client_for, api_for, people, username):
    # given a demo account, and whether its roles carry cases.kpi (the menu's test)
    allowed = has_permission(people[username], "cases.kpi")

    # when it opens the KPI page and asks the API for the figures
    page = client_for(username).get("/cases/kpi/")
    api = api_for(username).get("/api/v1/cases/kpi")

    # then both open exactly when it holds the permission
    assert page.status_code == (200 if allowed else 403)
    assert api.status_code == (200 if allowed else 403)


def test_another_street_cannot_be_picked(client_for, people, grid, streetlight):
    closed_case(people, grid, streetlight, 4)
    street = Place.objects.get_ancestors(grid).get(kind="street")
    page = client_for("jiedao2").get(f"/cases/kpi/?place={street.pk}")
    assert street.name not in page.content.decode().split("<h1")[1].split("</h1>")[0]


def test_the_ranking_exports_to_excel(client_for, people, grid, streetlight):
    closed_case(people, grid, streetlight, 5)
    response = client_for("jiedao").get("/cases/kpi/?format=xlsx")
    assert response["Content-Type"] == XLSX
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][0] == "名称" and any(
        r[0] == Place.objects.get_parent(grid).name for r in rows[2:]
    )


def test_cases_export_as_filtered_and_masked(client_for, people, grid, streetlight):
    case = report(people, grid, streetlight, reporter_phone="13800138000")
    response = client_for("jiedao").get("/transfer/export/cases.xlsx?status=open")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[1]
    found = [r for r in rows[2:] if r[0] == case.number]
    assert found, "the open case is exported"
    phone = found[0][header.index("联系电话")]
    assert phone == "138****8000"
    other = client_for("jiedao2").get("/transfer/export/cases.xlsx")
    numbers = [
        r[0]
        for r in load_workbook(
            io.BytesIO(b"".join(other.streaming_content))
        ).active.iter_rows(values_only=True)
    ]
    assert case.number not in numbers


def test_the_map_shows_only_visible_cases(client_for, people, grid, streetlight):
    case = report(people, grid, streetlight, lat=grid.lat, lng=grid.lng)
    mine = client_for("wangge").get("/cases/map.geojson?status=open").json()
    assert case.number in [f["properties"]["number"] for f in mine["features"]]
    theirs = client_for("wangge2").get("/cases/map.geojson").json()
    assert case.number not in [f["properties"]["number"] for f in theirs["features"]]
    assert client_for("wangge").get("/cases/map/").status_code == 200


def test_communities_without_cases_are_listed_with_zeros(client_for, people, grid):
    from jiceng.cases.dashboard import dashboard_data, kpi_scope, period_months

    # given the street's communities, some of which had no case this month
    street = Place.objects.get_ancestors(grid).get(kind="street")
    communities = Place.objects.get_children(street)
    scope = kpi_scope(people["jiedao"])

    # when the street reads its ranking
    data = dashboard_data(scope, street, period_months("month"))

    # then every community is a row, those without cases with zeros
    names = {row["name"]: row["figures"] for row in data["children"]}
    assert set(names) == {c.name for c in communities}
    page = client_for("jiedao").get("/cases/kpi/").content.decode()
    for community in communities:
        assert community.name in page


def test_two_sub_areas_are_not_ranked_against_each_other(
    client_for, people, grid, settings
):
    from jiceng.cases.dashboard import _ranked
    from jiceng.cases.kpi import Figures

    settings.JICENG_KPI_RANK_MIN_PLACES = 3
    settings.JICENG_KPI_RANK_MIN_CASES = 5

    def row(name, received, on_time):
        return {
            "name": name,
            "figures": Figures(received=received, closed=10, closed_on_time=on_time),
        }

    # two communities, however far apart: nobody is named
    two = _ranked([row("甲", 20, 10), row("乙", 20, 1)])
    assert [r.get("flag") for r in two] == [None, None]
    # three with enough cases: one red, one black; a place with too few cases
    # is listed but never named
    four = _ranked(
        [row("甲", 20, 10), row("乙", 20, 5), row("丙", 20, 1), row("丁", 2, 0)]
    )
    flags = {r["name"]: r.get("flag") for r in four}
    assert flags == {"甲": "red", "乙": None, "丙": "black", "丁": None}
    # the page explains the rule in Chinese, with the configured thresholds
    page = client_for("jiedao").get("/cases/kpi/").content.decode()
    assert "受理不少于5件的下级区域（或承办部门）达到3个时才评榜" in page
