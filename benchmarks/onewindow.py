"""One-window benchmark: 100 concurrent bookings of a slot with room for 5 (exactly
5 must succeed; p95 of a booking request), and the nearest service points among
5,000 by the bounding-box search against a bare full scan (equal answers, p95).

    BENCH_ENGINE=sqlite .venv/bin/python benchmarks/onewindow.py
    BENCH_ENGINE=postgres DATABASE_URL=postgres://…/ow .venv/bin/python benchmarks/onewindow.py

Prints the figures and writes benchmarks/results/onewindow.json (one section per
engine).
"""

import random
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._common import (
    engine,
    env_int,
    interleaved,
    migrated_database,
    ratio,
    section,
    summary_ms,
    table,
    write_results,
)

POINTS = 5_000
LAT0, LNG0 = 34.30, 107.05  # a district of ~40 km × 40 km


def bench_booking():
    from benchmarks._onewindow_race import audit, make_fixture, race_bookings

    requests, capacity = 100, 5
    # PostgreSQL serves ~100 connections in all: a pool of 40, as a server would
    workers = 40 if engine() == "postgres" else requests
    slot, users = make_fixture(people=requests, capacity=capacity, label="ow-bench")
    started = time.perf_counter()
    outcomes, latencies, errors = race_bookings(slot, users, workers=workers)
    seconds = time.perf_counter() - started
    counted = audit(slot)
    result = {
        "requests": requests,
        "threads": workers,
        "capacity": capacity,
        "outcomes": dict(outcomes),
        **counted,
        "exactly_capacity": outcomes.get("booked", 0) == capacity
        and counted["appointments"] == capacity
        and counted["booked_counter"] == capacity,
        "latency": summary_ms(latencies),
        "errors": errors[:5],
        "seconds": round(seconds, 2),
    }
    print(
        f"   {requests} 个并发预约（{workers} 个连接），名额 {capacity}："
        f"成功 {outcomes.get('booked', 0)}，"
        f"约满 {outcomes.get('full', 0)}，异常 {len(errors)}；"
        f"单次预约 p50 {result['latency']['p50_ms']} ms，"
        f"p95 {result['latency']['p95_ms']} ms"
    )
    return result


def _points():
    from jiceng.onewindow.models import PointKind, ServicePoint
    from jiceng.places.models import Place

    # a scratch database: drop earlier runs' points
    ServicePoint.objects.filter(name__startswith="服务点").delete()
    district = Place.objects.add_root(
        {
            "name": "阵地测试区",
            "kind": "district",
            "code": f"owb-{uuid.uuid4().hex[:8]}",
        }
    )
    rng = random.Random(11)
    kinds = PointKind.values
    ServicePoint.objects.bulk_create(
        ServicePoint(
            name=f"服务点{n}",
            kind=kinds[n % len(kinds)],
            place=district,
            address="",
            lat=LAT0 + rng.random() * 0.36,
            lng=LNG0 + rng.random() * 0.44,
        )
        for n in range(POINTS)
    )
    # open points, as the public list reads them (no index but (lat, lng) applies)
    return ServicePoint.objects.filter(active=True, name__startswith="服务点")


def bench_nearest():
    from jiceng.onewindow.services import nearest, nearest_by_scan

    rows = _points()
    rng = random.Random(3)
    positions = [
        (LAT0 + rng.random() * 0.36, LNG0 + rng.random() * 0.44) for _ in range(500)
    ]
    mismatches = 0
    for lat, lng in positions[:100]:
        near = [p.pk for p in nearest(rows, lat, lng, limit=10)]
        scan = [p.pk for p in nearest_by_scan(rows, lat, lng, limit=10)]
        mismatches += near != scan
    cursor = {"box": 0, "scan": 0}

    def call(fn, key):
        def run():
            lat, lng = positions[cursor[key] % len(positions)]
            cursor[key] += 1
            fn(rows, lat, lng, limit=10)

        return run

    n = env_int("BENCH_SAMPLES", 150)
    samples = interleaved(
        {"box": call(nearest, "box"), "scan": call(nearest_by_scan, "scan")}, n
    )
    box, scan = summary_ms(samples["box"]), summary_ms(samples["scan"])
    result = {
        "points": POINTS,
        "limit": 10,
        "checked_positions": 100,
        "answers_differ": mismatches,
        "bounding_box": box,
        "full_scan": scan,
        "speedup_p95": ratio(scan["p95_ms"], box["p95_ms"]),
    }
    table(
        [
            ("外接矩形预筛", box["p50_ms"], box["p95_ms"]),
            ("全表扫描", scan["p50_ms"], scan["p95_ms"]),
        ],
        [f"最近10处（共{POINTS}处）", "p50 (ms)", "p95 (ms)"],
    )
    print(
        f"   100 个位置的答案不同：{mismatches} 个；p95 快 {result['speedup_p95']} 倍"
    )
    return result


def main():
    migrated_database("onewindow")
    data = {"engine": engine()}
    with section("预约并发：100 个请求抢 5 个名额"):
        data["booking"] = bench_booking()
    with section("附近服务阵地：5000 处中找最近 10 处"):
        data["nearest"] = bench_nearest()
    write_results("onewindow", data, section=engine())
    return data


if __name__ == "__main__":
    main()
