"""Messages that leave the platform: off unless configured, sent through the
configured adapter, retried with back-off, logged without personal data."""

import hashlib
import hmac
import json
import logging
from datetime import timedelta

import pytest
from django.utils import timezone

from jiceng.notices import services
from jiceng.notices.channels import sms as sms_channel
from jiceng.notices.models import (
    Channel,
    Contact,
    Delivery,
    DeliveryStatus,
    NoticeKind,
    Notification,
)

from .gateway import FakeGateway

pytestmark = pytest.mark.django_db

PHONE = "13912345678"
FILE = "jiceng.notices.channels.outbox.FileChannel"
SMS = "jiceng.notices.channels.sms.SmsChannel"
WECHAT = "jiceng.notices.channels.wechat.WeChatChannel"


def opt_in(user, kind, channel, *, phone=PHONE, openid=""):
    services.save_contact(actor=user, phone=phone, wechat_openid=openid)
    services.save_preferences(
        actor=user,
        enabled={(kind, Channel.IN_APP), (kind, channel)},
    )


@pytest.fixture
def sms_gateway(settings):
    def configure(statuses=(200,), answer=None):
        gateway = FakeGateway(statuses, answer)
        settings.JICENG_NOTICE_ADAPTERS = {"sms": SMS}
        settings.JICENG_SMS_URL = gateway.url + "/send"
        settings.JICENG_SMS_KEY = "k1"
        settings.JICENG_SMS_SECRET = "s3cret"
        settings.JICENG_SMS_TEMPLATE = "TPL_1"
        settings.JICENG_SMS_SIGN = "某区基层治理"
        settings.JICENG_NOTICE_RETRY_SECONDS = 60
        settings.JICENG_NOTICE_MAX_ATTEMPTS = 3
        return gateway

    return configure


def test_outside_channels_are_off_by_default(
    people, django_capture_on_commit_callbacks
):
    # given a user who asked for SMS, on a platform where no channel is configured
    shuji = people["shuji"]
    opt_in(shuji, NoticeKind.CASE_ASSIGNED, Channel.SMS)
    # when she is notified
    with django_capture_on_commit_callbacks(execute=True):
        told = services.notify([shuji], "案件B-1 待受理", kind=NoticeKind.CASE_ASSIGNED)
    # then she is told in-app only, nothing is queued, and no hotline SMS either
    assert told == 1
    assert not Delivery.objects.exists()
    assert (
        services.queue_sms(phone=PHONE, message="x", kind=NoticeKind.CASE_CLOSED)
        is None
    )


def test_a_muted_kind_sends_nothing_and_other_kinds_still_arrive(people, settings):
    # given a secretary who muted vote notices everywhere, with SMS configured
    settings.JICENG_NOTICE_ADAPTERS = {"sms": FILE}
    shuji = people["shuji"]
    services.save_contact(actor=shuji, phone=PHONE)
    services.save_preferences(
        actor=shuji,
        enabled={(NoticeKind.CASE_ASSIGNED, Channel.IN_APP)},
    )
    # when a vote opens and a case waits for her
    muted = services.notify([shuji], "表决B-2 开始", kind=NoticeKind.VOTE_OPEN)
    told = services.notify([shuji], "案件B-3 待受理", kind=NoticeKind.CASE_ASSIGNED)
    # then there is no row (in-app or SMS) for the vote, and one for the case
    assert (muted, told) == (0, 1)
    mine = Notification.objects.filter(user=shuji, message__contains="B-")
    assert list(mine.values_list("message", flat=True)) == ["案件B-3 待受理"]
    assert not Delivery.objects.filter(user=shuji).exists()


def test_the_file_outbox_shows_the_message_with_a_masked_number(
    people, settings, tmp_path, django_capture_on_commit_callbacks
):
    # given the demo's file outbox and a user who chose SMS for wishes
    settings.JICENG_NOTICE_ADAPTERS = {"sms": FILE}
    settings.VAR_DIR = tmp_path
    dangyuan = people["dangyuan"]
    opt_in(dangyuan, NoticeKind.WISH_CLAIMED, Channel.SMS)
    # when she is notified
    with django_capture_on_commit_callbacks(execute=True):
        services.notify([dangyuan], "您的微心愿已被认领", kind=NoticeKind.WISH_CLAIMED)
    # then the outbox holds the message for 139****5678, never the full number
    text = (tmp_path / "messages" / "sms.log").read_text(encoding="utf-8")
    assert "您的微心愿已被认领" in text and "139****5678" in text
    assert PHONE not in text
    row = Delivery.objects.get(user=dangyuan)
    assert row.status == DeliveryStatus.SENT and row.recipient_mask == "139****5678"
    assert row.notification.user == dangyuan


def test_a_failing_gateway_is_retried_with_back_off_until_sent(
    people, sms_gateway, caplog, django_capture_on_commit_callbacks
):
    # given a gateway that fails twice, then accepts
    with sms_gateway(statuses=(503, 502, 200)) as gateway:
        now = timezone.now()
        with django_capture_on_commit_callbacks(execute=True):
            delivery = services.queue_sms(
                phone=PHONE, message="您反映的问题已办结", kind=NoticeKind.CASE_CLOSED
            )
        # when the first try (queued on commit) fails
        delivery.refresh_from_db()
        assert delivery.status == DeliveryStatus.FAILED and delivery.attempts == 1
        first_wait = delivery.next_attempt_at - timezone.now()
        assert timedelta(seconds=50) < first_wait <= timedelta(seconds=60)
        # then it is not tried again before its wait is over
        assert services.deliver(delivery.pk, now=now + timedelta(seconds=30)) is None
        # and after it, fails again and waits twice as long
        later = now + timedelta(seconds=61)
        with caplog.at_level(logging.INFO):
            assert services.deliver(delivery.pk, now=later) == DeliveryStatus.FAILED
        delivery.refresh_from_db()
        assert delivery.next_attempt_at == later + timedelta(seconds=120)
        assert delivery.attempts == 2 and delivery.last_error == "HTTP 502"
        # and the third try is sent
        third = later + timedelta(seconds=121)
        assert services.retry_due(now=third) == {delivery.pk: DeliveryStatus.SENT}
    delivery.refresh_from_db()
    assert delivery.sent_at is not None and delivery.last_error == ""
    # the gateway got the number, the template and a valid signature
    post = gateway.posts[-1]
    assert post["body"]["phone"] == PHONE and post["body"]["template_id"] == "TPL_1"
    headers = {k.lower(): v for k, v in post["headers"].items()}
    body = json.dumps(post["body"], ensure_ascii=False, sort_keys=True)
    assert headers["x-signature"] == sms_channel.signature(
        "s3cret", headers["x-timestamp"], headers["x-nonce"], body
    )
    assert (
        headers["x-signature"]
        == hmac.new(
            b"s3cret",
            f"{headers['x-timestamp']}\n{headers['x-nonce']}\n{body}".encode(),
            hashlib.sha256,
        ).hexdigest()
    )
    # the log and the delivery row never hold the full number
    assert PHONE not in caplog.text and "139****5678" in caplog.text
    assert PHONE not in delivery.last_error + delivery.recipient_mask


def test_the_log_gives_up_after_the_last_attempt(
    people, sms_gateway, django_capture_on_commit_callbacks
):
    # given a gateway that is down, and three attempts allowed
    with sms_gateway(statuses=(500,) * 5):
        with django_capture_on_commit_callbacks(execute=True):
            delivery = services.queue_sms(
                phone=PHONE, message="x", kind=NoticeKind.CASE_CLOSED
            )
        # when it is tried after each wait
        when = timezone.now()
        for _ in range(2):
            when += timedelta(hours=1)
            services.deliver(delivery.pk, now=when)
    # then it is given up after the third, with no next attempt
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.GAVE_UP and delivery.attempts == 3
    assert delivery.next_attempt_at is None
    assert services.deliver(delivery.pk, now=when + timedelta(days=1)) is None


def test_a_refused_message_is_not_retried(
    sms_gateway, django_capture_on_commit_callbacks
):
    # given a gateway that answers 200 with an error code, then one that says 400
    with sms_gateway(statuses=(400,)):
        with django_capture_on_commit_callbacks(execute=True):
            bad = services.queue_sms(phone=PHONE, message="x", kind="case_closed")
    bad.refresh_from_db()
    # then a 400 gives up at once
    assert bad.status == DeliveryStatus.GAVE_UP and bad.attempts == 1
    with sms_gateway(answer={"code": "E_TEMPLATE"}):
        with django_capture_on_commit_callbacks(execute=True):
            odd = services.queue_sms(phone=PHONE, message="x", kind="case_closed")
    odd.refresh_from_db()
    assert odd.status == DeliveryStatus.FAILED and "E_TEMPLATE" in odd.last_error


def test_wechat_template_message_goes_to_the_bound_openid(
    people, settings, django_capture_on_commit_callbacks
):
    # given the official account configured and a user who bound an openid
    with FakeGateway() as api:
        settings.JICENG_NOTICE_ADAPTERS = {"wechat": WECHAT}
        settings.JICENG_WECHAT_API = api.url
        settings.JICENG_WECHAT_APPID, settings.JICENG_WECHAT_SECRET = "wx1", "sec"
        settings.JICENG_WECHAT_TEMPLATE = "TPL_W"
        settings.JICENG_SITE_URL = "https://jiceng.example.gov.cn"
        wangge = people["wangge"]
        opt_in(wangge, NoticeKind.CASE_ASSIGNED, Channel.WECHAT, openid="oAbc_123xyz")
        # when she is notified
        with django_capture_on_commit_callbacks(execute=True):
            services.notify(
                [wangge], "案件B-4 已派给您处置", "/cases/4/", kind="case_assigned"
            )
    # then a template message is posted with the token, to her openid, with a link
    send = next(r for r in api.requests if r["path"].startswith("/cgi-bin/message"))
    assert "access_token=T0K" in send["path"]
    assert send["body"]["touser"] == "oAbc_123xyz"
    assert send["body"]["template_id"] == "TPL_W"
    assert send["body"]["url"] == "https://jiceng.example.gov.cn/cases/4/"
    row = Delivery.objects.get(user=wangge)
    assert row.status == DeliveryStatus.SENT and "oAbc_123xyz" not in row.recipient_mask


def test_an_unconfigured_channel_gives_up_without_calling_anything(settings):
    # given a delivery left from when SMS was configured
    settings.JICENG_NOTICE_ADAPTERS = {"sms": FILE}
    delivery = services.queue_sms(phone=PHONE, message="x", kind="case_closed")
    # when SMS is switched off and the delivery is tried
    settings.JICENG_NOTICE_ADAPTERS = {}
    status = services.deliver(delivery.pk)
    # then it is given up, saying why
    delivery.refresh_from_db()
    assert status == DeliveryStatus.GAVE_UP and delivery.last_error == "渠道未配置"


def test_contact_numbers_are_stored_encrypted(people):
    contact = services.save_contact(actor=people["shuji"], phone=PHONE)
    raw = Contact.objects.filter(pk=contact.pk).values_list("phone_cipher", flat=True)
    assert PHONE.encode() not in bytes(raw[0])
    assert contact.phone_mask == "139****5678"
