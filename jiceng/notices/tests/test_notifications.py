"""The bell: a user reads, opens and clears their own notifications, nobody else's."""

import pytest

from jiceng.notices.models import Notification
from jiceng.notices.services import notify

pytestmark = pytest.mark.django_db


def test_notify_skips_the_actor_and_repeats(people):
    # given two people told of the same thing, one of them its actor
    wangge, shuji = people["wangge"], people["shuji"]

    # when the message goes to both (one listed twice), the actor excluded
    sent = notify([wangge, wangge, shuji], "网格走访待安排", "/places/", exclude=shuji)

    # then only the other hears of it, once
    assert sent == 1
    assert list(Notification.objects.filter(message="网格走访待安排")) == [
        Notification.objects.get(user=wangge, message="网格走访待安排")
    ]


def test_a_user_reads_opens_and_clears_their_notifications(people, client_for):
    # given a notification for wangge and one for shuji
    notify([people["wangge"]], "请核对本网格的住户", "/places/")
    notify([people["shuji"]], "社区例会通知", "/places/")
    client = client_for("wangge")

    # when wangge opens the bell's page and her notification
    page = client.get("/notices/")
    note = Notification.objects.get(user=people["wangge"], message="请核对本网格的住户")
    opened = client.get(f"/notices/{note.pk}/")

    # then she sees it, it leads to its page and counts as read
    assert page.status_code == 200 and "请核对本网格的住户" in page.content.decode()
    assert opened.status_code == 302 and opened["Location"] == "/places/"
    note.refresh_from_db()
    assert note.read_at is not None

    # and someone else's notification is not found
    other = Notification.objects.get(user=people["shuji"], message="社区例会通知")
    assert client.get(f"/notices/{other.pk}/").status_code == 404

    # and "mark all read" clears hers
    assert client.post("/notices/read-all/").status_code == 302
    assert not Notification.objects.filter(user=people["wangge"], read_at=None).exists()
