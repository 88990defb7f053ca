"""Insight (#23): the district dashboard's first paint from the rollup against
the same figures computed on the fly.

Data: the demo district (``seed_demo``, size BENCH_INSIGHT_SIZE: ``small`` by
default, ``district`` — about 200k residents — with BENCH_FULL=1) and
BENCH_INSIGHT_CASES generated cases (default 100,000; BENCH_FULL=1: 1,000,000)
with their timelines and the KPI rollup, by ``benchmarks/cases.py build``.
Cached as ``insight-<size>-<cases>`` (SQLite under BENCH_TMP, PostgreSQL database
of that name); each run works on a copy.

Measured:
1. ``refresh_figures``: a year's backfill (--months 12) and the cron refresh of
   the current month, seconds and rows.
2. The first paint's data calls at the district (the district admin): the rollup
   read (``insight.services.dashboard_for``: the place, its streets, every tile
   the reader holds, twelve months) against the same figures on the fly (each
   tile's ``figures()`` for the district over the twelve months it has history
   for, and for the streets this month). The figures must be equal; the ratio of
   p95s is reported (goal: the rollup ≥ 20× faster at p95).

Which tiles are measured: whatever is registered (core.tiles) on this branch.
"""

import os
import subprocess
import sys
import time

import _common as bench

NAME = "insight"


def log(*args):
    print(*args, flush=True)


def sizes():
    size = os.environ.get(
        "BENCH_INSIGHT_SIZE", "district" if bench.full_run() else "small"
    )
    cases = bench.env_int(
        "BENCH_INSIGHT_CASES", 1_000_000 if bench.full_run() else 100_000
    )
    return size, cases


def build(url, size, cases):
    seconds = bench.fresh_database(url, seed_size=size, seed=1)
    log(f"   seeded {size} in {seconds:.1f} s; generating {cases:,} cases ...")
    started = time.perf_counter()
    env = bench.base_env(url)
    subprocess.run(
        [bench.PYTHON, str(bench.BENCH_DIR / "cases.py"), "build", str(cases)],
        cwd=bench.ROOT,
        env=env,
        check=True,
    )
    return {
        "seed_seconds": round(seconds, 1),
        "cases_seconds": round(time.perf_counter() - started, 1),
    }


def database(size, cases):
    name = f"insight-{size}-{cases}"
    fingerprint = bench.source_fingerprint(
        "jiceng/demo",
        "benchmarks/cases.py",
        *sorted(
            str(p.relative_to(bench.ROOT))
            for p in bench.ROOT.glob("jiceng/*/migrations")
        ),
    )
    pg_url = (
        bench.database_url(name.replace("-", "_"))
        if bench.engine() == "postgres"
        else None
    )
    url, built = bench.cached_database(
        name,
        fingerprint,
        lambda u: build(u, size, cases),
        directory=bench.TMP_DIR,
        pg_url=pg_url,
    )
    return bench.working_copy(url, f"{name}-run"), built


def on_the_fly(user, place, month):
    """The page's figures without the rollup: each tile the reader holds, for the
    place over the months it has history for, and for its children this month."""
    from jiceng.core.tiles import add_months, visible_tiles
    from jiceng.insight.services import LEVELS, TREND_MONTHS
    from jiceng.places.models import Place

    children = list(
        Place.objects.filter(
            path__startswith=place.path, depth=place.depth + 1, kind__in=LEVELS
        ).order_by("path")
    )
    months = [add_months(month, -i) for i in range(TREND_MONTHS - 1, -1, -1)]
    figures = {}
    for tile in visible_tiles(user, place):
        for m in months if tile.history else [month]:
            value = tile.figures([place], m).get(place.pk)
            figures[(place.pk, tile.key, m)] = value
        values = tile.figures(children, month)
        for child in children:
            figures[(child.pk, tile.key, month)] = values.get(child.pk)
    return figures


def from_rollup(user, place, month):
    from jiceng.insight.services import dashboard_for

    data = dashboard_for(user, place, month)
    figures = {}
    for view in data.tiles:
        for m, value in view.trend:
            if view.tile.history or m == month:
                figures[(place.pk, view.tile.key, m)] = value
        for child_pk, value in view.children.items():
            figures[(child_pk, view.tile.key, month)] = value
    return figures


def normalised(figures, tiles):
    """None reads as 0 for counts (a place with no rows), as in the rollup."""
    from jiceng.core.tiles import TileKind

    kinds = {t.key: t.kind for t in tiles}
    return {
        key: (
            float(v)
            if v is not None
            else (None if kinds[key[1]] == TileKind.RATE else 0.0)
        )
        for key, v in figures.items()
    }


def run():
    size, cases = sizes()
    log(f"engine {bench.engine()}; demo {size}, {cases:,} cases")
    with bench.section("database"):
        url, built = database(size, cases)
        log(f"   {url} (built: {built})")
    bench.setup_django(url)
    from django.contrib.auth import get_user_model
    from django.db import connection

    from jiceng.core.planner import refresh_statistics
    from jiceng.core.tiles import current_month, registered_tiles, visible_tiles
    from jiceng.insight.models import Figure
    from jiceng.insight.services import refresh_figures
    from jiceng.people.models import Resident
    from jiceng.places.models import Place, PlaceKind

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    data = {
        "engine": bench.engine(),
        "demo_size": size,
        "cases": cases,
        "residents": Resident.objects.count(),
        "build": built,
        "tiles": [t.key for t in registered_tiles()],
    }
    with bench.section("refresh_figures"):
        Figure.objects.all().delete()
        started = time.perf_counter()
        rows_year = refresh_figures(months=12)
        year = time.perf_counter() - started
        refresh_statistics(Figure)
        started = time.perf_counter()
        rows_month = refresh_figures(months=1)
        month_only = time.perf_counter() - started
        data["refresh"] = {
            "backfill_12_months_s": round(year, 2),
            "backfill_rows": rows_year,
            "current_month_s": round(month_only, 2),
            "current_month_rows": rows_month,
        }
        log(f"   {data['refresh']}")
    user = get_user_model().objects.get(username="quadmin")
    district = Place.objects.get(kind=PlaceKind.DISTRICT)
    month = current_month()
    tiles = visible_tiles(user, district)
    with bench.section(f"first paint at {district.name}: rollup vs on the fly"):
        rollup = normalised(from_rollup(user, district, month), tiles)
        fly = normalised(on_the_fly(user, district, month), tiles)
        assert rollup == fly, sorted(
            (k, rollup.get(k), fly.get(k))
            for k in set(rollup) | set(fly)
            if rollup.get(k) != fly.get(k)
        )[:10]
        n_fast = bench.env_int("BENCH_SAMPLES", 150)
        n_slow = bench.env_int("BENCH_INSIGHT_SLOW_SAMPLES", 20)
        fast = bench.time_calls(lambda: from_rollup(user, district, month), n_fast)
        slow = bench.time_calls(
            lambda: on_the_fly(user, district, month), n_slow, warmup=1
        )
        speedup = bench.ratio(bench.percentile(slow, 95), bench.percentile(fast, 95))
        data["first_paint"] = {
            "figures": len(rollup),
            "figures_equal": True,
            "rollup": bench.summary_ms(fast),
            "on_the_fly": bench.summary_ms(slow),
            "speedup_p95": speedup,
            "goal": "rollup >= 20x faster (p95)",
            "status": bench.goal(speedup, 20, at_most=False),
        }
        log(f"   {data['first_paint']}")
    bench.table(
        [
            (
                "first paint (district)",
                data["first_paint"]["rollup"]["p95_ms"],
                data["first_paint"]["on_the_fly"]["p95_ms"],
                f"{speedup}x",
            )
        ],
        ["view", "rollup p95 ms", "on the fly p95 ms", "ratio"],
    )
    bench.write_results(NAME, data, section=bench.engine())


if __name__ == "__main__":
    sys.path.insert(0, str(bench.BENCH_DIR))
    run()
