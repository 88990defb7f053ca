"""外部接入密钥: a district administrator creates, rotates and disables the keys of
Open311 clients and video sources on a page, sees their use counts, and the secret
shows once; the command line still works; everyone else is refused."""

import json
import re
import time
from io import StringIO

import pytest
from django.core.management import call_command

from jiceng.cases.models import Open311Key, VideoSource
from jiceng.cases.services.keys import open311_keys_with_use
from jiceng.cases.webhook import sign
from jiceng.core.models import AuditEntry

pytestmark = pytest.mark.django_db
OPEN311 = "/open311/v2/requests.json"


def new_secret(page):
    match = re.search(
        r'data-testid="new-secret">.*?<div class="font-monospace[^"]*">([^<]+)</div>',
        page.content.decode(),
        re.S,
    )
    return match.group(1).strip() if match else None


def report(client, raw):
    return client.post(
        OPEN311,
        {
            "api_key": raw,
            "service_code": "BJ0117",
            "description": "路灯不亮已经三天了",
            "lat": 0,
            "long": 0,
        },
    )


def test_an_open311_key_is_created_used_rotated_and_disabled_on_the_page(
    client_for, client
):
    admin = client_for("quadmin")
    # when the district administrator creates a key
    response = admin.post("/cases/keys/", {"kind": "open311", "name": "12345热线"})
    assert response.status_code == 302
    page = admin.get("/cases/keys/")
    raw = new_secret(page)
    assert raw and raw.startswith("o311_")
    # then it is shown once only, and stored hashed
    assert new_secret(admin.get("/cases/keys/")) is None
    key = Open311Key.objects.get(name="12345热线")
    assert raw not in key.key_hash
    # each accepted request counts, on the page too
    report(client, raw)
    used = open311_keys_with_use().get(pk=key.pk)
    assert used.use_count == 1 and used.last_used_at is not None
    assert re.search(
        r"12345热线</td><td>启用</td><td>1</td>",
        admin.get("/cases/keys/").content.decode(),
    )
    # rotation: the old key stops at once, the new one works, the count stays
    admin.post(f"/cases/keys/open311/{key.pk}/rotate/")
    rotated = new_secret(admin.get("/cases/keys/"))
    assert rotated and rotated != raw
    assert report(client, raw).status_code == 403
    report(client, rotated)
    assert open311_keys_with_use().get(pk=key.pk).use_count == 2
    # disabled, it is refused
    admin.post(f"/cases/keys/open311/{key.pk}/disable/")
    assert report(client, rotated).status_code == 403
    changes = [
        e.changes
        for e in AuditEntry.objects.filter(
            target_type="cases.open311key", target_id=str(key.pk)
        )
    ]
    assert {"created", "rotated", "active"} <= {k for c in changes for k in c}
    assert all(rotated not in str(c) and raw not in str(c) for c in changes)


def test_a_video_source_is_rotated_and_its_old_secret_refused(client_for, client, grid):
    admin = client_for("quadmin")
    admin.post("/cases/keys/", {"kind": "video", "name": "城市之眼二期"})
    secret = new_secret(admin.get("/cases/keys/"))
    source = VideoSource.objects.get(name="城市之眼二期")

    def post(secret, event):
        body = json.dumps(
            {
                "event_id": event,
                "category_code": "SJ0201",
                "description": "占道经营",
                "lat": grid.lat,
                "lng": grid.lng,
            }
        ).encode()
        stamp = int(time.time())
        return client.post(
            f"/api/v1/hooks/video/{source.code}",
            body,
            content_type="application/json",
            HTTP_X_JICENG_TIMESTAMP=str(stamp),
            HTTP_X_JICENG_SIGNATURE=sign(secret, stamp, body),
        )

    assert post(secret, "A").status_code == 201
    admin.post(f"/cases/keys/video/{source.pk}/rotate/")
    rotated = new_secret(admin.get("/cases/keys/"))
    assert post(secret, "B").status_code == 403
    assert post(rotated, "C").status_code == 201
    source.refresh_from_db()
    assert source.use_count == 2
    admin.post(f"/cases/keys/video/{source.pk}/disable/")
    assert post(rotated, "D").status_code == 403


def test_the_command_line_still_issues_keys_and_they_show_on_the_page(client_for):
    out = StringIO()
    call_command("open311_key", name="区网格中心", stdout=out)
    assert out.getvalue().startswith("o311_")
    assert "区网格中心" in client_for("quadmin").get("/cases/keys/").content.decode()


@pytest.mark.parametrize("username", ["jiedao", "shuji", "wangge", "dangyuan"])
def test_only_district_administrators_manage_keys(client_for, username):
    client = client_for(username)
    assert client.get("/cases/keys/").status_code == 403
    response = client.post("/cases/keys/", {"kind": "open311", "name": "x"})
    assert response.status_code == 403
    assert not Open311Key.objects.filter(name="x").exists()
