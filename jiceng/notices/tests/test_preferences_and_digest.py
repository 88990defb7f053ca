"""Each person chooses kinds and channels on /notices/preferences/; the daily digest
counts what they left unread, once a day, in a bounded number of queries."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from jiceng.core.models import AuditEntry
from jiceng.notices import digest, services
from jiceng.notices.models import (
    Channel,
    Contact,
    Delivery,
    NoticeKind,
    Notification,
    Preference,
)

pytestmark = pytest.mark.django_db
FILE = "jiceng.notices.channels.outbox.FileChannel"


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get("/notices/preferences/")
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_the_page_shows_defaults_and_saves_choices(people, client_for):
    # given the grid worker on her settings page, SMS not configured
    client = client_for("wangge")
    page = client.get("/notices/preferences/")
    html = page.content.decode()
    # then in-app is on, the digest off, and SMS shown as not available
    assert page.status_code == 200
    assert (
        'name="pref-vote_open-in_app" id="pref-vote_open-in_app" value="1" checked'
        in html
    )
    assert 'name="pref-vote_open-digest" id="pref-vote_open-digest" value="1">' in html
    assert "未开通" in html
    # when she mutes votes, routes case work to the digest and gives her number
    audits = AuditEntry.objects.count()
    form = {f"pref-{k}-in_app": "1" for k in NoticeKind.values if k != "vote_open"}
    form |= {"pref-case_assigned-digest": "1", "pref-bogus-sms": "1"}
    form |= {"phone": "13912345678", "wechat_openid": "", "digest_via": "sms"}
    saved = client.post("/notices/preferences/", form)
    # then her choices are kept, only the differences from the defaults stored
    assert saved.status_code == 302
    table = services.preference_table(people["wangge"])
    assert table[NoticeKind.VOTE_OPEN][Channel.IN_APP] is False
    assert table[NoticeKind.CASE_ASSIGNED][Channel.DIGEST] is True
    assert table[NoticeKind.TOPIC][Channel.IN_APP] is True
    assert Preference.objects.filter(user=people["wangge"]).count() == 2
    # and the page shows her number masked, the audit row holds no number
    again = client.get("/notices/preferences/").content.decode()
    assert "139****5678" in again and "13912345678" not in again
    assert AuditEntry.objects.count() == audits + 2
    assert "13912345678" not in str(
        list(AuditEntry.objects.order_by("-pk")[:2].values_list("changes", flat=True))
    )
    # when she saves again with the masked number shown back, it is kept
    client.post("/notices/preferences/", form | {"phone": "139****5678"})
    assert Contact.objects.get(user=people["wangge"]).phone_mask == "139****5678"


def test_bad_contact_details_are_refused_in_chinese(people, client_for):
    response = client_for("wangge").post(
        "/notices/preferences/",
        {"phone": "12345", "wechat_openid": "<script>", "digest_via": "sms"},
    )
    html = response.content.decode()
    assert response.status_code == 400 and "手机号码应为以1开头的11位数字" in html
    assert not Contact.objects.filter(user=people["wangge"]).exists()


def test_the_delivery_log_is_for_system_administrators(people, client_for, settings):
    settings.JICENG_NOTICE_ADAPTERS = {"sms": FILE}
    services.queue_sms(phone="13912345678", message="x", kind="case_closed")
    assert client_for("quadmin").get("/notices/deliveries/").status_code == 403
    page = client_for("sysadmin").get("/notices/deliveries/", {"status": "queued"})
    html = page.content.decode()
    assert page.status_code == 200 and "139****5678" in html
    assert "13912345678" not in html


def digest_users(people_count, *, prefix):
    """people_count users who route case work to a digest by SMS, each with two
    unread case notifications and one read one from today."""
    from django.contrib.auth import get_user_model

    users = get_user_model().objects.bulk_create(
        [get_user_model()(username=f"{prefix}{i}") for i in range(people_count)]
    )
    for user in users:
        Preference.objects.create(
            user=user,
            kind=NoticeKind.CASE_ASSIGNED,
            channel=Channel.DIGEST,
            enabled=True,
        )
        services.save_contact(
            actor=user, phone=f"1391234{len(users) + users.index(user):04d}"
        )
    Notification.objects.bulk_create(
        [
            Notification(user=u, kind=NoticeKind.CASE_ASSIGNED, message=f"案件{n}")
            for u in users
            for n in range(2)
        ]
        + [
            Notification(
                user=u,
                kind=NoticeKind.CASE_ASSIGNED,
                message="旧",
                read_at=timezone.now(),
            )
            for u in users
        ]
        + [
            Notification(user=u, kind=NoticeKind.VOTE_OPEN, message="表决")
            for u in users
        ]
    )
    return users


def test_the_digest_counts_unread_notices_once_a_day(
    settings, tmp_path, django_capture_on_commit_callbacks
):
    # given three people who chose the digest by SMS (the file outbox)
    settings.JICENG_NOTICE_ADAPTERS = {"sms": FILE}
    settings.VAR_DIR = tmp_path
    users = digest_users(3, prefix="dg")
    # when the daily command runs
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_digest", "--no-reminders", stdout=(out := _Out()))
    # then each has one digest counting the two unread case notices only
    rows = Delivery.objects.filter(digest_on=timezone.localdate())
    assert rows.count() == 3 and set(rows.values_list("user_id", flat=True)) == {
        u.pk for u in users
    }
    assert (
        rows.first().message
        == "每日汇总：您有2条未读通知（案件待办2条），请登录平台查看。"
    )
    assert "3 人有未读通知，排队 3 条" in out.text
    assert (tmp_path / "messages" / "sms.log").read_text().count("每日汇总") == 3
    # when it runs again the same day, nobody gets a second one
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_digest", "--no-reminders", stdout=(out := _Out()))
    assert rows.count() == 3 and "今日已发 3 人" in out.text


def test_the_digest_reads_in_a_bounded_number_of_queries(settings):
    settings.JICENG_NOTICE_ADAPTERS = {"sms": FILE}
    digest_users(3, prefix="qa")
    with CaptureQueriesContext(connection) as few:
        digest.send_digest()
    Delivery.objects.all().delete()
    digest_users(30, prefix="qb")
    with CaptureQueriesContext(connection) as many:
        summary = digest.send_digest()
    assert summary["queued"] == 33
    assert len(many) == len(few) <= 8


def test_old_and_read_notices_are_left_out(settings):
    settings.JICENG_NOTICE_ADAPTERS = {"sms": FILE}
    [user] = digest_users(1, prefix="old")
    Notification.objects.filter(user=user).update(
        created_at=timezone.now() - timedelta(days=2)
    )
    assert digest.send_digest()["users"] == 0


class _Out:
    def __init__(self):
        self.text = ""

    def write(self, text):
        self.text += text

    def flush(self):
        pass
