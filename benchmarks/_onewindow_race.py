"""Concurrent bookings of one appointment slot, counted.

A harness, not part of the app: used by benchmarks/onewindow.py and by the
one-window tests (in a subprocess with its own database, since the tests' own
database lives inside one rolled-back transaction).

    python -m benchmarks._onewindow_race --requests 100 --capacity 5
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
from datetime import timedelta


def make_fixture(*, people, capacity, label="race"):
    """A community with a service point, an item, one slot of `capacity` places
    tomorrow and `people` residents (members) who may book."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from jiceng.core.models import Assignment
    from jiceng.onewindow.models import ServiceItem, ServicePoint, Slot
    from jiceng.places.models import Place

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
    item = ServiceItem.objects.create(
        district=district, code=f"R{tag}", name="高龄津贴申领"
    )
    point = ServicePoint.objects.create(
        name="党群服务中心",
        kind="party_center",
        place=community,
        address="一楼",
        lat=34.36,
        lng=107.18,
    )
    start = timezone.now() + timedelta(days=1)
    slot = Slot.objects.create(
        point=point,
        item=item,
        starts_at=start,
        ends_at=start + timedelta(minutes=30),
        capacity=capacity,
    )
    User = get_user_model()
    users = []
    for n in range(people):
        user = User.objects.create(username=f"{label}-{tag}-{n}")
        Assignment.objects.create(user=user, role="member")  # onewindow.book
        users.append(user)
    return slot, users


def race_bookings(slot, users, *, workers=None):
    """Every user books the slot once, all released at the same moment.

    workers: how many threads (database connections) serve the requests, as a
    server's pool would (PostgreSQL allows ~100 connections in all); by default
    one thread per request.
    """
    from django.core.exceptions import ValidationError
    from django.db import connection

    from jiceng.onewindow import services

    outcomes, latencies, errors = Counter(), [], []
    lock = threading.Lock()
    waiting = list(users)
    count = min(workers or len(users), len(users))
    barrier = threading.Barrier(count)

    def book(user):
        started = time.perf_counter()
        try:
            services.book(actor=user, slot=slot)
            result = "booked"
        except ValidationError as exc:
            result = exc.code
        elapsed = time.perf_counter() - started
        with lock:
            outcomes[result] += 1
            latencies.append(elapsed)

    def run():
        try:
            try:
                connection.ensure_connection()  # connecting is not booking
            finally:
                barrier.wait(timeout=120)
            while True:
                with lock:
                    if not waiting:
                        break
                    user = waiting.pop()
                book(user)
        except Exception as exc:  # counted, reported by the caller
            with lock:
                errors.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return outcomes, latencies, errors


def audit(slot):
    from jiceng.onewindow.models import Appointment, Slot

    slot = Slot.objects.get(pk=slot.pk)
    return {
        "capacity": slot.capacity,
        "booked_counter": slot.booked,
        "appointments": Appointment.objects.filter(slot=slot, status="booked").count(),
    }


def main(argv=None):
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--capacity", type=int, default=5)
    args = parser.parse_args(argv)
    folder = tempfile.mkdtemp(prefix="jiceng-race-")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{folder}/race.sqlite3")
    os.environ.setdefault("JICENG_ENV", "test")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jiceng.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    slot, users = make_fixture(people=args.requests, capacity=args.capacity)
    outcomes, latencies, errors = race_bookings(slot, users)
    result = {
        "vendor": connection.vendor,
        "requests": args.requests,
        "outcomes": dict(outcomes),
        "latencies": latencies,
        **audit(slot),
        "errors": errors,
    }
    json.dump(result, sys.stdout, ensure_ascii=False)
    return result


if __name__ == "__main__":
    main()
