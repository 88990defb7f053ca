"""Volunteering benchmark: 对单配餐 matching quality and speed against a greedy
first-fit baseline, ledger balance reads at 10k vs 10 entries, and points-mall
redemptions under concurrent requests (oversell counted).

    BENCH_ENGINE=sqlite .venv/bin/python benchmarks/volunteer.py
    BENCH_ENGINE=postgres DATABASE_URL=postgres://…/vol .venv/bin/python benchmarks/volunteer.py

Prints the figures and writes benchmarks/results/volunteer.json (one section per
engine; the matching figures do not depend on the engine).
"""

import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._common import (
    engine,
    full_run,
    goal,
    interleaved,
    migrated_database,
    ratio,
    section,
    summary_ms,
    table,
    write_results,
)
from jiceng.demo.names import SKILLS as DEMO_SKILLS  # a plain word list

SKILLS = [
    *DEMO_SKILLS,
    "医疗义诊",
    "助餐",
    "跑腿代办",
    "文艺",
    "场地",
    "物资",
    "资金",
]
SLOTS = ["weekday", "evening", "weekend"]


def generated_district(needs, resources, seed=7):
    """A district of ~12 km × 10 km: needs cluster in old compounds, resources sit
    at units (clustered in the centre) and members' homes (spread)."""
    from jiceng.volunteer import matching

    rng = random.Random(seed)
    lat0, lng0 = 34.35, 107.15
    hotspots = [
        (lat0 + rng.random() * 0.09, lng0 + rng.random() * 0.13) for _ in range(40)
    ]

    def near(spot, spread):
        return spot[0] + rng.gauss(0, spread), spot[1] + rng.gauss(0, spread * 1.2)

    popular = SKILLS[:6]
    need_items = []
    for i in range(needs):
        lat, lng = near(rng.choice(hotspots), 0.006)
        skill = rng.choice(popular) if rng.random() < 0.7 else rng.choice(SKILLS)
        slots = frozenset(rng.sample(SLOTS, 1)) if rng.random() < 0.5 else frozenset()
        need_items.append(matching.NeedItem(i, lat, lng, frozenset([skill]), slots))
    resource_items = []
    for j in range(resources):
        if rng.random() < 0.4:  # a unit near the centre
            lat, lng = near((lat0 + 0.045, lng0 + 0.065), 0.02)
            radius, capacity = 5000.0, rng.randint(2, 4)
        else:  # a member near home
            lat, lng = near(rng.choice(hotspots), 0.01)
            radius, capacity = 2000.0, rng.randint(1, 2)
        skills = frozenset(rng.sample(SKILLS, rng.randint(1, 3)))
        slots = frozenset(rng.sample(SLOTS, rng.randint(1, 3)))
        resource_items.append(
            matching.ResourceItem(j, lat, lng, skills, slots, capacity, radius)
        )
    return need_items, resource_items


def bench_matching():
    from jiceng.volunteer import matching

    sizes = [(2000, 800), (5000, 2000)] + ([(20000, 8000)] if full_run() else [])
    results = []
    for n_needs, n_res in sizes:
        needs, resources = generated_district(n_needs, n_res)
        started = time.perf_counter()
        options = matching.candidates(needs, resources)
        t_candidates = time.perf_counter() - started
        started = time.perf_counter()
        greedy = matching.greedy_first_fit(needs, resources, options)
        t_greedy = time.perf_counter() - started
        started = time.perf_counter()
        ours = matching.match(needs, resources, options)
        t_ours = time.perf_counter() - started
        reachable = sum(1 for o in options if o)
        results.append(
            {
                "needs": n_needs,
                "resources": n_res,
                "capacity": sum(r.capacity for r in resources),
                "needs_with_any_candidate": reachable,
                "candidates_s": round(t_candidates, 3),
                "greedy": {
                    "served": greedy.served,
                    "share": round(greedy.served / n_needs, 4),
                    "avg_distance_m": round(greedy.average_distance, 1),
                    "seconds": round(t_greedy, 3),
                },
                "matcher": {
                    "served": ours.served,
                    "share": round(ours.served / n_needs, 4),
                    "avg_distance_m": round(ours.average_distance, 1),
                    "seconds": round(t_ours, 3),
                },
                "more_served": ours.served - greedy.served,
                "goal_more_served": goal(ours.served, greedy.served + 1, at_most=False),
                "goal_distance": goal(ours.average_distance, greedy.average_distance),
            }
        )
    table(
        [
            (
                f"{r['needs']}/{r['resources']}",
                f"{r['greedy']['served']} ({r['greedy']['share']:.1%})",
                f"{r['matcher']['served']} ({r['matcher']['share']:.1%})",
                r["greedy"]["avg_distance_m"],
                r["matcher"]["avg_distance_m"],
                f"{r['candidates_s'] + r['matcher']['seconds']:.2f}",
            )
            for r in results
        ],
        [
            "需求/资源",
            "贪心首配",
            "匹配器",
            "贪心均距(m)",
            "匹配器均距(m)",
            "匹配器用时(s)",
        ],
    )
    return results


def _ledger_fixture(entries, tag):
    from benchmarks._volunteer_race import make_fixture
    from jiceng.volunteer.models import PointsEntry, Volunteer

    _item, (volunteer,) = make_fixture(buyers=1, balance=0, stock=1, price=1, label=tag)
    rows, balance = [], 0
    for seq in range(1, entries + 1):
        points = 10 if seq % 5 else -15
        if balance + points < 0:
            points = 10
        balance += points
        rows.append(
            PointsEntry(
                volunteer=volunteer,
                seq=seq,
                kind="earn" if points > 0 else "redeem",
                points=points,
                balance_after=balance,
                reason="基准",
            )
        )
    PointsEntry.objects.bulk_create(rows, batch_size=2000)
    Volunteer.objects.filter(pk=volunteer.pk).update(
        points_balance=balance, ledger_seq=entries
    )
    return volunteer


def bench_ledger():
    from jiceng.volunteer import services

    small = _ledger_fixture(10, "ledger-small")
    large = _ledger_fixture(10_000, "ledger-large")
    assert services.balance_of(large.pk) == services.points.ledger_sum(large.pk)
    samples = interleaved(
        {
            "10": lambda: services.balance_of(small.pk),
            "10k": lambda: services.balance_of(large.pk),
        },
        400,
    )
    small_ms, large_ms = summary_ms(samples["10"]), summary_ms(samples["10k"])
    started = time.perf_counter()
    services.check_ledger(type(large).objects.filter(pk=large.pk))
    recompute = time.perf_counter() - started
    started = time.perf_counter()
    for _ in range(200):
        services.append_entry(volunteer=large, kind="earn", points=1, reason="追加")
    append_ms = (time.perf_counter() - started) / 200 * 1000
    result = {
        "balance_10_entries": small_ms,
        "balance_10k_entries": large_ms,
        "ratio_p50": ratio(large_ms["p50_ms"], small_ms["p50_ms"]),
        "goal_ratio_at_most_1_5": goal(
            ratio(large_ms["p50_ms"], small_ms["p50_ms"]), 1.5
        ),
        "recompute_10k_ms": round(recompute * 1000, 2),
        "append_on_10k_ms": round(append_ms, 3),
    }
    table(
        [
            ("10 条", small_ms["p50_ms"], small_ms["p95_ms"]),
            ("1万条", large_ms["p50_ms"], large_ms["p95_ms"]),
        ],
        ["积分流水", "余额查询 p50 (ms)", "p95 (ms)"],
    )
    print(
        f"   比值 {result['ratio_p50']}（目标 ≤ 1.5）；按流水重算 1 万条 "
        f"{result['recompute_10k_ms']} ms；追加一条 {result['append_on_10k_ms']} ms"
    )
    return result


def bench_race():
    from benchmarks._volunteer_race import audit, make_fixture, race_redemptions

    threads = 16 if engine() == "postgres" else 8
    stock = 25
    item, volunteers = make_fixture(
        buyers=threads, balance=300, stock=stock, price=30, label="race-bench"
    )
    started = time.perf_counter()
    outcomes, errors = race_redemptions(item, volunteers, attempts=5, threads=threads)
    seconds = time.perf_counter() - started
    counted = audit(item, volunteers)
    result = {
        "threads": threads,
        "attempts": threads * 5,
        "stock": stock,
        "outcomes": dict(outcomes),
        **counted,
        "oversold": max(counted["sold"] - stock, 0),
        "errors": errors[:5],
        "seconds": round(seconds, 2),
    }
    print(
        f"   {threads} 线程 × 5 次兑换，库存 {stock}：成功 {outcomes.get('ok', 0)}，"
        f"售出 {counted['sold']}，超卖 {result['oversold']}，负余额 "
        f"{counted['negative_balances']}，流水不符 {counted['ledger_mismatches']}，"
        f"异常 {len(errors)}"
    )
    return result


def main():
    migrated_database("volunteer")
    data = {"engine": engine()}
    with section("对单配餐：匹配器 vs 贪心首配"):
        data["matching"] = bench_matching()
    with section("积分余额：1万条 vs 10条流水"):
        data["ledger"] = bench_ledger()
    with section("积分兑换并发"):
        data["race"] = bench_race()
    write_results("volunteer", data, section=engine())
    return data


if __name__ == "__main__":
    main()
