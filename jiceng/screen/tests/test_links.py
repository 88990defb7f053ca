"""Display links: a street administrator makes a read-only link for the command
centre's screen; it opens without a login, only its place, until revoked."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from jiceng.core.models import AuditEntry
from jiceng.places.models import Place, PlaceKind
from jiceng.screen import services
from jiceng.screen.models import DisplayLink

pytestmark = pytest.mark.django_db


@pytest.fixture
def street():
    return Place.objects.get(kind=PlaceKind.STREET, name="新华街道")


@pytest.fixture
def sibling():
    return Place.objects.get(kind=PlaceKind.STREET, name="东城街道")


def create(client, place, name="指挥中心大屏", days="30"):
    return client.post(
        "/screen/links/", {"place": place.pk, "name": name, "days": days}
    )


def raw_from(response):
    page = response.content.decode()
    start = page.index("/screen/d/") + len("/screen/d/")
    return page[start : page.index("/", start)]


def test_a_street_admin_creates_a_link_that_opens_its_screen_without_login(
    client_for, street
):
    # given the street administrator
    client = client_for("jiedao")
    audits = AuditEntry.objects.filter(target_type="screen.displaylink").count()
    # when they create a link
    response = create(client, street)
    raw = raw_from(response)
    # then it is shown once, only its hash is kept, and the creation is audited
    assert response.status_code == 200
    link = DisplayLink.objects.get()
    assert link.key_hash == DisplayLink.hash(raw) and raw not in link.key_hash
    assert link.created_by.username == "jiedao" and link.place == street
    assert (
        AuditEntry.objects.filter(target_type="screen.displaylink").count()
        == audits + 1
    )
    # and a browser without a login opens the screen and its data
    anonymous = Client()
    page = anonymous.get(f"/screen/d/{raw}/")
    data = anonymous.get(f"/screen/d/{raw}/data.json")
    assert page.status_code == 200
    assert f'data-url="/screen/d/{raw}/data.json"' in page.content.decode()
    assert "返回工作台" not in page.content.decode()
    assert data.status_code == 200
    assert data.json()["place"]["code"] == street.code
    link.refresh_from_db()
    assert link.last_used_at is not None


def test_a_revoked_link_stops_at_once_and_the_revocation_is_audited(
    client_for, people, street
):
    # given a link in use
    link, raw = services.create_link(
        actor=people["jiedao"], place=street, name="大屏", days=7
    )
    anonymous = Client()
    assert anonymous.get(f"/screen/d/{raw}/data.json").status_code == 200
    # when the street administrator revokes it
    response = client_for("jiedao").post(f"/screen/links/{link.pk}/revoke/")
    # then page and data answer 404, the data saying why
    assert response.status_code == 302
    assert anonymous.get(f"/screen/d/{raw}/").status_code == 404
    data = anonymous.get(f"/screen/d/{raw}/data.json")
    assert data.status_code == 404 and data.json()["error"] == "link_revoked"
    assert AuditEntry.objects.filter(
        target_type="screen.displaylink", target_id=str(link.pk), action="update"
    ).exists()


def test_expired_forged_and_orphaned_links_open_nothing(people, street):
    # given an expired link, a link whose creator left, and a made-up token
    expired, raw_expired = services.create_link(
        actor=people["jiedao"], place=street, name="旧屏", days=1
    )
    DisplayLink.objects.filter(pk=expired.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    _, raw_orphan = services.create_link(
        actor=people["jiedao"], place=street, name="另一屏", days=1
    )
    anonymous = Client()
    assert anonymous.get(f"/screen/d/{raw_orphan}/data.json").status_code == 200
    people["jiedao"].is_active = False
    people["jiedao"].save(update_fields=["is_active"])
    # when each is opened, then none shows anything
    for raw in (raw_expired, raw_orphan, "scr_" + "x" * 43, "nonsense"):
        assert anonymous.get(f"/screen/d/{raw}/").status_code == 404
        assert anonymous.get(f"/screen/d/{raw}/data.json").status_code == 404


def test_links_stay_within_the_creators_streets(client_for, people, street, sibling):
    # given the street administrator of 新华街道 and a link of theirs
    client = client_for("jiedao")
    link, _ = services.create_link(
        actor=people["jiedao"], place=street, name="新华街道值班室", days=7
    )
    count = DisplayLink.objects.count()
    # when they try to make a link for the other street
    response = create(client, sibling)
    # then the form refuses it and nothing is saved
    assert response.status_code == 400
    assert DisplayLink.objects.count() == count
    # and the other street's administrator neither sees nor revokes their link
    other = client_for("jiedao2")
    listing = other.get("/screen/links/").content.decode()
    assert link.name not in listing and "暂无展示链接" in listing
    assert other.post(f"/screen/links/{link.pk}/revoke/").status_code == 404
    link.refresh_from_db()
    assert link.revoked_at is None


def test_bad_input_is_a_clear_error_not_a_500(client_for, street):
    # given the street administrator
    client = client_for("jiedao")
    # when the form is sent empty, with a bad period and a bad place
    responses = [
        create(client, street, name="", days="30"),
        create(client, street, days="9999"),
        client.post("/screen/links/", {"place": "abc", "name": "x", "days": "1"}),
    ]
    # then each is shown again with its error
    assert [r.status_code for r in responses] == [400, 400, 400]
    assert DisplayLink.objects.count() == 0


@pytest.mark.parametrize("username", ["shuji", "wangge", "bumen"])
def test_only_streets_and_the_district_manage_links(client_for, street, username):
    # given someone who is not a street or district administrator
    client = client_for(username)
    # when they open or post the links page, then they are refused
    assert client.get("/screen/links/").status_code == 403
    assert create(client, street).status_code == 403
    assert DisplayLink.objects.count() == 0
