"""Open311 GeoReport v2: every endpoint in JSON and XML, including errors."""

import json
from xml.etree import ElementTree as ET

import pytest

from jiceng.cases.models import Case, Channel
from jiceng.cases.open311 import create_key

pytestmark = pytest.mark.django_db
BASE = "/open311/v2/"


@pytest.fixture
def key():
    return create_key("12345热线")


def xml(response):
    assert response["Content-Type"].startswith("text/xml")
    return ET.fromstring(response.content)


def test_discovery_and_services_in_both_formats(client):
    discovery = client.get(BASE + "discovery.json").json()
    assert (
        discovery["endpoints"][0]["specification"]
        == "http://wiki.open311.org/GeoReport_v2"
    )
    assert xml(client.get(BASE + "discovery.xml")).tag == "discovery"
    services = client.get(BASE + "services.json").json()
    streetlight = next(s for s in services if s["service_code"] == "BJ0117")
    assert streetlight["service_name"] == "路灯" and streetlight["type"] == "realtime"
    assert streetlight["metadata"] is True and "公用设施" in streetlight["group"]
    root = xml(client.get(BASE + "services.xml"))
    assert root.tag == "services" and root.find("service/service_code") is not None
    definition = client.get(BASE + "services/BJ0117.json").json()
    assert definition["service_code"] == "BJ0117"
    assert {a["code"] for a in definition["attributes"]} == {
        "anonymous",
        "location_detail",
    }
    assert (
        xml(client.get(BASE + "services/BJ0117.xml")).find("attributes/attribute/code")
        is not None
    )


def test_errors_are_the_specs_array(client, key):
    missing = client.get(BASE + "services/NOPE.json")
    assert missing.status_code == 404
    assert missing.json()[0]["code"] == 404 and missing.json()[0]["description"]
    root = xml(client.get(BASE + "services/NOPE.xml"))
    assert root.tag == "errors" and root.find("error/code").text == "404"
    assert (
        client.post(
            BASE + "requests.json", {"api_key": "wrong", "service_code": "BJ0117"}
        ).status_code
        == 403
    )
    no_place = client.post(
        BASE + "requests.json",
        {"api_key": key, "service_code": "BJ0117", "description": "路灯不亮了"},
    )
    assert (
        no_place.status_code == 400 and "lat/long" in no_place.json()[0]["description"]
    )
    assert client.get(BASE + "services.csv").status_code == 400
    bad_status = client.get(BASE + "requests.json", {"status": "pending"})
    assert bad_status.status_code == 400


def test_post_a_request_then_read_it_back(client, key, grid):
    response = client.post(
        BASE + "requests.json",
        {
            "api_key": key,
            "service_code": "BJ0117",
            "address_id": grid.code,
            "description": "三号楼前路灯不亮",
            "attribute[anonymous]": "true",
            "attribute[location_detail]": "3栋东侧",
            "first_name": "明",
            "last_name": "王",
            "phone": "13800138000",
            "media_url": "http://intranet.example/1.jpg",
            "jurisdiction_id": "zhonghe",
        },
    )
    assert response.status_code == 201
    number = response.json()[0]["service_request_id"]
    case = Case.objects.get(number=number)
    assert case.channel == Channel.OPEN311 and case.anonymous and case.place == grid
    assert "3栋东侧" in case.address and case.media_url.endswith("1.jpg")
    one = client.get(BASE + f"requests/{number}.json").json()[0]
    assert one["status"] == "open" and one["service_code"] == "BJ0117"
    assert one["requested_datetime"].endswith("+08:00")
    assert one["address_id"] == grid.code
    assert one["status_notes"].startswith(case.get_status_display())
    listed = client.get(BASE + "requests.json", {"service_request_id": number}).json()
    assert [r["service_request_id"] for r in listed] == [number]
    assert listed[0]["status_notes"] == one["status_notes"]
    assert number in [
        r["service_request_id"]
        for r in client.get(
            BASE + "requests.json", {"status": "open", "service_code": "BJ0117"}
        ).json()
    ]
    root = xml(client.get(BASE + f"requests/{number}.xml"))
    assert root.tag == "service_requests"
    assert root.find("request/service_request_id").text == number
    token = client.get(BASE + f"tokens/{number}.json").json()[0]
    assert token["service_request_id"] == number
    posted_xml = xml(
        client.post(
            BASE + "requests.xml",
            {
                "api_key": key,
                "service_code": "SJ0102",
                "lat": str(grid.lat or 28.87),
                "long": str(grid.lng or 105.44),
                "description": "垃圾没人清运",
            },
        )
    )
    assert posted_xml.find("request/service_request_id") is not None


def test_the_date_window_and_cap(client, key, grid):
    old = client.post(
        BASE + "requests.json",
        {
            "api_key": key,
            "service_code": "BJ0117",
            "address_id": grid.code,
            "description": "很久以前的路灯问题",
        },
    ).json()[0]["service_request_id"]
    from datetime import timedelta

    from django.utils import timezone

    Case.objects.filter(number=old).update(
        created_at=timezone.now() - timedelta(days=120)
    )
    recent = [
        r["service_request_id"] for r in client.get(BASE + "requests.json").json()
    ]
    assert old not in recent
    window = client.get(
        BASE + "requests.json",
        {
            "start_date": (timezone.now() - timedelta(days=200)).isoformat(),
            "end_date": timezone.now().isoformat(),
        },
    ).json()
    assert old in [r["service_request_id"] for r in window]
    assert (
        json.loads(client.get(BASE + "requests.json", {"start_date": "昨天"}).content)[
            0
        ]["code"]
        == 400
    )
