"""/api/v1/notices/: my own notifications and my notification preferences."""

import pytest

from jiceng.notices import services
from jiceng.notices.models import Channel, NoticeKind

pytestmark = pytest.mark.django_db


def test_anonymous_callers_get_401(client):
    assert client.get("/api/v1/notices/preferences/").status_code == 401


def test_i_list_my_own_unread_notifications(people, api_for):
    # given one notification for wangge and one for shuji
    services.notify([people["wangge"]], "案件C-1 待受理", kind="case_assigned")
    services.notify([people["shuji"]], "案件C-2 待受理", kind="case_assigned")
    # when wangge lists her unread ones
    response = api_for("wangge").get("/api/v1/notices/", {"unread": "true"})
    # then hers is there with its kind, shuji's is not
    messages = {row["message"]: row for row in response.json()["items"]}
    assert response.status_code == 200
    assert messages["案件C-1 待受理"]["kind"] == "case_assigned"
    assert "案件C-2 待受理" not in messages


def test_i_set_my_preferences_and_bad_pairs_are_refused(people, api_for):
    client = api_for("wangge")
    # when she turns on only case work in-app and votes in the digest
    body = {
        "enabled": [
            {"kind": "case_assigned", "channel": "in_app"},
            {"kind": "vote_open", "channel": "digest"},
        ]
    }
    response = client.put(
        "/api/v1/notices/preferences/", body, content_type="application/json"
    )
    # then exactly those are on
    assert response.status_code == 200
    on = {(i["kind"], i["channel"]) for i in response.json()["items"] if i["enabled"]}
    assert on == {("case_assigned", "in_app"), ("vote_open", "digest")}
    assert (
        services.preference_table(people["wangge"])[NoticeKind.TOPIC][Channel.IN_APP]
        is False
    )
    # when a kind that does not exist is sent, a structured 422 comes back
    bad = client.put(
        "/api/v1/notices/preferences/",
        {"enabled": [{"kind": "nope", "channel": "sms"}]},
        content_type="application/json",
    )
    assert bad.status_code == 422 and bad.json()["code"] == "invalid_request"
