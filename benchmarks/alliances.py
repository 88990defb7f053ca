"""Co-governance benchmark: a shared venue booked under contention (50 requests
for one slot at the same instant: exactly one succeeds, the rest get a 409
slot_taken; p95 against 50 concurrent requests for 50 different venues), and the
包联 coverage page at district size (≈300 compounds, 3,000 buildings, 5,000
cadres) against a bare SQL query of the same figures, with equal results asserted.

    BENCH_ENGINE=sqlite .venv/bin/python benchmarks/alliances.py
    BENCH_ENGINE=postgres DATABASE_URL=postgres://…/bench .venv/bin/python benchmarks/alliances.py

Prints the figures and writes benchmarks/results/alliances.json (one section per
engine).
"""

import os
import re
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._common import (
    database_url,
    engine,
    interleaved,
    manage,
    ratio,
    section,
    setup_django,
    summary_ms,
    table,
    wipe_database,
    write_results,
)

REQUESTS = int(os.environ.get("BENCH_BOOKINGS", "50"))
SAMPLES = int(os.environ.get("BENCH_SAMPLES", "30"))


def bench_booking():
    from django.utils import timezone

    from benchmarks._alliances_fixture import booking_fixture, count, post_booking, race
    from jiceng.alliances.models import Booking

    venues, tokens = booking_fixture(REQUESTS)
    day = timezone.localdate() + timedelta(days=7)
    slot = timezone.make_aware(datetime.combine(day, datetime.min.time())) + timedelta(
        hours=9
    )
    # warm up (imports, URL resolvers, the API schema) outside the timed races
    assert post_booking(tokens[1], venues[1], slot + timedelta(days=2))()[0] == 201
    # contention: every request asks for the same slot of the first venue
    same, errors = race([post_booking(t, venues[0], slot) for t in tokens])
    outcomes = count(same)
    live = Booking.objects.live().filter(venue=venues[0]).count()
    codes = {r[0][1] for r in same if r is not None and r[0][0] == 409}
    # baseline: as many requests at once, each for its own venue (a free day)
    other = slot + timedelta(days=1)
    spread, spread_errors = race(
        [post_booking(t, v, other) for t, v in zip(tokens, venues, strict=True)]
    )
    spread_outcomes = count(spread)
    contended = summary_ms([r[1] for r in same if r is not None])
    baseline = summary_ms([r[1] for r in spread if r is not None])
    table(
        [
            [
                "同一时段 50 个请求",
                outcomes.get(201, 0),
                outcomes.get(409, 0),
                contended["p50_ms"],
                contended["p95_ms"],
            ],
            [
                "各自场地 50 个请求（基线）",
                spread_outcomes.get(201, 0),
                spread_outcomes.get(409, 0),
                baseline["p50_ms"],
                baseline["p95_ms"],
            ],
        ],
        ["", "201", "409", "p50 ms", "p95 ms"],
    )
    ok = (
        outcomes.get(201, 0) == 1
        and outcomes.get(409, 0) == REQUESTS - 1
        and live == 1
        and not errors
        and codes == {"slot_taken"}
        and spread_outcomes.get(201, 0) == REQUESTS
    )
    print(f"   exactly one booking, the rest a clear 409: {'yes' if ok else 'NO'}")
    assert ok, (outcomes, live, errors, codes, spread_outcomes, spread_errors)
    return {
        "requests": REQUESTS,
        "succeeded": outcomes.get(201, 0),
        "conflicts_409": outcomes.get(409, 0),
        "other": sum(v for k, v in outcomes.items() if k not in (201, 409)),
        "errors": errors,
        "live_bookings_of_the_slot": live,
        "conflict_codes": sorted(codes),
        "contended": contended,
        "baseline_distinct_venues": baseline,
        "p95_ratio": ratio(contended["p95_ms"], baseline["p95_ms"]),
    }


def bench_coverage():
    from django.test import Client

    from benchmarks._alliances_fixture import bare_coverage, coverage_district
    from jiceng.alliances.services import pairing

    started = time.perf_counter()
    street, user = coverage_district()
    built = time.perf_counter() - started
    today, days = date.today(), 30

    def page_figures():
        return {
            row["kind"]: (row["total"], row["unpaired_count"], row["stale_count"])
            for row in pairing.coverage(user, days=days, today=today)
        }

    bare = bare_coverage(street, days, today)
    assert page_figures() == bare, (page_figures(), bare)
    client = Client()
    client.force_login(user)

    def page():
        response = client.get(f"/alliances/coverage/?days={days}")
        assert response.status_code == 200

    html = client.get(f"/alliances/coverage/?days={days}").content.decode()
    found = {
        (name, kind): int(value)
        for name, kind, value in re.findall(
            r'data-testid="(paired|unpaired|stale)-(\w+)">(\d+)<', html
        )
    }
    shown = {
        kind: (
            found["paired", kind] + found["unpaired", kind],
            found["unpaired", kind],
            found["stale", kind],
        )
        for kind in bare
    }
    assert shown == bare, (shown, bare)
    samples = interleaved(
        {
            "page": page,
            "figures": page_figures,
            "bare": lambda: bare_coverage(street, days, today),
        },
        SAMPLES,
    )
    rows = {label: summary_ms(values) for label, values in samples.items()}
    table(
        [
            [
                "覆盖页面（含渲染与地图点）",
                rows["page"]["p50_ms"],
                rows["page"]["p95_ms"],
            ],
            ["覆盖统计（服务）", rows["figures"]["p50_ms"], rows["figures"]["p95_ms"]],
            ["裸 SQL（基线）", rows["bare"]["p50_ms"], rows["bare"]["p95_ms"]],
        ],
        ["", "p50 ms", "p95 ms"],
    )
    print(f"   equal figures: yes {bare}")
    return {
        "size": {"compounds": 300, "buildings": 3000, "cadre_pairs": 5000},
        "fixture_seconds": round(built, 1),
        "figures": {k: list(v) for k, v in bare.items()},
        "page": rows["page"],
        "service": rows["figures"],
        "bare_sql": rows["bare"],
        "page_vs_bare_p50": ratio(rows["page"]["p50_ms"], rows["bare"]["p50_ms"]),
        "service_vs_bare_p50": ratio(rows["figures"]["p50_ms"], rows["bare"]["p50_ms"]),
    }


def main():
    url = database_url("alliances")
    wipe_database(url)
    manage("migrate", "--noinput", "-v", "0", url=url)
    setup_django(url)
    data = {}
    with section(f"booking under contention ({engine()})"):
        data["booking"] = bench_booking()
    with section(f"coverage page at district size ({engine()})"):
        data["coverage"] = bench_coverage()
    write_results("alliances", data, section=engine())


if __name__ == "__main__":
    main()
