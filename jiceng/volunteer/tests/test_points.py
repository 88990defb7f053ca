"""The points ledger: append-only, balances derived, never negative; the mall never
oversells, also under concurrent requests."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jiceng.volunteer import services
from jiceng.volunteer.models import (
    EntryKind,
    MallItem,
    PointsEntry,
    RedemptionStatus,
    Volunteer,
)

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def volunteer(member):
    return services.volunteer_of(member)


def ledger_total(volunteer):
    return sum(
        PointsEntry.objects.filter(volunteer=volunteer).values_list("points", flat=True)
    )


operations = st.lists(
    st.tuples(st.sampled_from(["earn", "redeem", "adjust"]), st.integers(1, 120)),
    max_size=25,
)


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(ops=operations)
def test_balance_is_the_sum_of_entries_and_never_negative(volunteer, people, ops):
    # given any sequence of earnings, redemptions and downward adjustments
    for kind, amount in ops:
        before = Volunteer.objects.get(pk=volunteer.pk).points_balance
        try:
            if kind == "earn":
                services.append_entry(
                    volunteer=volunteer,
                    kind=EntryKind.EARN,
                    points=amount,
                    reason="服务",
                )
            elif kind == "redeem":
                services.append_entry(
                    volunteer=volunteer,
                    kind=EntryKind.REDEEM,
                    points=-amount,
                    reason="兑换",
                )
            else:
                services.adjust_points(
                    actor=people["shuji"],
                    volunteer=volunteer,
                    points=-amount,
                    reason="更正",
                )
        except ValidationError as exc:
            # then a refused debit is one that would overdraw, and changes nothing
            assert exc.code == "insufficient" and before < amount
            assert Volunteer.objects.get(pk=volunteer.pk).points_balance == before
    # then the cached balance equals the sum of the ledger, entries are gapless
    fresh = Volunteer.objects.get(pk=volunteer.pk)
    assert fresh.points_balance == ledger_total(volunteer) >= 0
    entries = list(PointsEntry.objects.filter(volunteer=volunteer).order_by("seq"))
    assert [e.seq for e in entries] == list(range(1, len(entries) + 1))
    running = 0
    for entry in entries:
        running += entry.points
        assert entry.balance_after == running >= 0
    assert services.check_ledger(Volunteer.objects.filter(pk=volunteer.pk)) == []


def test_entries_cannot_be_changed_or_deleted(volunteer):
    entry = services.append_entry(
        volunteer=volunteer, kind=EntryKind.EARN, points=5, reason="服务"
    )
    entry.points = 500
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        PointsEntry.objects.filter(pk=entry.pk).update(points=500)
    with pytest.raises(PermissionError):
        PointsEntry.objects.filter(pk=entry.pk).delete()
    # the database refuses an UPDATE too
    from django.db import DatabaseError, connection, transaction

    with pytest.raises(DatabaseError), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE volunteer_pointsentry SET points = 500 WHERE id = %s",
                [entry.pk],
            )


def test_check_ledger_finds_and_fixes_a_drifted_cache(volunteer):
    services.append_entry(
        volunteer=volunteer, kind=EntryKind.EARN, points=40, reason="x"
    )
    Volunteer.objects.filter(pk=volunteer.pk).update(points_balance=999)
    wrong = services.check_ledger(Volunteer.objects.filter(pk=volunteer.pk), fix=True)
    assert [(v.pk, cached, actual) for v, cached, actual in wrong] == [
        (volunteer.pk, 999, ledger_total(volunteer))
    ]
    assert services.balance_of(volunteer.pk) == ledger_total(volunteer)


def test_adjustment_needs_a_reason_and_the_community(volunteer, people):
    with pytest.raises(ValidationError):
        services.adjust_points(
            actor=people["shuji"], volunteer=volunteer, points=10, reason=" "
        )
    with pytest.raises(PermissionDenied):
        services.adjust_points(
            actor=people["jiedao2"], volunteer=volunteer, points=10, reason="奖励"
        )
    entry = services.adjust_points(
        actor=people["shuji"], volunteer=volunteer, points=10, reason="优秀志愿者奖励"
    )
    assert entry.kind == EntryKind.ADJUST and "优秀志愿者奖励" in entry.reason


def test_redeem_takes_stock_and_points_and_cancel_gives_them_back(
    volunteer, member, item, people
):
    # given 100 points and an item of 30 points with 3 in stock
    services.append_entry(
        volunteer=volunteer, kind=EntryKind.EARN, points=100, reason="x"
    )
    balance = services.balance_of(volunteer.pk)
    # when the member redeems two of them
    first = services.redeem(actor=member, item=item)
    services.redeem(actor=member, item=item)
    # then stock and balance drop
    item.refresh_from_db()
    assert item.stock == 1 and services.balance_of(volunteer.pk) == balance - 60
    # when the community cancels one, stock and points come back
    services.handle_redemption(actor=people["shuji"], redemption=first, deliver=False)
    item.refresh_from_db()
    assert item.stock == 2 and services.balance_of(volunteer.pk) == balance - 30
    first.refresh_from_db()
    assert first.status == RedemptionStatus.CANCELLED


def test_redeem_refuses_overdraw_and_oversell(volunteer, member, item):
    Volunteer.objects.filter(pk=volunteer.pk).update()  # no-op, keeps the row fresh
    balance = services.balance_of(volunteer.pk)
    if balance >= 30:
        services.append_entry(
            volunteer=volunteer, kind=EntryKind.REDEEM, points=-balance, reason="清零"
        )
    with pytest.raises(ValidationError) as poor:
        services.redeem(actor=member, item=item)
    assert poor.value.code == "insufficient"
    item.refresh_from_db()
    assert item.stock == 3  # the stock taken was rolled back
    services.append_entry(
        volunteer=volunteer, kind=EntryKind.EARN, points=1000, reason="x"
    )
    with pytest.raises(ValidationError) as sold:
        services.redeem(actor=member, item=item, quantity=4)
    assert sold.value.code == "sold_out"


def test_points_expire_two_years_after_earning_first_in_first_out(volunteer):
    from datetime import timedelta

    from django.utils import timezone

    # given 50 points earned now and 30 of them spent
    services.append_entry(
        volunteer=volunteer, kind=EntryKind.EARN, points=50, reason="x"
    )
    services.append_entry(
        volunteer=volunteer, kind=EntryKind.REDEEM, points=-30, reason="y"
    )
    before = services.balance_of(volunteer.pk)
    # when the sweep runs two years and a day later
    later = timezone.now() + timedelta(days=731)
    services.expire_points(later)
    # then what was earned but not spent is gone, and a second run changes nothing
    after = services.balance_of(volunteer.pk)
    assert after < before
    services.expire_points(later)
    assert services.balance_of(volunteer.pk) == after
    assert PointsEntry.objects.filter(volunteer=volunteer, kind="expire").count() == 1


def test_concurrent_redemptions_never_oversell_or_overdraw(race_database_url):
    # given a fresh database in a subprocess, on the engine under test
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    if race_database_url:
        env["DATABASE_URL"] = race_database_url
    env["JICENG_ENV"] = "test"
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "benchmarks._volunteer_race",
            "--threads",
            "6",
            "--stock",
            "5",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,  # hang guard: migrating a fresh database is slow on a busy machine
        check=True,
    )
    result = json.loads(completed.stdout)
    # then exactly the stock was sold, nobody went below zero, no entry was lost
    assert result["errors"] == []
    assert result["oversell"]["sold"] == 5 and result["oversell"]["stock_left"] == 0
    assert result["oversell"]["outcomes"]["ok"] == 5
    assert result["overdraw"]["sold"] == 2  # two buyers with points for one each
    for race in ("oversell", "overdraw"):
        assert result[race]["negative_balances"] == 0
        assert result[race]["ledger_mismatches"] == 0
    earnings = result["earnings"]
    assert earnings["earned_entries"] == earnings["expected"]
    assert earnings["seq_gapless"] and earnings["balance_matches"]


def test_mall_item_stock_cannot_go_negative(community):
    from django.db import IntegrityError, transaction

    item = MallItem.objects.create(
        community=community, name="雨伞", kind="goods", points=10, stock=0
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        MallItem.objects.filter(pk=item.pk).update(stock=-1)
