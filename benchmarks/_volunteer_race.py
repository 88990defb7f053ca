"""Concurrent ledger writes and points-mall redemptions, counted.

A harness, not part of the app: used by benchmarks/volunteer.py and by the
volunteer tests (in a subprocess with its own database, since the tests' own
database lives inside one rolled-back transaction). The leading underscore keeps
scripts/run_bench.sh from running it as a benchmark of its own.

    python -m benchmarks._volunteer_race --threads 8   # SQLite file in a temp folder
"""

import argparse
import json
import os
import sys
import tempfile
import threading
import uuid
from collections import Counter


def make_fixture(*, buyers, balance, stock, price, label="race"):
    """A community, `buyers` member volunteers holding `balance` points each, and
    one item of that community's mall."""
    from django.contrib.auth import get_user_model

    from jiceng.core.models import Assignment
    from jiceng.places.models import Place
    from jiceng.volunteer import services
    from jiceng.volunteer.models import EntryKind, MallItem, Volunteer

    tag = uuid.uuid4().hex[:8]
    district = Place.objects.filter(code=f"{label}-d").first() or (
        Place.objects.add_root(
            {"name": "竞争测试区", "kind": "district", "code": f"{label}-d"}
        )
    )
    street = Place.objects.add_child(
        district, {"name": "街道", "kind": "street", "code": f"{label}-s{tag}"}
    )
    community = Place.objects.add_child(
        street, {"name": "社区", "kind": "community", "code": f"{label}-c{tag}"}
    )
    User = get_user_model()
    volunteers = []
    for n in range(buyers):
        user = User.objects.create(username=f"{label}-{tag}-{n}")
        Assignment.objects.create(user=user, role="member")  # volunteer.join
        volunteer = Volunteer.objects.create(
            user=user, name=f"志愿者{n}", community=community
        )
        if balance:
            services.append_entry(
                volunteer=volunteer, kind=EntryKind.EARN, points=balance, reason="初始"
            )
        volunteers.append(volunteer)
    item = MallItem.objects.create(
        community=community, name="毛巾", kind="goods", points=price, stock=stock
    )
    return item, volunteers


def _run(workers):
    from django.db import connection

    errors = []

    def wrap(fn):
        def go():
            try:
                fn()
            except Exception as exc:  # counted, reported by the caller
                errors.append(repr(exc))
            finally:
                connection.close()

        return go

    threads = [threading.Thread(target=wrap(fn)) for fn in workers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return errors


def race_redemptions(item, volunteers, *, attempts, threads):
    """Each thread redeems `attempts` times for one volunteer (round robin)."""
    from django.core.exceptions import ValidationError

    from jiceng.volunteer import services

    outcomes = Counter()
    lock = threading.Lock()

    def worker(volunteer):
        def run():
            for _ in range(attempts):
                try:
                    services.redeem(actor=volunteer.user, item=item)
                    result = "ok"
                except ValidationError as exc:
                    result = exc.code
                with lock:
                    outcomes[result] += 1

        return run

    errors = _run([worker(volunteers[n % len(volunteers)]) for n in range(threads)])
    return outcomes, errors


def race_earnings(volunteer, *, entries, threads):
    from jiceng.volunteer import services
    from jiceng.volunteer.models import EntryKind

    def run():
        for _ in range(entries):
            services.append_entry(
                volunteer=volunteer, kind=EntryKind.EARN, points=1, reason="并发"
            )

    return _run([run] * threads)


def audit(item, volunteers):
    """Count what the database holds after a race."""
    from django.db.models import Sum

    from jiceng.volunteer.models import MallItem, PointsEntry, Redemption, Volunteer
    from jiceng.volunteer.services import check_ledger

    item = MallItem.objects.get(pk=item.pk)
    sold = Redemption.objects.filter(item=item).aggregate(n=Sum("quantity"))["n"] or 0
    ids = [v.pk for v in volunteers]
    negative = Volunteer.objects.filter(pk__in=ids, points_balance__lt=0).count()
    negative_entries = PointsEntry.objects.filter(
        volunteer_id__in=ids, balance_after__lt=0
    ).count()
    return {
        "stock_left": item.stock,
        "sold": sold,
        "negative_balances": negative + negative_entries,
        "ledger_mismatches": len(check_ledger(Volunteer.objects.filter(pk__in=ids))),
    }


def main(argv=None):
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--stock", type=int, default=10)
    args = parser.parse_args(argv)
    folder = tempfile.mkdtemp(prefix="jiceng-race-")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{folder}/race.sqlite3")
    os.environ.setdefault("JICENG_ENV", "test")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jiceng.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    # oversell: more buyers with points than stock
    item, volunteers = make_fixture(
        buyers=args.threads, balance=100, stock=args.stock, price=30
    )
    outcomes, errors = race_redemptions(
        item, volunteers, attempts=3, threads=args.threads
    )
    oversell = audit(item, volunteers)
    # overdraw: plenty of stock, points for one item only
    item2, poor = make_fixture(buyers=2, balance=30, stock=1000, price=30)
    outcomes2, errors2 = race_redemptions(item2, poor, attempts=4, threads=args.threads)
    overdraw = audit(item2, poor)
    # lost entries: many appends to one volunteer at once
    rich = poor[0]
    errors3 = race_earnings(rich, entries=10, threads=args.threads)
    from jiceng.volunteer.models import PointsEntry, Volunteer

    rich = Volunteer.objects.get(pk=rich.pk)
    seqs = list(
        PointsEntry.objects.filter(volunteer=rich).values_list("seq", flat=True)
    )
    result = {
        "vendor": __import__("django.db", fromlist=["connection"]).connection.vendor,
        "oversell": {**oversell, "stock": args.stock, "outcomes": dict(outcomes)},
        "overdraw": {**overdraw, "outcomes": dict(outcomes2)},
        "earnings": {
            "expected": 10 * args.threads,
            "earned_entries": sum(
                1
                for kind in PointsEntry.objects.filter(
                    volunteer=rich, reason="并发"
                ).values_list("kind", flat=True)
            ),
            "seq_gapless": sorted(seqs) == list(range(1, len(seqs) + 1)),
            "balance_matches": not services_check(rich),
        },
        "errors": errors + errors2 + errors3,
    }
    json.dump(result, sys.stdout, ensure_ascii=False)
    return result


def services_check(volunteer):
    from jiceng.volunteer.models import Volunteer
    from jiceng.volunteer.services import check_ledger

    return check_ledger(Volunteer.objects.filter(pk=volunteer.pk))


if __name__ == "__main__":
    main()
