"""Workforce benchmark: a day's patrol track (~3,000 points, one every 10 s) stored
and shown, and the coverage page per grid against a bare GROUP BY.

1. Track: bytes stored per patrol (the encoded polyline against the same line as
   GeoJSON text), the upload through the service, and the map's GeoJSON view
   against a bare primary-key read of the stored column (same line asserted).
2. Coverage: households visited in the last 30 days and buildings patrolled per
   grid, the page (through the test client, as a district admin) against one bare
   `SELECT grid_id, COUNT(DISTINCT household_id) … GROUP BY grid_id`, equal figures
   asserted. Default 20,000 households and 100,000 visits over 100 grids;
   BENCH_FULL=1 (or BENCH_HOUSEHOLDS / BENCH_VISITS) runs the issue's 200k / 1M.

    BENCH_ENGINE=sqlite .venv/bin/python benchmarks/workforce.py
    BENCH_ENGINE=postgres DATABASE_URL=postgres://…/wf .venv/bin/python benchmarks/workforce.py
"""

import json
import random
import sys
import time
import uuid
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._common import (
    engine,
    env_int,
    full_run,
    interleaved,
    migrated_database,
    ratio,
    section,
    summary_ms,
    table,
    write_results,
)

LAT0, LNG0 = 30.66, 104.06


def _district():
    from jiceng.places.models import Place

    return Place.objects.add_root(
        {
            "name": "网格测试区",
            "kind": "district",
            "code": f"wfb-{uuid.uuid4().hex[:8]}",
        }
    )


def _tree(district, grids, buildings_per_grid):
    """street → community → grids → one compound each → buildings."""
    from jiceng.places.models import Place

    def child(parent, **fields):
        return Place.objects.add_child(parent, fields)

    code = district.code
    street = child(district, name="测试街道", kind="street", code=code + "s")
    community = child(street, name="测试社区", kind="community", code=code + "c")
    made, rng = [], random.Random(5)
    for g in range(grids):
        grid = child(community, name=f"第{g + 1}网格", kind="grid", code=f"{code}g{g}")
        compound = child(grid, name="小区", kind="compound", code=f"{code}g{g}c")
        for b in range(buildings_per_grid):
            child(
                compound,
                name=f"{b + 1}号楼",
                kind="building",
                code=f"{code}g{g}b{b}",
                lat=LAT0 + rng.random() * 0.05,
                lng=LNG0 + rng.random() * 0.05,
            )
        made.append(grid)
    return community, [Place.objects.get(pk=g.pk) for g in made]


def _superuser():
    from django.contrib.auth import get_user_model

    User = get_user_model()
    name = f"wfbench-{uuid.uuid4().hex[:6]}"
    return User.objects.create_superuser(name, f"{name}@example.com", "x")


def bench_track(admin, grid):
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from jiceng.workforce import services
    from jiceng.workforce.models import Patrol

    rng = random.Random(7)
    line, lng, lat = [], LNG0, LAT0
    for _ in range(3_000):  # 8h20m at one point every 10 s, a walking pace
        lng += rng.uniform(-0.00012, 0.00012)
        lat += rng.uniform(-0.00012, 0.00012)
        line.append([round(lng, 6), round(lat, 6)])
    now = timezone.now()
    started = time.perf_counter()
    patrol = services.submit_patrol(
        actor=admin,
        grid=grid,
        coordinates=line,
        started_at=now - timedelta(hours=8, minutes=20),
        ended_at=now,
    )
    upload = time.perf_counter() - started
    geojson_bytes = len(json.dumps({"type": "LineString", "coordinates": line}))
    client = Client()
    client.force_login(admin)
    url = f"/workforce/patrols/{patrol.pk}/geojson/"
    shown = json.loads(client.get(url).content)["features"][0]["geometry"][
        "coordinates"
    ]
    assert shown == line, "the stored line differs"
    table_name = Patrol._meta.db_table

    def bare():
        with connection.cursor() as cursor:
            sql = f"SELECT track FROM {table_name} WHERE id = %s"  # noqa: S608
            cursor.execute(sql, [patrol.pk])
            cursor.fetchone()

    n = env_int("BENCH_SAMPLES", 100)
    samples = interleaved(
        {
            "page": lambda: client.get(url),
            "detail": lambda: client.get(f"/workforce/patrols/{patrol.pk}/"),
            "bare": bare,
        },
        n,
    )
    page, detail, raw = (summary_ms(samples[k]) for k in ("page", "detail", "bare"))
    result = {
        "points": len(line),
        "stored_bytes": len(patrol.track),
        "geojson_bytes": geojson_bytes,
        "bytes_per_point": round(len(patrol.track) / len(line), 2),
        "upload_s": round(upload, 3),
        "map_geojson": page,
        "map_page": detail,
        "bare_query": raw,
        "geojson_vs_bare_p95": ratio(page["p95_ms"], raw["p95_ms"]),
    }
    print(
        f"   {len(line)} 点：存储 {len(patrol.track)} 字节"
        f"（{result['bytes_per_point']} 字节/点；GeoJSON 文本 {geojson_bytes} 字节），"
        f"上传入库 {result['upload_s']} s"
    )
    table(
        [
            ("轨迹GeoJSON接口", page["p50_ms"], page["p95_ms"]),
            ("巡查详情页", detail["p50_ms"], detail["p95_ms"]),
            ("裸查询", raw["p50_ms"], raw["p95_ms"]),
        ],
        ["3000点轨迹", "p50 (ms)", "p95 (ms)"],
    )
    return result


def _fill(admin, grids, households, visits):
    from django.utils import timezone

    from jiceng.people.models import Household
    from jiceng.places.models import Place
    from jiceng.workforce.models import PatrolBuilding, Visit

    rng = random.Random(9)
    buildings = {
        g.pk: list(Place.objects.filter(path__startswith=g.path, kind="building"))
        for g in grids
    }
    prefix = uuid.uuid4().hex[:6]
    batch = []
    for n in range(households):
        grid = grids[n % len(grids)]
        batch.append(
            Household(number=f"{prefix}{n:07d}", place=rng.choice(buildings[grid.pk]))
        )
        if len(batch) == 5000:
            Household.objects.bulk_create(batch)
            batch = []
    Household.objects.bulk_create(batch)
    ids = {}
    for hid, path in Household.objects.filter(number__startswith=prefix).values_list(
        "pk", "place__path"
    ):
        ids.setdefault(path[: len(grids[0].path)], []).append(hid)
    by_grid = [(g, ids[g.path]) for g in grids]
    now = timezone.now()
    kinds = ["信息员", "宣传员", "调解员", "服务员"]
    batch = []
    for n in range(visits):
        grid, members = by_grid[n % len(by_grid)]
        batch.append(
            Visit(
                user=admin,
                household_id=rng.choice(members),
                grid=grid,
                kind=kinds[n % 4],
                at=now - timedelta(seconds=rng.randrange(365 * 86400)),
            )
        )
        if len(batch) == 5000:
            Visit.objects.bulk_create(batch)
            batch = []
    Visit.objects.bulk_create(batch)
    PatrolBuilding.objects.bulk_create(
        PatrolBuilding(
            patrol_id=PatrolBuilding._meta.get_field("patrol")
            .related_model.objects.first()
            .pk,
            building=b,
            grid=g,
            at=now - timedelta(days=rng.randrange(60)),
        )
        for g in grids
        for b in buildings[g.pk]
        if rng.random() < 0.6
    )


def bench_coverage(admin, grids):
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from jiceng.workforce.models import Visit
    from jiceng.workforce.services import coverage

    full = full_run()
    households = env_int("BENCH_HOUSEHOLDS", 200_000 if full else 20_000)
    visits = env_int("BENCH_VISITS", 1_000_000 if full else 100_000)
    started = time.perf_counter()
    _fill(admin, grids, households, visits)
    print(
        f"   生成 {households} 户、{visits} 次走访：{time.perf_counter() - started:.1f} s"
    )
    client = Client()
    client.force_login(admin)
    since = timezone.now() - timedelta(days=30)
    table_name = Visit._meta.db_table
    ids = [g.pk for g in grids]

    def bare():
        with connection.cursor() as cursor:
            marks = ",".join(["%s"] * len(ids))
            sql = (
                f"SELECT grid_id, COUNT(DISTINCT household_id) FROM {table_name} "  # noqa: S608
                f"WHERE at >= %s AND grid_id IN ({marks}) GROUP BY grid_id"
            )
            cursor.execute(sql, [since, *ids])
            return dict(cursor.fetchall())

    rows = coverage(grids, 30)
    figures = {r.grid.pk: r.visited for r in rows if r.visited}
    assert figures == bare(), "coverage differs from the bare GROUP BY"
    assert sum(r.households for r in rows) == households
    page = client.get("/workforce/coverage/?days=30")
    assert page.status_code == 200
    html = page.content.decode()
    for r in rows:  # the page shows the same figures, row by row
        assert (
            f"<td>{r.grid.name}</td><td>{r.households}</td><td>{r.visited}</td>" in html
        )

    n = env_int("BENCH_SAMPLES", 30)
    samples = interleaved(
        {
            "page": lambda: client.get("/workforce/coverage/?days=30"),
            "service": lambda: coverage(grids, 30),
            "bare": bare,
        },
        n,
        rounds=3,
        warmup=1,
    )
    page, service, raw = (summary_ms(samples[k]) for k in ("page", "service", "bare"))
    table(
        [
            ("覆盖页", page["p50_ms"], page["p95_ms"]),
            ("覆盖统计服务", service["p50_ms"], service["p95_ms"]),
            ("裸 GROUP BY", raw["p50_ms"], raw["p95_ms"]),
        ],
        [f"{len(grids)}网格/{households}户/{visits}走访", "p50 (ms)", "p95 (ms)"],
    )
    result = {
        "grids": len(grids),
        "households": households,
        "visits": visits,
        "equal": True,
        "page": page,
        "service": service,
        "bare_group_by": raw,
        "page_vs_bare_p95": ratio(page["p95_ms"], raw["p95_ms"]),
    }
    print(f"   页面 / 裸查询 p95：{result['page_vs_bare_p95']} 倍，结果一致")
    return result


def main():
    migrated_database("workforce")
    from django.conf import settings

    settings.ALLOWED_HOSTS = ["*"]
    admin = _superuser()
    district = _district()
    _, grids = _tree(district, env_int("BENCH_GRIDS", 100), 8)
    data = {"engine": engine()}
    with section("巡查轨迹：一天约3000个点"):
        data["track"] = bench_track(admin, grids[0])
    with section("网格走访覆盖：覆盖页对比裸 GROUP BY"):
        data["coverage"] = bench_coverage(admin, grids)
    write_results("workforce", data, section=engine())
    return data


if __name__ == "__main__":
    main()
