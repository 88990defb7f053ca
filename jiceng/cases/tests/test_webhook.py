"""城市之眼 posts a signed alert; unsigned, stale or forged ones are refused."""

import json
import time

import pytest

from jiceng.cases.models import Case, Channel
from jiceng.cases.webhook import create_source, sign

pytestmark = pytest.mark.django_db


@pytest.fixture
def source():
    code, secret = create_source("城市之眼一期")
    return code, secret


def alert(grid, event_id="EV-1"):
    return {
        "event_id": event_id,
        "category_code": "SJ0201",
        "description": "视频识别：店外经营占道",
        "lat": grid.lat,
        "lng": grid.lng,
        "snapshot_url": "http://10.0.0.8/snap/1.jpg",
    }


def post(client, code, body, secret, *, timestamp=None, signature=None):
    timestamp = int(time.time()) if timestamp is None else timestamp
    data = json.dumps(body).encode()
    return client.post(
        f"/api/v1/hooks/video/{code}",
        data,
        content_type="application/json",
        HTTP_X_JICENG_TIMESTAMP=str(timestamp),
        HTTP_X_JICENG_SIGNATURE=signature or sign(secret, timestamp, data),
    )


def test_a_signed_alert_becomes_one_case(client, source, grid):
    code, secret = source
    first = post(client, code, alert(grid), secret)
    assert first.status_code == 201, first.content
    case = Case.objects.get(number=first.json()["case_number"])
    assert case.channel == Channel.VIDEO and case.place.kind == "grid"
    again = post(client, code, alert(grid), secret)
    assert again.status_code == 200 and again.json()["duplicate"] is True
    assert Case.objects.filter(external_ref__endswith=":EV-1").count() == 1


@pytest.mark.parametrize(
    "how", ["forged", "stale", "unknown source", "missing timestamp"]
)
def test_bad_signatures_are_refused(client, source, grid, how):
    code, secret = source
    before = Case.objects.count()
    if how == "forged":
        response = post(client, code, alert(grid), secret, signature="sha256=00")
    elif how == "stale":
        response = post(
            client, code, alert(grid), secret, timestamp=int(time.time()) - 3600
        )
    elif how == "unknown source":
        response = post(client, "nobody", alert(grid), secret)
    else:
        response = client.post(
            f"/api/v1/hooks/video/{code}", alert(grid), content_type="application/json"
        )
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"
    assert Case.objects.count() == before


def test_a_bad_category_is_a_clear_error(client, source, grid):
    code, secret = source
    body = alert(grid) | {"category_code": "XX"}
    response = post(client, code, body, secret)
    assert response.status_code == 422
    assert response.json()["details"][0]["field"] == "category_code"


def test_the_same_source_name_twice_is_a_clear_error(source):
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError, match="已登记"):
        call_command("video_source", name="城市之眼一期")
    call_command("video_source", name="城市之眼一期", disable=True)
    from jiceng.cases.models import VideoSource

    assert not VideoSource.objects.get(name="城市之眼一期").active
