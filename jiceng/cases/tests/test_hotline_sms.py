"""A hotline caller with no account hears by SMS when their case closes (where SMS
is configured); the number is in no message, log or delivery row."""

import logging

import pytest

from jiceng.cases.models import Channel
from jiceng.cases.tests.helpers import report, work_through
from jiceng.notices.models import Delivery, DeliveryStatus, NoticeKind

pytestmark = pytest.mark.django_db
PHONE = "13800138000"


@pytest.fixture
def outbox(settings, tmp_path):
    settings.JICENG_NOTICE_ADAPTERS = {
        "sms": "jiceng.notices.channels.outbox.FileChannel"
    }
    settings.VAR_DIR = tmp_path
    return tmp_path / "messages" / "sms.log"


def test_the_caller_hears_the_case_is_closed(
    people, grid, streetlight, outbox, caplog, django_capture_on_commit_callbacks
):
    # given a hotline case taken by an operator, with the caller's mobile
    case = report(
        people,
        grid,
        streetlight,
        channel=Channel.HOTLINE,
        reporter_name="来电群众",
        reporter_phone=PHONE,
    )
    # when it is worked through and closed
    with (
        caplog.at_level(logging.DEBUG),
        django_capture_on_commit_callbacks(execute=True),
    ):
        work_through(people, case, grid)
    # then one SMS went out, naming the case number and its query code
    [sms] = Delivery.objects.filter(kind=NoticeKind.CASE_CLOSED, user=None)
    case.refresh_from_db()
    assert sms.status == DeliveryStatus.SENT and sms.recipient_mask == "138****8000"
    assert case.number in sms.message and case.public_token in sms.message
    assert sms.message.startswith("您反映的问题（编号")
    # and the full number is nowhere but the ciphertext
    assert PHONE not in sms.message + sms.recipient_mask + sms.last_error
    assert PHONE.encode() not in bytes(sms.recipient_cipher)
    assert PHONE not in caplog.text
    text = outbox.read_text(encoding="utf-8")
    assert case.number in text and "138****8000" in text and PHONE not in text


def test_no_sms_without_configuration_or_for_account_holders(
    people, grid, streetlight, settings, django_capture_on_commit_callbacks
):
    # given SMS not configured (the default) and a hotline case
    hotline = report(
        people, grid, streetlight, channel=Channel.HOTLINE, reporter_phone=PHONE
    )
    with django_capture_on_commit_callbacks(execute=True):
        work_through(people, hotline, grid)
    assert not Delivery.objects.exists()
    # given SMS configured and a case reported by a grid worker's own account
    settings.JICENG_NOTICE_ADAPTERS = {
        "sms": "jiceng.notices.channels.outbox.ConsoleChannel"
    }
    own = report(people, grid, streetlight, reporter_phone=PHONE)
    with django_capture_on_commit_callbacks(execute=True):
        work_through(people, own, grid)
    # then she hears in-app only
    assert not Delivery.objects.exists()
