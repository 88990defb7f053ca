"""逢六上街 and weekly activities: one rule, one sign-up per date. The yearly 微心愿
campaign: its own period, hotline and wall with the progress made public."""

from datetime import date, datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from jiceng.core.models import AuditEntry
from jiceng.places.models import Place
from jiceng.volunteer import services
from jiceng.volunteer.models import (
    Activity,
    ActivitySeries,
    Recurrence,
    SignupStatus,
    WishCampaign,
    WishStatus,
)
from jiceng.volunteer.services.activities import occurrence_days

pytestmark = pytest.mark.django_db


def _at(day, hour):
    return timezone.make_aware(datetime.combine(day, datetime.min.time())).replace(
        hour=hour
    )


def test_the_sixes_fall_on_the_6th_16th_and_26th():
    days = occurrence_days(
        Recurrence.MONTHLY_SIXES, date(2027, 1, 10), date(2027, 3, 6)
    )
    assert days == [
        date(2027, 1, 16),
        date(2027, 1, 26),
        date(2027, 2, 6),
        date(2027, 2, 16),
        date(2027, 2, 26),
        date(2027, 3, 6),
    ]
    weekly = occurrence_days(Recurrence.WEEKLY, date(2027, 1, 5), date(2027, 1, 26))
    assert weekly == [date(2027, 1, d) for d in (5, 12, 19, 26)]


def test_a_series_is_one_activity_per_date_each_with_its_own_signup(
    client_for, people, community, registered
):
    # given the community publishes 逢六上街 for two months
    first = timezone.localdate() + timedelta(days=1)
    series = services.publish_series(
        actor=people["shuji"],
        community=community,
        title="逢六上街",
        venue="社区广场",
        starts_at=_at(first, 9),
        ends_at=_at(first, 11),
        capacity=1,
        recurrence=Recurrence.MONTHLY_SIXES,
        repeat_until=first + timedelta(days=60),
    )

    # then each 6th/16th/26th is an activity at the same hours, audited as a series
    dates = occurrence_days(Recurrence.MONTHLY_SIXES, first, series.last_day)
    occurrences = list(series.occurrences.order_by("starts_at"))
    assert [timezone.localtime(a.starts_at).date() for a in occurrences] == dates
    assert all(timezone.localtime(a.starts_at).hour == 9 for a in occurrences)
    assert all(timezone.localtime(a.ends_at).hour == 11 for a in occurrences)
    entry = AuditEntry.objects.filter(target_type="volunteer.activityseries").get()
    assert entry.actor == people["shuji"]
    assert entry.changes == {"recurrence": "sixes", "count": len(dates)}

    # when a member signs up for one date
    signup = services.sign_up(actor=people["dangyuan"], activity=occurrences[0])

    # then only that date is taken; the next one is still open to them
    assert signup.status == SignupStatus.SIGNED
    assert not occurrences[1].signups.exists()
    services.sign_up(actor=people["dangyuan"], activity=occurrences[1])
    page = client_for("dangyuan").get(occurrences[0].get_absolute_url())
    text = page.content.decode()
    assert page.status_code == 200 and "系列活动" in text
    assert occurrences[1].get_absolute_url() in text


def test_a_series_needs_an_end_and_stays_within_its_community(people, community):
    first = timezone.localdate() + timedelta(days=1)
    base = {
        "community": community,
        "title": "每周巡河",
        "venue": "河边",
        "starts_at": _at(first, 9),
        "ends_at": _at(first, 10),
        "capacity": 5,
        "recurrence": Recurrence.WEEKLY,
    }
    with pytest.raises(ValidationError, match="重复截止日期"):
        services.publish_series(actor=people["shuji"], repeat_until=None, **base)
    with pytest.raises(ValidationError, match="最多60场"):
        services.publish_series(
            actor=people["shuji"], repeat_until=first + timedelta(days=500), **base
        )
    other = Place.objects.filter(kind="community").exclude(pk=community.pk).first()
    with pytest.raises(PermissionDenied):
        services.publish_series(
            actor=people["shuji"],
            repeat_until=first + timedelta(days=14),
            **{**base, "community": other},
        )
    assert not ActivitySeries.objects.filter(title="每周巡河").exists()


def test_the_publish_page_offers_the_sixes(client_for, community):
    first = timezone.localdate() + timedelta(days=1)
    response = client_for("shuji").post(
        "/volunteer/activities/new/",
        {
            "title": "逢六上街",
            "kind": "service",
            "community": community.pk,
            "venue": "社区广场",
            "starts_at": f"{first:%Y-%m-%d}T09:00",
            "ends_at": f"{first:%Y-%m-%d}T11:00",
            "capacity": 10,
            "points_per_hour": 10,
            "recurrence": "sixes",
            "repeat_until": f"{first + timedelta(days=31):%Y-%m-%d}",
        },
    )
    assert response.status_code == 302
    series = ActivitySeries.objects.get(title="逢六上街")
    assert (
        response.url == series.occurrences.order_by("starts_at")[0].get_absolute_url()
    )
    assert Activity.objects.filter(series=series).count() == len(
        occurrence_days(Recurrence.MONTHLY_SIXES, first, series.last_day)
    )


def test_a_yearly_wish_campaign_gathers_its_wishes_and_shows_its_progress(
    client, client_for, people, community
):
    # given the demo's campaign for shuji's community this year
    year = timezone.localdate().year
    campaign = WishCampaign.objects.get(community=community, year=year)
    assert campaign.hotline and "微心愿" in campaign.title

    # when a grid worker collects a wish in the period, and it is published
    grid = Place.objects.filter(assignments__user=people["wangge"]).first()
    wish = services.collect_wish(
        actor=people["wangge"],
        place=grid,
        title="想要一台收音机",
        category="living",
        alias="王爷爷",
        consent=True,
    )
    services.review_wish(actor=people["shuji"], wish=wish, publish=True)

    # then it belongs to the campaign, whose own wall shows it and the progress
    wish.refresh_from_db()
    assert wish.campaign == campaign and wish.status == WishStatus.PUBLISHED
    page = client.get(campaign.get_absolute_url())
    text = page.content.decode()
    assert page.status_code == 200
    assert "想要一台收音机" in text and "完成进度公示" in text
    assert campaign.hotline in text
    progress = services.campaign_progress(campaign)
    assert progress["total"] >= 1 and progress["waiting"] >= 1
    assert (
        campaign.get_absolute_url() in client.get("/volunteer/wall/").content.decode()
    )


def test_a_campaign_is_once_a_year_within_the_managers_community(
    client_for, people, community
):
    year = timezone.localdate().year + 1
    dates = {
        "collect_from": date(year, 1, 1),
        "collect_until": date(year, 2, 28),
        "fulfil_until": date(year, 12, 31),
    }
    campaign = services.start_campaign(
        actor=people["shuji"], community=community, year=year, **dates
    )
    entry = AuditEntry.objects.filter(target_type="volunteer.wishcampaign").latest("pk")
    assert entry.actor == people["shuji"] and entry.target_id == str(campaign.pk)
    with pytest.raises(ValidationError, match="已发起"):
        services.start_campaign(
            actor=people["shuji"], community=community, year=year, **dates
        )
    with pytest.raises(ValidationError, match="完成期限"):
        services.start_campaign(
            actor=people["shuji"],
            community=community,
            year=year + 1,
            collect_from=date(year + 1, 1, 1),
            collect_until=date(year + 1, 3, 1),
            fulfil_until=date(year + 1, 2, 1),
        )
    other = Place.objects.filter(kind="community").exclude(pk=community.pk).first()
    with pytest.raises(PermissionDenied):
        services.start_campaign(
            actor=people["shuji"], community=other, year=year, **dates
        )
    # the form page opens for managers only
    assert (
        client_for("shuji").get("/volunteer/wishes/campaigns/new/").status_code == 200
    )
    assert (
        client_for("wangge").get("/volunteer/wishes/campaigns/new/").status_code == 403
    )
