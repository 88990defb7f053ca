"""Sign-up with a waiting list, QR check-in rules, hours and points."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from jiceng.volunteer import services
from jiceng.volunteer.models import (
    EntryKind,
    HoursStatus,
    PointsEntry,
    SignupStatus,
    Volunteer,
)

pytestmark = pytest.mark.django_db


def code_of(call):
    with pytest.raises(ValidationError) as exc:
        call()
    return exc.value.code


def test_capacity_and_waiting_list(make_activity, member, people):
    # given an activity with one place, taken by wangge (a resident with an account?)
    activity = make_activity(capacity=1)
    first = services.sign_up(actor=member, activity=activity)
    assert first.status == SignupStatus.SIGNED
    assert code_of(lambda: services.sign_up(actor=member, activity=activity)) == (
        "duplicate"
    )
    # when a second volunteer signs up they wait; when the first cancels they move up
    other = _second_volunteer(people)
    waiting = services.sign_up(actor=other, activity=activity)
    assert waiting.status == SignupStatus.WAITING
    services.cancel_signup(actor=member, signup=first)
    waiting.refresh_from_db()
    assert waiting.status == SignupStatus.SIGNED


def _second_volunteer(people):
    """A second joiner: another resident in the district given a member account."""
    from django.contrib.auth import get_user_model

    from jiceng.core.models import Assignment
    from jiceng.people.models import Resident

    resident = Resident.objects.filter(user__isnull=True).order_by("pk").first()
    user = get_user_model().objects.create(username="zhiyuanzhe2")
    Assignment.objects.create(user=user, role="member")
    resident.user = user
    resident.save()
    return user


def test_check_in_window_duplicate_and_hours(make_activity, member, people):
    # given an activity that started 10 minutes ago and lasts 2 hours
    now = timezone.now()
    activity = make_activity(start=now - timedelta(minutes=10), hours=2)
    # unsigned volunteers cannot check in
    assert code_of(lambda: services.check_in(actor=member, activity=activity)) == (
        "not_signed"
    )
    services.sign_up(actor=member, activity=activity)
    # outside the window: too early, or after the end
    too_early = activity.starts_at - timedelta(minutes=31)
    assert (
        code_of(
            lambda: services.check_in(actor=member, activity=activity, now=too_early)
        )
        == "window"
    )
    after = activity.ends_at + timedelta(minutes=1)
    assert (
        code_of(lambda: services.check_in(actor=member, activity=activity, now=after))
        == "window"
    )
    # inside the window, once
    services.check_in(actor=member, activity=activity, now=now)
    assert code_of(lambda: services.check_in(actor=member, activity=activity)) == (
        "duplicate"
    )
    # when they check out 1h40 later, 1.5 hours wait for confirmation
    signup = services.check_out(
        actor=member, activity=activity, now=now + timedelta(minutes=100)
    )
    assert signup.hours.hours == Decimal("1.5")
    assert signup.hours.status == HoursStatus.PENDING
    # then the organiser confirms: hours and points follow in one go
    volunteer = Volunteer.objects.get(user=member)
    hours_before, balance_before = volunteer.hours_total, volunteer.points_balance
    services.confirm_activity_hours(actor=people["shuji"], activity=activity)
    volunteer.refresh_from_db()
    assert volunteer.hours_total == hours_before + Decimal("1.5")
    assert volunteer.points_balance == balance_before + 15
    entry = PointsEntry.objects.filter(volunteer=volunteer).order_by("-seq").first()
    assert entry.kind == EntryKind.EARN and entry.hours_id == signup.hours_id


def test_location_is_checked_when_the_activity_asks(make_activity, member):
    activity = make_activity(lat=34.36, lng=107.24, checkin_radius=200)
    services.sign_up(actor=member, activity=activity)
    assert code_of(lambda: services.check_in(actor=member, activity=activity)) == (
        "location"
    )
    far = lambda: services.check_in(  # noqa: E731
        actor=member, activity=activity, lat=34.37, lng=107.24
    )
    assert code_of(far) == "location"
    services.check_in(actor=member, activity=activity, lat=34.3605, lng=107.2401)


def test_overlapping_activities_are_not_counted_twice(make_activity, member):
    # given two activities at the same time, both signed up
    now = timezone.now()
    one = make_activity(start=now - timedelta(minutes=5), title="活动一")
    two = make_activity(start=now - timedelta(minutes=5), title="活动二")
    services.sign_up(actor=member, activity=one)
    services.sign_up(actor=member, activity=two)
    # when checked in at the first, the second refuses
    services.check_in(actor=member, activity=one, now=now)
    assert code_of(lambda: services.check_in(actor=member, activity=two, now=now)) == (
        "overlap"
    )
    # after checking out of the first, its hours block the same stretch
    services.check_out(actor=member, activity=one, now=now + timedelta(hours=1))
    assert (
        code_of(
            lambda: services.check_in(
                actor=member, activity=two, now=now + timedelta(minutes=30)
            )
        )
        == "overlap"
    )


def test_self_logged_hours_need_evidence_and_no_overlap(member, people, jpeg):
    volunteer = services.volunteer_of(member)
    start = timezone.now() - timedelta(days=3)
    log = lambda **kw: services.log_hours(  # noqa: E731
        actor=member,
        community=volunteer.community,
        title="陪独居老人就医",
        started_at=start,
        ended_at=start + timedelta(hours=2),
        **kw,
    )
    assert code_of(log) == "no_evidence"
    record = log(evidence=jpeg())
    assert record.hours == 2 and record.evidence
    assert code_of(lambda: log(evidence_note="王阿姨可证明")) == "overlap"
    # the community approves; a grid worker may not
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.decide_hours(actor=people["wangge"], record=record, approve=True)
    services.decide_hours(actor=people["shuji"], record=record, approve=True)
    record.refresh_from_db()
    assert record.status == HoursStatus.CONFIRMED


def test_star_tiers():
    from jiceng.volunteer.models import next_tier, star_for

    assert [star_for(h) for h in (0, 99, 100, 300, 600, 1000, 1500)] == [
        0,
        0,
        1,
        2,
        3,
        4,
        5,
    ]
    assert next_tier(Decimal(250)) == ("二星", Decimal(50))
    assert next_tier(Decimal(2000)) is None
