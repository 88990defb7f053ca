"""Fixtures for benchmarks/alliances.py: a venue and its bookers, and a district-size
包联 tree (≈300 compounds, 3,000 buildings, 5,000 cadres). The leading underscore
keeps scripts/run_bench.sh from running it as a benchmark of its own."""

import random
import threading
import time
import uuid
from collections import Counter
from datetime import date, timedelta


def booking_fixture(bookers, label="venue-race"):
    """A community with one venue and `bookers` accounts that may book (members)."""
    from django.contrib.auth import get_user_model

    from jiceng.alliances.models import Venue, VenueKind
    from jiceng.core.models import Assignment
    from jiceng.core.services import create_api_token
    from jiceng.places.models import Place

    tag = uuid.uuid4().hex[:8]
    district = Place.objects.add_root(
        {"name": "预约测试区", "kind": "district", "code": f"{label}-{tag}"}
    )
    street = Place.objects.add_child(
        district, {"name": "街道", "kind": "street", "code": f"{label}-s{tag}"}
    )
    community = Place.objects.add_child(
        street, {"name": "社区", "kind": "community", "code": f"{label}-c{tag}"}
    )
    venues = [
        Venue.objects.create(
            name=f"活动室{n}",
            kind=VenueKind.CENTER_ROOM,
            place=community,
            capacity=100,
            needs_approval=True,
            max_hours=4,
        )
        for n in range(bookers)
    ]
    User = get_user_model()
    tokens = []
    for n in range(bookers):
        user = User.objects.create(username=f"{label}-{tag}-{n}")
        Assignment.objects.create(user=user, role="member")  # alliances.book
        tokens.append(create_api_token(actor=user, user=user, name="bench", days=1)[1])
    return venues, tokens


def race(requests):
    """Fire callables at once (released by one barrier); return their
    (result, seconds) in order and any exceptions raised."""
    from django.db import connection

    barrier = threading.Barrier(len(requests))
    results = [None] * len(requests)
    errors = []

    def run(index, fn):
        def go():
            try:
                barrier.wait()
                started = time.perf_counter()
                outcome = fn()
                results[index] = (outcome, time.perf_counter() - started)
            except Exception as exc:  # counted by the caller
                errors.append(repr(exc))
            finally:
                connection.close()

        return go

    threads = [threading.Thread(target=run(i, fn)) for i, fn in enumerate(requests)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results, errors


def post_booking(token, venue, starts_at):
    """One booking request through the API (Django's full request path)."""
    from django.test import Client

    def call():
        response = Client(HTTP_AUTHORIZATION=f"Bearer {token}").post(
            f"/api/v1/venues/{venue.pk}/bookings/",
            {
                "starts_at": starts_at.isoformat(),
                "ends_at": (starts_at + timedelta(hours=2)).isoformat(),
                "purpose": "并发测试",
            },
            content_type="application/json",
        )
        return response.status_code, response.json().get("code")

    return call


def count(results):
    return Counter(r[0][0] for r in results if r is not None)


def coverage_district(*, compounds=300, buildings_per=10, cadres=5000, seed=3):
    """A street of 10 communities, 300 compounds and 3,000 buildings; 90% of the
    compounds paired with units, 5,000 cadres over 90% of the buildings, visits
    spread over the last 120 days. Returns the street and the user who sees it."""
    from django.contrib.auth import get_user_model

    from jiceng.alliances.models import Pair, PairKind
    from jiceng.core.models import Assignment
    from jiceng.demo.common import next_root_index, number_tree, path_step
    from jiceng.demo.places import Node, save_places
    from jiceng.people.models import Unit, UnitKind
    from jiceng.places.models import Place

    rng = random.Random(seed)
    tag = uuid.uuid4().hex[:6]
    district = Node("district", "覆盖测试区", f"cov-{tag}")
    street = Node("street", "覆盖街道", f"cov-{tag}-s", parent=district)
    per_community = compounds // 10
    for c in range(10):
        community = Node("community", f"社区{c}", f"cov-{tag}-c{c}", parent=street)
        grid = Node("grid", f"网格{c}", f"cov-{tag}-g{c}", parent=community)
        for k in range(per_community):
            compound = Node(
                "compound",
                f"小区{c}-{k}",
                f"cov-{tag}-p{c}-{k}",
                parent=grid,
                lat=28.8 + rng.random() / 10,
                lng=105.4 + rng.random() / 10,
            )
            for b in range(buildings_per):
                Node(
                    "building",
                    f"{b + 1}号楼",
                    f"cov-{tag}-b{c}-{k}-{b}",
                    parent=compound,
                    lat=compound.lat,
                    lng=compound.lng,
                )
    district.path = path_step(next_root_index(Place))
    save_places([district])
    save_places(number_tree(street, district.path + path_step(1)))
    street_place = Place.objects.get(code=f"cov-{tag}-s")
    units = Unit.objects.bulk_create(
        Unit(name=f"包联单位{n}", kind=UnitKind.AGENCY, place=street_place)
        for n in range(30)
    )
    today = date.today()

    def last_visit():
        return None if rng.random() < 0.1 else today - timedelta(rng.randint(0, 120))

    compound_places = list(
        Place.objects.filter(kind="compound", code__startswith=f"cov-{tag}-")
    )
    building_places = list(
        Place.objects.filter(kind="building", code__startswith=f"cov-{tag}-")
    )
    pairs = [
        Pair(
            kind=PairKind.UNIT_COMPOUND,
            place=p,
            unit=units[n % len(units)],
            since=today - timedelta(days=365),
            last_visit_on=last_visit(),
        )
        for n, p in enumerate(compound_places)
        if rng.random() < 0.9
    ]
    covered = [b for b in building_places if rng.random() < 0.9]
    pairs += [
        Pair(
            kind=PairKind.CADRE_BUILDING,
            place=covered[n % len(covered)],
            cadre=f"干部{n}",
            since=today - timedelta(days=365),
            last_visit_on=last_visit(),
        )
        for n in range(cadres)
    ]
    Pair.objects.bulk_create(pairs, batch_size=2000)
    user = get_user_model().objects.create(username=f"cov-{tag}")
    Assignment.objects.create(user=user, role="street_admin", place=street_place)
    return street_place, user


def bare_coverage(street, days, today=None):
    """The same figures with one plain SQL query per kind (the baseline)."""
    from django.db import connection

    from jiceng.alliances.models import Pair
    from jiceng.places.models import Place

    today = today or date.today()
    cutoff = today - timedelta(days=days)
    places, pairs = Place._meta.db_table, Pair._meta.db_table
    out = {}
    with connection.cursor() as cursor:
        for kind, place_kind in (
            ("unit_compound", "compound"),
            ("cadre_building", "building"),
            ("leader_community", "community"),
        ):
            cursor.execute(
                f"""
                SELECT COUNT(*),
                       SUM(CASE WHEN EXISTS (SELECT 1 FROM {pairs} pr
                            WHERE pr.place_id = p.id AND pr.kind = %s AND pr.active)
                           THEN 0 ELSE 1 END)
                FROM {places} p WHERE p.kind = %s AND p.path LIKE %s
                """,  # noqa: S608 (table names from the models)
                [kind, place_kind, street.path + "%"],
            )
            total, unpaired = cursor.fetchone()
            cursor.execute(
                f"""
                SELECT COUNT(*) FROM {pairs} pr JOIN {places} p ON p.id = pr.place_id
                WHERE pr.kind = %s AND pr.active AND p.path LIKE %s
                  AND (pr.last_visit_on IS NULL OR pr.last_visit_on < %s)
                """,  # noqa: S608
                [kind, street.path + "%", cutoff],
            )
            (stale,) = cursor.fetchone()
            out[kind] = (total, unpaired or 0, stale)
    return out
