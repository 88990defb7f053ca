"""Concurrent household ratings of one property company, counted.

A harness, not part of the app: used by the assessment tests (in a subprocess
with its own database, since the tests' own database lives inside one rolled-back
transaction). Each household rates once through POST /api/v1/ratings/ and
`duplicates` more requests rate again for households already rating; the output
says how many were accepted (201) and refused (409), and whether any household was
counted twice.

    python -m benchmarks._rating_race --households 20 --duplicates 10
"""

import argparse
import json
import os
import sys
import tempfile
import threading
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor


def make_fixture(*, households):
    """A compound of `households` households with member accounts and API tokens,
    its property company, and the quarter's indicators."""
    from django.contrib.auth import get_user_model

    from jiceng.assessment import services
    from jiceng.core.models import Assignment
    from jiceng.core.services import create_api_token
    from jiceng.people.models import Household, Resident, Unit, UnitKind
    from jiceng.places.models import Place

    tag = uuid.uuid4().hex[:6]
    place = Place.objects.add_root(
        {"name": "评价测试区", "kind": "district", "code": f"R{tag}"}
    )
    for level, kind in enumerate(
        ("street", "community", "grid", "compound", "building")
    ):
        place = Place.objects.add_child(
            place, {"name": kind, "kind": kind, "code": f"R{tag}-{level}"}
        )
        if kind == "compound":
            compound = place
    company = Unit.objects.create(
        name="测试物业", kind=UnitKind.PROPERTY, place=compound
    )
    User = get_user_model()
    admin = User.objects.create_superuser(username=f"rate-{tag}-admin")
    services.property.save_indicator_set(
        actor=admin,
        period="2026Q4",
        name="指标",
        indicators=services.property.DEFAULT_INDICATORS,
    )
    tokens = []
    for n in range(households):
        dwelling = Place.objects.add_child(
            place, {"name": f"{n}室", "kind": "dwelling", "code": f"R{tag}-d{n}"}
        )
        household = Household.objects.create(number=f"R{tag}{n:05d}", place=dwelling)
        user = User.objects.create(username=f"rate-{tag}-{n}")
        Assignment.objects.create(user=user, role="member")
        Resident.objects.create(
            name=f"住户{n}",
            id_number=f"{tag}{n:012d}",
            phone=f"139{n:08d}",
            place=dwelling,
            household=household,
            user=user,
        )
        tokens.append(create_api_token(actor=user, user=user, name="race", days=1)[1])
    return company, tokens


def race(company, tokens, *, duplicates, threads):
    from django.db import connection
    from django.test import Client

    body = {
        "company": company.pk,
        "period": "2026Q4",
        "scores": {"service": 4, "cleaning": 5, "security": 4, "repair": 3},
    }
    requests = list(tokens) + [tokens[i % len(tokens)] for i in range(duplicates)]
    outcomes, lock = Counter(), threading.Lock()

    def post(token):
        try:
            status = (
                Client(HTTP_AUTHORIZATION=f"Bearer {token}")
                .post("/api/v1/ratings/", body, content_type="application/json")
                .status_code
            )
        finally:
            connection.close()
        with lock:
            outcomes[status] += 1

    with ThreadPoolExecutor(max_workers=threads) as pool:
        list(pool.map(post, requests))
    return outcomes


def main(argv=None):
    parser = argparse.ArgumentParser()
    parser.add_argument("--households", type=int, default=20)
    parser.add_argument("--duplicates", type=int, default=10)
    parser.add_argument("--threads", type=int, default=8)
    args = parser.parse_args(argv)
    folder = tempfile.mkdtemp(prefix="jiceng-rating-race-")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{folder}/race.sqlite3")
    os.environ.setdefault("JICENG_ENV", "test")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jiceng.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Count

    from jiceng.assessment.models import Rating

    call_command("migrate", verbosity=0)
    company, tokens = make_fixture(households=args.households)
    outcomes = race(company, tokens, duplicates=args.duplicates, threads=args.threads)
    ratings = Rating.objects.filter(company=company)
    result = {
        "vendor": connection.vendor,
        "outcomes": {str(k): v for k, v in outcomes.items()},
        "ratings": ratings.count(),
        "households_twice": ratings.values("household")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .count(),
    }
    json.dump(result, sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    main()
