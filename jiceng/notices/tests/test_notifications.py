"""The bell: each person hears what is theirs, opens it once, and nobody else's.

Who is told of a case's next step is the cases app's story (its workflow tests);
here is how a notification is sent, listed, opened and marked read.
"""

import pytest
from django.core.exceptions import ValidationError

from jiceng.notices import services
from jiceng.notices.errors import NoticeError
from jiceng.notices.models import Notification

pytestmark = pytest.mark.django_db


def inbox(user):
    """The user's notifications sent by these tests (the demo has its own)."""
    mine = Notification.objects.filter(user=user, message__startswith="案件A-")
    return list(mine.values_list("message", flat=True))


def test_each_person_is_told_once_and_the_actor_not_at_all(people):
    # given a dispatcher, a grid worker named twice, and the actor among them
    shuji, wangge, jiedao = people["shuji"], people["wangge"], people["jiedao"]
    # when a notification goes out
    sent = services.notify(
        [shuji, wangge, wangge, jiedao], "案件A-1 待受理", "/cases/1/", exclude=jiedao
    )
    # then each other person has it once, the actor none
    assert sent == 2
    assert inbox(shuji) == ["案件A-1 待受理"] and inbox(wangge) == ["案件A-1 待受理"]
    assert inbox(jiedao) == []


def test_inactive_accounts_are_skipped(people):
    # given an account that has been switched off
    wangge = people["wangge"]
    wangge.is_active = False
    wangge.save(update_fields=["is_active"])
    # when it is notified
    sent = services.notify([wangge], "案件A-2 已派给您处置")
    # then nothing is stored for it
    assert sent == 0 and inbox(wangge) == []


@pytest.mark.parametrize(
    ("message", "url", "code"),
    [
        ("", "/cases/1/", NoticeError.EMPTY_MESSAGE),
        ("案件A-3 待受理", "https://example.com/", NoticeError.UNSAFE_URL),
    ],
)
def test_a_notification_needs_text_and_a_link_on_this_site(people, message, url, code):
    # when a notification without text, or pointing off the site, is sent
    with pytest.raises(ValidationError) as info:
        services.notify([people["shuji"]], message, url)
    # then it is refused with its code and nobody is told
    assert info.value.code == code
    assert inbox(people["shuji"]) == []


def test_opening_marks_read_and_follows_the_link(people, client_for):
    # given two notifications for the grid worker
    wangge = people["wangge"]
    services.notify([wangge], "案件A-4 已派给您处置", "/cases/4/")
    services.notify([wangge], "案件A-5 已派给您处置", "/cases/5/")
    client = client_for("wangge")
    # when she lists only the unread ones
    page = client.get("/notices/", {"unread": "true"})
    # then both are there
    html = page.content.decode()
    assert page.status_code == 200 and "A-4" in html and "A-5" in html
    # when she opens one
    note = Notification.objects.get(user=wangge, message__startswith="案件A-4")
    opened = client.get(f"/notices/{note.pk}/")
    # then she is taken to it, and it is read and gone from the unread list
    assert opened.status_code == 302 and opened["Location"] == "/cases/4/"
    note.refresh_from_db()
    assert note.read_at is not None
    unread = client.get("/notices/", {"unread": "true"}).content.decode()
    assert "A-4" not in unread and "A-5" in unread
    # when she marks all read
    assert client.post("/notices/read-all/").status_code == 302
    # then none is left unread
    assert not Notification.objects.filter(user=wangge, read_at=None).exists()


def test_someone_elses_notification_is_not_found(people, client_for):
    # given a notification for the community secretary
    services.notify([people["shuji"]], "案件A-6 待受理", "/cases/6/")
    other = Notification.objects.get(user=people["shuji"], message="案件A-6 待受理")
    # when the grid worker opens it
    response = client_for("wangge").get(f"/notices/{other.pk}/")
    # then it does not exist for her, and it stays unread
    assert response.status_code == 404
    other.refresh_from_db()
    assert other.read_at is None


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get("/notices/")
    assert response.status_code == 302 and "/login/" in response["Location"]
