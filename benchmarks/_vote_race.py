"""Concurrent household votes on one topic, counted.

A harness, not part of the app: used by benchmarks/deliberation.py and by the
deliberation tests (in a subprocess with its own database, since the tests' own
database lives inside one rolled-back transaction). Each of `households`
households votes once from its own thread pool slot, and `duplicates` more
requests vote again for households already voting; the output says how many were
accepted, refused as duplicates, and whether the tally equals the accepted votes
with no household counted twice.

    python -m benchmarks._vote_race --households 200 --duplicates 50
"""

import argparse
import json
import os
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta


def make_fixture(*, households, label="vote"):
    """A community with one building of `households` households, each with a member
    account; a council meeting that took the topic up; a vote open now."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from jiceng.core.models import Assignment
    from jiceng.deliberation import services
    from jiceng.deliberation.rules import Rule
    from jiceng.people.models import Household, Resident
    from jiceng.places.models import Place

    tag = uuid.uuid4().hex[:6]
    root = Place.objects.add_root(
        {"name": "表决测试区", "kind": "district", "code": f"V{tag}"}
    )
    place = root
    for level, kind in enumerate(
        ("street", "community", "grid", "compound", "building")
    ):
        place = Place.objects.add_child(
            place, {"name": kind, "kind": kind, "code": f"V{tag}-{level}"}
        )
        if kind == "community":
            community = place
    building = place
    User = get_user_model()
    admin = User.objects.create_superuser(username=f"{label}-{tag}-admin")
    voters = []
    for n in range(households):
        dwelling = Place.objects.add_child(
            building,
            {"name": f"{n}室", "kind": "dwelling", "code": f"V{tag}-d{n}"},
        )
        household = Household.objects.create(number=f"{tag}{n:05d}", place=dwelling)
        user = User.objects.create(username=f"{label}-{tag}-{n}")
        Assignment.objects.create(user=user, role="member")
        Resident.objects.create(
            name=f"住户{n}",
            id_number=f"{tag}{n:012d}",
            phone=f"139{n:08d}",
            place=dwelling,
            household=household,
            user=user,
        )
        voters.append(user)
    body = services.create_body(
        actor=admin, community=community, kind="council", name="议事会"
    )
    member = services.add_member(
        actor=admin,
        body=body,
        name="成员",
        side="residents",
        term_start=date(2020, 1, 1),
    )
    now = timezone.now()
    meeting = services.call_meeting(
        actor=admin,
        body=body,
        title="议事会",
        starts_at=now - timedelta(hours=1),
        venue="会议室",
        notice="通知",
    )
    meeting = services.record_meeting(
        actor=admin, meeting=meeting, present=[member.pk], minutes="纪要"
    )
    topic = services.raise_topic(
        actor=admin, place=building, title="并发表决议题", description="并发表决测试"
    )
    services.grade_topic(actor=admin, topic=topic, grade="major")
    services.discuss_topic(actor=admin, meeting=meeting, topic=topic, summary="讨论")
    services.open_poll(
        actor=admin,
        topic=topic,
        unit="household",
        rule=Rule.SIMPLE,
        opens_at=now - timedelta(minutes=1),
        closes_at=now + timedelta(hours=1),
    )
    return topic, voters


def race_votes(topic, voters, *, duplicates, threads):
    """Every voter once, plus `duplicates` second attempts, all at once."""
    from django.db import connection

    from jiceng.deliberation import services

    requests = list(voters) + [voters[i % len(voters)] for i in range(duplicates)]
    outcomes, latencies, errors = Counter(), [], []
    lock = threading.Lock()

    def vote(user):
        start = time.perf_counter()
        try:
            services.cast_vote(actor=user, topic=topic, choice="同意")
            outcome = "accepted"
        except Exception as exc:  # counted below
            outcome = type(exc).__name__
            if outcome != "AlreadyVoted":
                errors.append(repr(exc))
        finally:
            connection.close()
        with lock:
            outcomes[outcome] += 1
            latencies.append(time.perf_counter() - start)

    with ThreadPoolExecutor(max_workers=threads) as pool:
        list(pool.map(vote, requests))
    return outcomes, latencies, errors


def check(topic):
    from django.db.models import Count

    from jiceng.deliberation import services
    from jiceng.deliberation.models import Ballot, Participation, Poll

    poll = Poll.objects.get(topic=topic)
    twice = (
        Participation.objects.filter(poll=poll)
        .values("elector")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .count()
    )
    return {
        "participations": Participation.objects.filter(poll=poll).count(),
        "ballots": Ballot.objects.filter(poll=poll).count(),
        "tally_cast": services.tally(poll).cast,
        "households_twice": twice,
    }


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))] if ordered else 0


def main(argv=None):
    parser = argparse.ArgumentParser()
    parser.add_argument("--households", type=int, default=20)
    parser.add_argument("--duplicates", type=int, default=5)
    parser.add_argument("--threads", type=int, default=8)
    args = parser.parse_args(argv)
    folder = tempfile.mkdtemp(prefix="jiceng-vote-race-")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{folder}/race.sqlite3")
    os.environ.setdefault("JICENG_ENV", "test")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jiceng.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    topic, voters = make_fixture(households=args.households)
    outcomes, latencies, errors = race_votes(
        topic, voters, duplicates=args.duplicates, threads=args.threads
    )
    result = {
        "vendor": connection.vendor,
        "households": args.households,
        "duplicates": args.duplicates,
        "outcomes": dict(outcomes),
        **check(topic),
        "p50_ms": round(percentile(latencies, 0.5) * 1000, 1),
        "p95_ms": round(percentile(latencies, 0.95) * 1000, 1),
        "errors": errors,
    }
    json.dump(result, sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    main()
