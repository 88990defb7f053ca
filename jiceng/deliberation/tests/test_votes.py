"""Votes: the rules' exact boundaries, one vote per household (even racing), the
API's answers, and a tally anyone can check without learning who voted what."""

import json
import os
import subprocess
import sys
from datetime import timedelta
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from django.utils import timezone

from jiceng.core.models import AuditEntry
from jiceng.deliberation import services
from jiceng.deliberation.models import Ballot, Participation
from jiceng.deliberation.rules import ABSTAIN, NO, YES, Rule, Tally

ROOT = Path(__file__).resolve().parents[3]


def tally(rule, electorate, yes, no=0, abstain=0, area=None, **kwargs):
    areas = area or {}
    return Tally(
        rule=rule,
        electorate=electorate,
        electorate_area=Decimal(areas.get("total", 0)),
        counts={YES: yes, NO: no, ABSTAIN: abstain},
        areas={k: Decimal(v) for k, v in areas.items() if k != "total"},
        **kwargs,
    )


def test_simple_majority_needs_more_than_half_of_the_ballots():
    assert tally(Rule.SIMPLE, 100, yes=26, no=25).passed
    assert not tally(Rule.SIMPLE, 100, yes=25, no=25).passed  # exactly half: no
    assert not tally(Rule.SIMPLE, 100, yes=25, no=24, abstain=1).passed


def test_quorum_is_exact():
    # more than half must take part by default: 50 of 100 is not enough
    assert not tally(Rule.SIMPLE, 100, yes=50).quorate
    assert tally(Rule.SIMPLE, 100, yes=51).quorate
    at_least = tally(
        Rule.SIMPLE, 3000, yes=2000, quorum=Fraction(2, 3), quorum_strict=False
    )
    assert at_least.quorate
    assert not tally(
        Rule.SIMPLE, 3000, yes=1999, quorum=Fraction(2, 3), quorum_strict=False
    ).quorate


def test_two_thirds_counts_the_boundary_in():
    assert tally(Rule.TWO_THIRDS, 90, yes=40, no=20).passed  # exactly 2/3
    assert not tally(Rule.TWO_THIRDS, 90, yes=39, no=20, abstain=1).passed
    # 2/3 of 2,001 ballots is 1,334: a float ratio would round it wrong
    assert tally(Rule.TWO_THIRDS, 3000, yes=1334, no=667).passed
    assert not tally(Rule.TWO_THIRDS, 3000, yes=1333, no=668).passed


def test_owners_double_majority_of_area_and_owners():
    area = {"total": "9000.00", YES: "3000.01", NO: "3000.00"}
    # 2/3 of the owners (8 of 12) holding 2/3 of the area take part; yes is more
    # than half of both the owners and the area taking part
    assert tally(Rule.OWNERS, 12, yes=5, no=3, area=area).passed
    # the same owners, but yes holds exactly half of the area: fails
    half = {"total": "9000.00", YES: "3000.00", NO: "3000.00"}
    assert not tally(Rule.OWNERS, 12, yes=5, no=3, area=half).passed
    # yes holds most of the area but not more than half of the owners: fails
    assert not tally(Rule.OWNERS, 12, yes=4, no=4, area=area).passed
    # participation by area below 2/3 (5999.99 of 9000): not quorate
    thin = {"total": "9000.00", YES: "3000.00", NO: "2999.99"}
    assert not tally(Rule.OWNERS, 12, yes=5, no=3, area=thin).quorate
    # participation by owners below 2/3 (7 of 12): not quorate
    assert not tally(Rule.OWNERS, 12, yes=5, no=2, area=area).quorate


def test_owners_major_matters_need_three_quarters_of_both():
    area = {"total": "800", YES: "600", NO: "200"}
    assert tally(Rule.OWNERS_MAJOR, 8, yes=6, no=2, area=area).passed
    less = {"total": "800", YES: "599.99", NO: "200.01"}
    assert not tally(Rule.OWNERS_MAJOR, 8, yes=6, no=2, area=less).passed


@pytest.fixture
def voting_topic(people, held_meeting, building):
    shuji = people["shuji"]
    topic = services.raise_topic(
        actor=people["dangyuan"],
        place=building,
        title="改造楼道照明",
        description="楼道灯太暗",
    )
    services.grade_topic(actor=shuji, topic=topic, grade="major")
    services.discuss_topic(
        actor=shuji, meeting=held_meeting, topic=topic, summary="同意"
    )
    now = timezone.now()
    services.open_poll(
        actor=shuji,
        topic=topic,
        unit="household",
        rule=Rule.SIMPLE,
        opens_at=now - timedelta(minutes=5),
        closes_at=now + timedelta(hours=1),
    )
    return topic


@pytest.mark.django_db
def test_the_api_answers_201_then_409_for_the_same_household(voting_topic, api_for):
    # given dangyuan's household is in the electorate
    client = api_for("dangyuan")
    url = f"/api/v1/topics/{voting_topic.pk}/votes/"
    # when they vote twice
    first = client.post(url, {"choice": YES}, content_type="application/json")
    second = client.post(url, {"choice": NO}, content_type="application/json")
    # then the first counts and the second is a conflict
    assert first.status_code == 201, first.content
    assert len(first.json()["receipt"]) == 10
    assert second.status_code == 409
    assert second.json()["code"] == "already_voted"
    assert Ballot.objects.filter(poll=voting_topic.poll).count() == 1
    # and the audit says someone voted, not what (secret ballot)
    row = AuditEntry.objects.filter(target_type="deliberation.participation").last()
    assert "choice" not in row.changes


@pytest.mark.django_db
def test_the_api_refuses_outside_the_window_and_the_electorate(
    voting_topic, api_for, people
):
    url = f"/api/v1/topics/{voting_topic.pk}/votes/"
    # a bad choice is a 422
    bad = api_for("dangyuan").post(
        url, {"choice": "也许"}, content_type="application/json"
    )
    assert bad.status_code == 422
    # staff hold no vote (403)
    staff = api_for("shuji").post(url, {"choice": YES}, content_type="application/json")
    assert staff.status_code == 403
    # after the window closes: 403
    poll = voting_topic.poll
    poll.closes_at = timezone.now() - timedelta(seconds=1)
    poll.save()
    late = api_for("dangyuan").post(
        url, {"choice": YES}, content_type="application/json"
    )
    assert late.status_code == 403


@pytest.mark.django_db
def test_a_household_outside_the_electorate_gets_403(voting_topic, people):
    from jiceng.people.models import Resident

    # given the poll's electorate no longer holds dangyuan's household
    household = Resident.objects.get(user=people["dangyuan"]).household
    voting_topic.poll.electors.filter(household=household).delete()
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.cast_vote(actor=people["dangyuan"], topic=voting_topic, choice=YES)


@pytest.mark.django_db
def test_the_result_is_published_with_receipts_but_no_voters(
    voting_topic, people, client
):
    shuji = people["shuji"]
    ballot = services.cast_vote(
        actor=people["dangyuan"], topic=voting_topic, choice=YES
    )
    poll = voting_topic.poll
    electors = list(
        poll.electors.exclude(pk__in=Participation.objects.values("elector"))
    )
    for elector in electors:
        services.enter_vote(
            actor=shuji, topic=voting_topic, elector=elector, choice=YES
        )
    services.close_poll(actor=shuji, topic=voting_topic)
    # then the public page (no login) shows the result and the receipt list
    page = client.get(f"/deliberation/public/{voting_topic.pk}/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "表决通过" in body and ballot.receipt in body
    assert people["dangyuan"].resident.name not in body
    # and the recount from the receipts equals the published tally
    published = poll.__class__.objects.get(pk=poll.pk).result
    recount = {}
    for _, choice in services.receipts(poll):
        recount[choice] = recount.get(choice, 0) + 1
    assert {k: v for k, v in published["counts"].items() if v} == recount
    assert not Ballot.objects.filter(poll=poll, elector__isnull=False).exists()


def test_racing_votes_count_each_household_once(race_database_url):
    # given a fresh database in a subprocess, on the engine under test
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    if race_database_url:
        env["DATABASE_URL"] = race_database_url
    env["JICENG_ENV"] = "test"
    # when 12 households vote at once and 6 of them try a second time
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "benchmarks._vote_race",
            "--households",
            "12",
            "--duplicates",
            "6",
            "--threads",
            "6",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    result = json.loads(completed.stdout)
    # then every household counts once and every second try is refused (409)
    assert result["errors"] == []
    assert result["outcomes"] == {"accepted": 12, "AlreadyVoted": 6}
    assert result["participations"] == result["ballots"] == result["tally_cast"] == 12
    assert result["households_twice"] == 0
