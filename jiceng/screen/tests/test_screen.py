"""The big screen: who opens which place, what its JSON holds, what it costs."""

import json
import re
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from jiceng.cases import kpi
from jiceng.cases.models import Case, CaseEvent, Category, StatDimension
from jiceng.cases.services import report_case
from jiceng.core.scope import Scope
from jiceng.onewindow.models import ServicePoint
from jiceng.places.models import Place, PlaceKind
from jiceng.workforce.services.patrols import add_points, start_patrol

pytestmark = pytest.mark.django_db

ID_NUMBER = re.compile(r"(?<!\d)\d{17}[\dXx](?!\d)")
MOBILE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")
MASKED = re.compile(r"\d{3}\*{4}\d{4}|\d{6}\*{8}")
TOP_KEYS = {
    "place",
    "generated_at",
    "today",
    "month",
    "headline",
    "map",
    "rankings",
    "charts",
    "ticker",
}


@pytest.fixture
def street():
    return Place.objects.get(kind=PlaceKind.STREET, name="新华街道")


@pytest.fixture
def sibling():
    return Place.objects.get(kind=PlaceKind.STREET, name="东城街道")


def in_subtree(place):
    return Case.objects.filter(Scope.in_subtree("place", [place.path], Place))


# --- who opens what ------------------------------------------------------------------


def test_anonymous_is_sent_to_log_in_and_the_json_answers_401(street):
    # given an anonymous visitor
    client = Client()
    # when they open the screen and its data
    index = client.get("/screen/")
    page = client.get(f"/screen/{street.code}/")
    data = client.get(f"/screen/{street.code}/data.json")
    # then the pages ask for a login and the JSON says why, for the page's script
    assert index.status_code == 302 and "/login/" in index["Location"]
    assert page.status_code == 302 and "/login/" in page["Location"]
    assert data.status_code == 401
    assert data.json()["error"] == "login_required"


@pytest.mark.parametrize("username", ["wangge", "shegong", "loudong", "dangyuan"])
def test_a_role_without_case_kpis_is_refused(client_for, street, username):
    # given someone who does not read the case KPIs
    client = client_for(username)
    # when they open the screen
    responses = [
        client.get("/screen/"),
        client.get(f"/screen/{street.code}/"),
        client.get(f"/screen/{street.code}/data.json"),
    ]
    # then every answer is 403
    assert [r.status_code for r in responses] == [403, 403, 403]


def test_a_department_has_no_place_screen(client_for, street):
    # given a department, which reads only its own KPI figures
    client = client_for("bumen")
    # when it opens the screen
    index = client.get("/screen/")
    page = client.get(f"/screen/{street.code}/")
    # then it is told the screen is per place, and a street's screen is refused
    assert index.status_code == 200
    assert "没有辖区范围" in index.content.decode()
    assert page.status_code == 403


def test_a_street_sees_its_own_screen_and_not_its_sibling(client_for, street, sibling):
    # given the street administrator of 新华街道
    client = client_for("jiedao")
    # when they open the screen, their street's, and the other street's
    index = client.get("/screen/?poll=5")
    own = client.get(f"/screen/{street.code}/")
    own_data = client.get(f"/screen/{street.code}/data.json")
    other = client.get(f"/screen/{sibling.code}/")
    other_data = client.get(f"/screen/{sibling.code}/data.json")
    # then the index opens their street (keeping the query), the sibling is 404
    assert index.status_code == 302
    assert index["Location"] == f"/screen/{street.code}/?poll=5"
    assert own.status_code == 200
    assert f'data-url="/screen/{street.code}/data.json"' in own.content.decode()
    # and the page knows where to send a reader whose session has ended
    login_hint = f'data-login-url="/login/?next=/screen/{street.code}/"'
    assert login_hint in own.content.decode()
    assert own_data.status_code == 200
    assert own_data.json()["place"]["name"] == "新华街道"
    assert other.status_code == 404
    assert other_data.status_code == 404
    assert other_data.json()["error"] == "not_found"
    assert client.get("/screen/999999999/").status_code == 404


def test_a_community_secretary_sees_the_community_not_the_street(client_for, people):
    # given the secretary of 幸福社区
    community = Place.objects.get(kind=PlaceKind.COMMUNITY, name="幸福社区")
    client = client_for("shuji")
    # when they open the screen
    index = client.get("/screen/")
    street = Place.objects.get_parent(community)
    # then it is their community's; the street above is outside their subtree
    assert index.status_code == 302
    assert index["Location"] == f"/screen/{community.code}/"
    assert client.get(f"/screen/{community.code}/data.json").status_code == 200
    assert client.get(f"/screen/{street.code}/").status_code == 404


def test_the_district_chooses_a_street_or_sees_the_district(client_for, street):
    # given the district administrator
    client = client_for("quadmin")
    district = Place.objects.get_parent(street)
    # when they open the screen
    index = client.get("/screen/")
    # then they choose the district or one of its streets, and both open
    assert index.status_code == 200
    page = index.content.decode()
    assert f"/screen/{district.code}/" in page
    assert f"/screen/{street.code}/" in page
    assert "东城街道" in page
    assert client.get(f"/screen/{district.code}/data.json").status_code == 200
    assert client.get(f"/screen/{street.code}/data.json").status_code == 200


def test_the_poll_interval_comes_from_settings_or_a_bounded_parameter(
    client_for, street, settings
):
    # given a screen whose interval is the setting unless the URL says otherwise
    settings.JICENG_SCREEN_POLL_SECONDS = 45
    client = client_for("jiedao")
    url = f"/screen/{street.code}/"
    # when it is opened with no, a short, a too short and a bad interval
    pages = [
        client.get(url + query).content.decode()
        for query in ("", "?poll=5", "?poll=1", "?poll=x")
    ]
    # then the page carries the interval its script polls at
    assert ['data-poll="45"' in pages[0], 'data-poll="5"' in pages[1]] == [True, True]
    assert 'data-poll="2"' in pages[2] and 'data-poll="45"' in pages[3]


# --- what the JSON holds ------------------------------------------------------------


def test_the_json_has_every_section_and_its_figures_follow_the_case_rules(
    client_for, street
):
    # given the street's screen data
    body = client_for("jiedao").get(f"/screen/{street.code}/data.json").json()
    cases = in_subtree(street)
    now = timezone.now()
    month = timezone.localdate().replace(day=1)
    # then every section is there
    assert set(body) == TOP_KEYS
    assert set(body["map"]) == {
        "outlines",
        "grid_load",
        "cases",
        "service_points",
        "patrols",
    }
    headline = body["headline"]
    # and the figures are the case app's own: open, overdue (its queryset rule),
    # the month's intake and 办结率 from the KPI rollup
    assert headline["open"] == cases.filter(is_open=True).count()
    assert headline["overdue"] == cases.overdue(now).count()
    month_figures = kpi.totals(
        kpi.stats(StatDimension.PLACE, (month, month), [street.path])
    )
    assert headline["received_month"] == month_figures.received
    assert headline["completion_rate"] == month_figures.completion_rate
    month_start = datetime.combine(month, time.min, tzinfo=ZoneInfo("Asia/Shanghai"))
    reported_this_month = CaseEvent.objects.filter(
        case__in=cases, action="report", at__gte=month_start
    ).count()
    assert headline["received_month"] == reported_this_month
    # today's intake counts the reports since midnight in Shanghai
    today_start = datetime.combine(
        timezone.localdate(), time.min, tzinfo=ZoneInfo("Asia/Shanghai")
    )
    reported_today = CaseEvent.objects.filter(
        case__in=cases, action="report", at__gte=today_start
    ).count()
    assert reported_today and headline["received_today"] == reported_today
    # every grid of the street is outlined, and its load is its open cases
    grids = Place.objects.filter(kind=PlaceKind.GRID, path__startswith=street.path)
    outlined = {
        f["properties"]["code"]
        for f in body["map"]["outlines"]["features"]
        if f["properties"]["kind"] == "grid"
    }
    assert outlined == {g.code for g in grids if g.geometry}
    for grid in grids:
        expected = in_subtree(grid).filter(is_open=True).count()
        assert body["map"]["grid_load"].get(grid.code, 0) == expected
    # case points carry category, status and age only
    for point in body["map"]["cases"]:
        assert set(point) == {
            "lat",
            "lng",
            "category",
            "status",
            "status_label",
            "age_hours",
            "overdue",
        }
    # the trend covers 30 days; its daily figures are the timeline's
    trend = body["charts"]["trend"]
    assert len(trend["labels"]) == 30
    first = timezone.localdate() - timedelta(days=29)
    trend_start = datetime.combine(first, time.min, tzinfo=ZoneInfo("Asia/Shanghai"))
    window = CaseEvent.objects.filter(case__in=cases, at__gte=trend_start)
    assert sum(trend["received"]) == window.filter(action="report").count() > 0
    assert sum(trend["closed"]) == window.filter(action="close").count()
    assert trend["labels"][-1] == f"{timezone.localdate():%m-%d}"
    assert body["rankings"]["communities"], "the street's communities are ranked"
    names = {r["name"] for r in body["rankings"]["communities"]}
    assert "幸福社区" in names


@pytest.mark.parametrize("username", ["quadmin", "jiedao", "wangge"])
def test_service_points_within_a_place_are_the_readers_own_read_once(
    people, street, username
):
    # given a reader and the street a screen shows
    reader = people[username]
    within = ServicePoint.objects.visible_within(reader, street.path)
    # then they are the points the reader may see that lie in the street: the
    # district's and the street's own points, and for a grid worker also the
    # street's open points beyond their grids
    expected = ServicePoint.objects.visible_to(reader).filter(
        place__path__startswith=street.path
    )
    assert set(within.values_list("pk", flat=True)) == set(
        expected.values_list("pk", flat=True)
    )
    assert within.exists()
    # and a reader whose grant holds the whole street reads its places once
    if username != "wangge":
        assert str(within.query).count("places_place") == 1


def test_the_json_carries_no_personal_data(client_for, people, street):
    # given a case with a named reporter and a phone, a patrol by a named worker
    grid = Place.objects.filter(assignments__user=people["wangge"]).order_by("code")[0]
    category = Category.objects.filter(parent__isnull=False).first()
    report_case(
        actor=people["wangge"],
        category=category,
        description="13812345678 张三丰 反映楼道堆物",
        place=grid,
        lat=grid.lat,
        lng=grid.lng,
        reporter_name="张三丰",
        reporter_phone="13812345678",
    )
    patrol = start_patrol(actor=people["wangge"], grid=grid)
    add_points(
        actor=people["wangge"],
        patrol=patrol,
        coordinates=[[grid.lng, grid.lat], [grid.lng + 0.0005, grid.lat]],
    )
    # when the street's screen data is read, by the street and by the district
    texts = [
        client_for(user).get(f"/screen/{street.code}/data.json").content.decode()
        for user in ("jiedao", "quadmin")
    ]
    # then no ID number, phone, masked number or person's name is in it
    reporters = set(
        in_subtree(street)
        .exclude(reporter_name="")
        .values_list("reporter_name", flat=True)
    )
    workers = {
        people["wangge"].get_full_name(),
        people["wangge"].username,
        str(people["wangge"]),
    } - {""}
    for text in texts:
        data = json.loads(text)
        assert data["map"]["patrols"], "today's patrol is on the map"
        assert not ID_NUMBER.search(text)
        assert not MOBILE.search(text)
        assert not MASKED.search(text)
        for name in reporters | workers:
            assert name not in text, name


def _add_load(people, street, n):
    """n more open located cases (with their timeline) and n patrols today."""
    grid = Place.objects.filter(assignments__user=people["wangge"]).order_by("code")[0]
    category = Category.objects.filter(parent__isnull=False).first()
    for i in range(n):
        report_case(
            actor=people["wangge"],
            category=category,
            description=f"测试案件 {i}",
            place=grid,
            lat=grid.lat,
            lng=grid.lng,
        )
    for _ in range(n):
        patrol = start_patrol(actor=people["wangge"], grid=grid)
        add_points(
            actor=people["wangge"],
            patrol=patrol,
            coordinates=[[grid.lng, grid.lat], [grid.lng, grid.lat + 0.0004]],
        )
        patrol.ended_at = timezone.now()
        patrol.save(update_fields=["ended_at"])


def test_the_json_costs_the_same_queries_however_many_cases(client_for, people, street):
    # given the street's screen
    client = client_for("jiedao")
    url = f"/screen/{street.code}/data.json"
    client.get(url)  # session and grants warm

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    # when it is read, then read again after 3 and after 12 more cases and patrols
    before = queries()
    _add_load(people, street, 3)
    some = queries()
    _add_load(people, street, 12)
    more = queries()
    # then the number of queries does not grow with the rows
    assert before == some == more
    assert more <= 32
