"""Volunteering's "your turn" moments reach the person they concern: the resident
whose wish is claimed and fulfilled, the grid worker who must confirm it, the
volunteer whose hours were decided. Messages carry no one's name or number."""

from datetime import timedelta

import pytest
from django.utils import timezone

from jiceng.notices.models import NoticeKind, Notification
from jiceng.volunteer import services

pytestmark = pytest.mark.django_db


def notes(user, kind):
    return list(
        Notification.objects.filter(user=user, kind=kind).values_list("message", "url")
    )


@pytest.fixture
def wish_for_dangyuan(people, grid):
    """A published wish collected by wangge for dangyuan (a resident with an account)."""
    wish = services.collect_wish(
        actor=people["wangge"],
        place=grid,
        title="想请人修一下阳台的晾衣架",
        category="repair",
        alias="王阿姨",
        consent=True,
        beneficiary=people["dangyuan"].resident,
    )
    return services.review_wish(
        actor=people["shuji"], wish=wish, publish=True, version=0
    )


def test_the_resident_hears_when_her_wish_is_claimed_and_fulfilled(
    people, wish_for_dangyuan, jpeg, django_capture_on_commit_callbacks
):
    # given dangyuan's published wish
    dangyuan, wangge = people["dangyuan"], people["wangge"]
    wish = wish_for_dangyuan
    # when danwei's unit claims it
    with django_capture_on_commit_callbacks(execute=True):
        claim = services.claim_wish(actor=people["danwei"], wish=wish, as_unit=True)
    # then she is told, with a link to her wish on the wall
    [(message, url)] = notes(dangyuan, NoticeKind.WISH_CLAIMED)
    assert "晾衣架" in message and "已被认领" in message
    assert url == f"/volunteer/wall/{wish.pk}/"
    # and the claimant's name is not in it
    assert claim.claimant_name not in message
    # when the unit reports it done
    with django_capture_on_commit_callbacks(execute=True):
        services.fulfil_claim(
            actor=people["danwei"], claim=claim, note="已修好", photo=jpeg()
        )
    # then she and the grid worker who must confirm it hear of it
    assert "已完成" in notes(dangyuan, NoticeKind.WISH_FULFILLED)[0][0]
    # (the capture also runs the demo's own pending callbacks: keep this wish's)
    found = [n for n in notes(wangge, NoticeKind.WISH_FULFILLED) if "晾衣架" in n[0]]
    assert len(found) == 1, found
    [(message, url)] = found
    assert "确认" in message and url == wish.get_absolute_url()
    assert "王阿姨" not in message


def test_a_wish_for_a_resident_without_an_account_tells_no_one_of_the_claim(
    people, grid, django_capture_on_commit_callbacks
):
    # given a wish with no linked account
    wish = services.collect_wish(
        actor=people["wangge"],
        place=grid,
        title="需要一副老花镜",
        category="health",
        alias="李爷爷",
        consent=True,
    )
    services.review_wish(actor=people["shuji"], wish=wish, publish=True, version=0)
    before = Notification.objects.filter(kind=NoticeKind.WISH_CLAIMED).count()
    # when it is claimed
    with django_capture_on_commit_callbacks(execute=True):
        services.claim_wish(actor=people["danwei"], wish=wish, as_unit=True)
    # then nobody gets a wish-claimed notice
    assert Notification.objects.filter(kind=NoticeKind.WISH_CLAIMED).count() == before


def test_the_volunteer_hears_the_decision_on_their_hours(
    member, people, jpeg, django_capture_on_commit_callbacks
):
    # given hours dangyuan logged
    volunteer = services.volunteer_of(member)
    start = timezone.now() - timedelta(days=3)
    record = services.log_hours(
        actor=member,
        community=volunteer.community,
        title="陪独居老人就医",
        started_at=start,
        ended_at=start + timedelta(hours=2),
        evidence=jpeg(),
    )
    # when the community confirms them
    with django_capture_on_commit_callbacks(execute=True):
        services.decide_hours(actor=people["shuji"], record=record, approve=True)
    # then the volunteer is told, with a link to their own page
    # (the capture also runs the demo's own pending callbacks: keep these hours')
    found = [n for n in notes(member, NoticeKind.HOURS_DECIDED) if "就医" in n[0]]
    assert len(found) == 1, found
    [(message, url)] = found
    assert "2" in message and "已确认" in message and url == "/volunteer/me/"
