"""The case loop through the API and the pages, with structured errors."""

import io

import pytest
from PIL import Image

from jiceng.cases.models import Case, Category, Status

pytestmark = pytest.mark.django_db


def test_report_and_work_a_case_through_the_api(api_for, grid):
    worker, street = api_for("wangge"), api_for("jiedao")
    created = worker.post(
        "/api/v1/cases/",
        {
            "category_code": "SJ0102",
            "description": "小区门口垃圾堆积",
            "grid_code": grid.code,
            "reporter_phone": "13800138000",
        },
        content_type="application/json",
    )
    assert created.status_code == 201
    case = created.json()
    assert case["status"] == "reported" and case["status_label"] == "待受理"
    url = f"/api/v1/cases/{case['id']}/steps/"
    accepted = street.post(
        url + "accept", {"version": case["version"]}, content_type="application/json"
    )
    assert accepted.status_code == 200
    stale = street.post(
        url + "cancel",
        {"version": case["version"], "note": "x"},
        content_type="application/json",
    )
    assert stale.status_code == 409 and stale.json()["code"] == "conflict"
    version = accepted.json()["version"]
    bad = street.post(
        url + "dispatch", {"version": version}, content_type="application/json"
    )
    assert bad.status_code == 422 and bad.json()["code"] == "no_assignee"
    dispatched = street.post(
        url + "dispatch",
        {"version": version, "grid_code": grid.code},
        content_type="application/json",
    ).json()
    assert dispatched["status"] == "dispatched"
    events = worker.get(f"/api/v1/cases/{case['id']}/events").json()
    assert [e["action"] for e in events] == ["report", "accept", "dispatch"]
    assert api_for("wangge2").get(f"/api/v1/cases/{case['id']}").status_code == 404
    listed = worker.get("/api/v1/cases/", {"mine": True}).json()
    assert case["id"] in [c["id"] for c in listed["items"]]


def test_the_phone_report_form_keeps_input_and_takes_photos(client_for, grid):
    client = client_for("wangge")
    category = Category.objects.get(code="BJ0117")
    response = client.post(
        "/cases/new/",
        {"category": category.pk, "description": "灯", "reporter_phone": "123"},
    )
    html = response.content.decode()
    assert response.status_code == 400 and "至少4个字" in html
    assert 'value="123"' in html  # what was typed stays
    buffer = io.BytesIO()
    Image.new("RGB", (10, 10), "blue").save(buffer, "PNG")
    buffer.name = "现场.png"
    buffer.seek(0)
    response = client.post(
        "/cases/new/",
        {
            "category": category.pk,
            "description": "3栋门口路灯不亮",
            "grid": grid.pk,
            "photos": [buffer],
        },
    )
    case = Case.objects.latest("pk")
    assert response.url == case.get_absolute_url() and case.photos.count() == 1
    detail = client.get(case.get_absolute_url()).content.decode()
    assert "3栋门口路灯不亮" in detail and "网格巡查" in detail  # her default channel


def test_a_stale_page_gets_a_clear_conflict_message(client_for, grid):
    from jiceng.cases import services

    case = services.report_case(
        actor=None,
        category=Category.objects.get(code="SJ0102"),
        description="垃圾没人清理",
        place=grid,
    )
    jiedao = client_for("jiedao")
    jiedao.post(f"/cases/{case.pk}/act/", {"step": "accept", "version": 0})
    response = client_for("quadmin").post(
        f"/cases/{case.pk}/act/",
        {"step": "cancel", "version": 0, "note": "重复"},
        follow=True,
    )
    assert "已被他人更新" in response.content.decode()
    case.refresh_from_db()
    assert case.status == Status.ACCEPTED


def test_the_reporter_rates_on_the_public_page(client, grid, people):
    from jiceng.cases import services

    case = services.report_case(
        actor=None,
        category=Category.objects.get(code="SJ0102"),
        description="垃圾没人清理",
        place=grid,
    )
    for step, actor, data in [
        ("accept", "jiedao", {}),
        ("dispatch", "jiedao", {"grid": grid}),
        ("handle", "wangge", {"note": "已清运"}),
        ("verify", "shuji", {}),
        ("close", "jiedao", {}),
    ]:
        case.refresh_from_db()
        services.take_step(
            step, actor=people[actor], case=case, version=case.version, **data
        )
    page = client.get(case.get_public_url()).content.decode()
    assert "已结案" in page and "已清运" in page and "wangge" not in page
    response = client.post(case.get_public_url(), {"rating": "4", "comment": "不错"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.rating == 4


def test_a_hotline_call_is_typed_in_by_the_dispatcher(client_for, grid):
    category = Category.objects.get(code="BJ0117")
    form = client_for("jiedao").get("/cases/new/").content.decode()
    assert "热线" in form
    response = client_for("jiedao").post(
        "/cases/new/",
        {
            "channel": "hotline",
            "category": category.pk,
            "description": "市民来电：路灯不亮",
            "grid": grid.pk,
            "reporter_name": "王先生",
            "reporter_phone": "13800138000",
        },
    )
    assert response.status_code == 302
    assert Case.objects.latest("pk").channel == "hotline"
    # a resident cannot claim to be the hotline
    assert "热线" not in client_for("dangyuan").get("/cases/new/").content.decode()


def test_duplicates_merge_and_kpi_through_the_api(api_for, people, grid):
    from jiceng.cases import services

    category = Category.objects.get(code="BJ0117")
    first, second = (
        services.report_case(
            actor=people["wangge"],
            category=category,
            description="路灯不亮，晚上很黑",
            place=grid,
            lat=grid.lat,
            lng=grid.lng,
        )
        for _ in range(2)
    )
    api = api_for("jiedao")
    found = api.get(f"/api/v1/cases/{second.pk}/duplicates").json()
    assert first.pk in [d["case"]["id"] for d in found]
    merged = api.post(
        f"/api/v1/cases/{second.pk}/merge",
        {"into_id": first.pk, "version": second.version},
        content_type="application/json",
    )
    assert merged.status_code == 200 and merged.json()["status"] == "cancelled"
    stale = api.post(
        f"/api/v1/cases/{second.pk}/merge",
        {"into_id": first.pk, "version": second.version},
        content_type="application/json",
    )
    assert stale.status_code == 409
    figures = api.get("/api/v1/cases/kpi?period=month").json()
    assert figures["totals"]["received"] >= 2 and figures["children"]
    assert api_for("wangge").get("/api/v1/cases/kpi").status_code == 403
    assert (
        api_for("wangge2").get(f"/api/v1/cases/{second.pk}/duplicates").status_code
        == 404
    )


def test_overdue_means_the_same_on_every_surface(api_for, client_for, grid):
    # given a case nobody accepted within its response limit, and a fresh one
    from datetime import timedelta

    from django.utils import timezone

    worker = api_for("wangge")
    ids = []
    for text in ("井盖缺失无人受理", "路灯刚刚不亮了"):
        created = worker.post(
            "/api/v1/cases/",
            {
                "category_code": "SJ0102",
                "description": text,
                "lat": grid.lat,
                "lng": grid.lng,
            },
            content_type="application/json",
        )
        assert created.status_code == 201
        ids.append(created.json()["id"])
    Case.objects.filter(pk=ids[0]).update(
        respond_due=timezone.now() - timedelta(hours=1)
    )
    late, fresh = (Case.objects.get(pk=pk) for pk in ids)
    street = client_for("jiedao")

    # when the street asks for overdue cases through the API, the list page, the
    # map and the export, and opens both cases
    listed = api_for("jiedao").get("/api/v1/cases/?overdue=true").json()
    page = street.get("/cases/?overdue=on").content.decode()
    points = street.get("/cases/map.geojson").json()["features"]
    exported = street.get("/transfer/export/cases.xlsx?overdue=on")
    late_page = street.get(late.get_absolute_url()).content.decode()
    fresh_page = street.get(fresh.get_absolute_url()).content.decode()

    # then every surface calls the late one overdue (past its response limit) and
    # not the fresh one
    assert {c["id"] for c in listed["items"]} & set(ids) == {late.pk}
    assert late.number in page and fresh.number not in page
    flags = {f["properties"]["number"]: f["properties"]["overdue"] for f in points}
    assert flags[late.number] is True and flags[fresh.number] is False
    labels = {f["properties"]["number"]: f["properties"]["status"] for f in points}
    assert labels[late.number] == late.get_status_display()
    numbers = [row[0] for row in _sheet_rows(exported)]
    assert late.number in numbers and fresh.number not in numbers
    assert "超期" in late_page and "超期" not in fresh_page
    assert Case.objects.overdue().filter(pk__in=ids).get() == late


def _sheet_rows(response):
    from openpyxl import load_workbook

    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    return list(load_workbook(io.BytesIO(body)).active.iter_rows(values_only=True))


def test_the_list_pages_hold_the_same_cases_in_the_same_order_as_one_query(
    client_for, people
):
    # given the district's cases as the street secretary's list sorts them
    from django.core.paginator import Paginator

    from jiceng.cases.filters import cases_for
    from jiceng.core.htmx import IdFirstPaginator

    user = people["jiedao"]
    _, cases = cases_for(user, {})
    cases = cases.select_related("category", "place", "department", "grid")
    plain, by_ids = Paginator(cases, 7), IdFirstPaginator(cases, 7)
    assert plain.num_pages > 2

    # when the list is read page by page (the page finds its ids first)
    # then every page holds the same cases, in the same order, with their joins
    for number in plain.page_range:
        expected = [c.pk for c in plain.page(number)]
        page = by_ids.page(number)
        assert [c.pk for c in page] == expected
        assert all(c.category.name for c in page)

    # and the list page itself shows the newest case first
    newest = cases.first()
    assert newest.number in client_for("jiedao").get("/cases/").content.decode()
