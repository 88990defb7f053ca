"""Intelligence benchmark: smart dispatch accuracy against rule-only routing and a
keyword baseline (with a learning curve) and its suggestion latency; hot-spot
detection against scikit-learn DBSCAN on injected clusters hidden in background
reports; the exact 对单配餐 matcher against an independent linear program.

    .venv/bin/python benchmarks/intelligence.py          # reduced sizes
    BENCH_FULL=1 .venv/bin/python benchmarks/intelligence.py

Sizes: training 500/2k/10k (+50k full), 2,000 held-out reports; detection over
BENCH_BACKGROUND background reports (default 200,000; 1,000,000 with BENCH_FULL);
matching at 5,000 needs × 2,000 resources. Writes benchmarks/results/intelligence.json.
"""
# bench: engine-independent

import math
import random
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._common import env_int, full_run, goal, section, table, write_results
from benchmarks.volunteer import generated_district
from jiceng.intelligence import corpus, detection, learning
from jiceng.volunteer import matching


def _sample(r):
    return {
        "text": r.text,
        "grid": r.grid,
        "channel": r.channel,
        "hour": r.hour,
        "weekday": r.weekday,
    }


def _share(hits, n):
    return round(hits / n, 4)


def bench_dispatch():
    sizes = [500, 2000, 10000] + ([50000] if full_run() else [])
    test = corpus.records(2000, seed=99)
    samples = [_sample(r) for r in test]
    truth_c = [r.category for r in test]
    truth_h = [r.department for r in test]
    n = len(test)
    # rule-only: the category the reporter picked, routed by the rules
    rule_c1 = sum(r.reported == r.category for r in test)
    rule_h1 = sum(corpus.RULED.get(r.reported) == r.department for r in test)
    # keyword baseline: names and slang of each category, routed by the rules
    words = {code: topic[0] for code, topic in corpus.TOPICS.items()}
    keyword_top = [
        [c for _s, c in learning.keyword_scores(r.text, words)[:3]] for r in test
    ]
    kw_c1 = sum(
        bool(k) and k[0] == r.category for k, r in zip(keyword_top, test, strict=True)
    )
    kw_c3 = sum(r.category in k for k, r in zip(keyword_top, test, strict=True))
    kw_h1 = sum(
        bool(k) and corpus.RULED.get(k[0]) == r.department
        for k, r in zip(keyword_top, test, strict=True)
    )
    curve = []
    model = None
    for size in sizes:
        train = corpus.records(size, seed=size)
        started = time.perf_counter()
        model = learning.train(
            [_sample(r) for r in train],
            [r.category for r in train],
            [r.department for r in train],
            keys=list(range(size)),
        )
        seconds = time.perf_counter() - started
        s = learning.evaluate(model, samples, truth_c, truth_h)
        curve.append(
            {
                "train": size,
                "category_top1": round(s.category_top1, 4),
                "category_top3": round(s.category_top3, 4),
                "handler_top1": round(s.handler_top1, 4),
                "handler_top3": round(s.handler_top3, 4),
                "train_s": round(seconds, 2),
            }
        )
    baselines = {
        "rule_only": {
            "category_top1": _share(rule_c1, n),
            "handler_top1": _share(rule_h1, n),
        },
        "keywords": {
            "category_top1": _share(kw_c1, n),
            "category_top3": _share(kw_c3, n),
            "handler_top1": _share(kw_h1, n),
        },
    }
    table(
        [
            (
                "rule-only",
                baselines["rule_only"]["category_top1"],
                "—",
                baselines["rule_only"]["handler_top1"],
                "—",
                "—",
            ),
            (
                "keywords",
                baselines["keywords"]["category_top1"],
                baselines["keywords"]["category_top3"],
                baselines["keywords"]["handler_top1"],
                "—",
                "—",
            ),
            *(
                (
                    f"model {c['train']}",
                    c["category_top1"],
                    c["category_top3"],
                    c["handler_top1"],
                    c["handler_top3"],
                    c["train_s"],
                )
                for c in curve
            ),
        ],
        ["", "cat top1", "cat top3", "handler top1", "handler top3", "train s"],
    )
    # latency of one suggestion with its explanation and similar cases, against the
    # same report only turned into features (the floor any suggestion pays)
    bare, full = [], []
    for s in samples[:300]:
        started = time.perf_counter()
        model._matrix([s])
        bare.append(time.perf_counter() - started)
        started = time.perf_counter()
        x = model._matrix([s])
        top = model.suggest([s], x=x)[0]
        model.explain(s, top[0].category, x=x)
        model.similar(s, x=x)
        full.append(time.perf_counter() - started)

    def p95(values):
        return round(sorted(values)[int(len(values) * 0.95)] * 1000, 2)

    latency = {"p95_ms": p95(full), "features_only_p95_ms": p95(bare)}
    latency["ratio"] = round(latency["p95_ms"] / latency["features_only_p95_ms"], 2)
    print(
        f"suggestion p95 {latency['p95_ms']} ms "
        f"(features only {latency['features_only_p95_ms']} ms)"
    )
    best = curve[-1]
    return {
        "held_out": n,
        "baselines": baselines,
        "learning_curve": curve,
        "latency": latency,
        "goal_beats_rules": goal(
            best["category_top1"],
            baselines["rule_only"]["category_top1"],
            at_most=False,
        ),
        "goal_beats_keywords": goal(
            best["handler_top1"], baselines["keywords"]["handler_top1"], at_most=False
        ),
    }


def _background(count, rng, *, groups=20, side_m=20000.0, days=365.0):
    lat0, lng0 = 30.0, 104.0
    per_deg_lng = detection.METRES_PER_DEGREE * math.cos(math.radians(lat0))
    points = []
    for i in range(count):
        points.append(
            detection.Point(
                ("bg", i),
                lat0 + rng.random() * side_m / detection.METRES_PER_DEGREE,
                lng0 + rng.random() * side_m / per_deg_lng,
                rng.random() * days,
                rng.randrange(groups),
            )
        )
    return points, (lat0, lng0, per_deg_lng)


def _inject(rng, frame, clusters=40, groups=20, side_m=20000.0, days=365.0):
    lat0, lng0, per_deg_lng = frame
    points, truth = [], []
    for c in range(clusters):
        clat = lat0 + rng.uniform(0.1, 0.9) * side_m / detection.METRES_PER_DEGREE
        clng = lng0 + rng.uniform(0.1, 0.9) * side_m / per_deg_lng
        day, group = rng.uniform(0, days - 7), rng.randrange(groups)
        members = set()
        for k in range(rng.randint(6, 10)):
            r, a = 120 * math.sqrt(rng.random()), rng.random() * 2 * math.pi
            key = ("c", c, k)
            members.add(key)
            points.append(
                detection.Point(
                    key,
                    clat + r * math.sin(a) / detection.METRES_PER_DEGREE,
                    clng + r * math.cos(a) / per_deg_lng,
                    day + rng.uniform(0, 5),
                    group,
                )
            )
        truth.append(members)
    return points, truth


def _score(found, truth):
    """A found cluster is right when most of its reports are one injected cluster;
    an injected cluster is recalled when a right cluster holds most of it."""
    right, recalled = 0, set()
    for cluster in found:
        keys = {p.key for p in cluster}
        for index, members in enumerate(truth):
            if len(keys & members) * 2 > len(keys) and len(keys & members) * 2 > len(
                members
            ):
                right += 1
                recalled.add(index)
                break
    precision = right / len(found) if found else 1.0
    return round(precision, 4), round(len(recalled) / len(truth), 4)


def bench_detection():

    count = env_int("BENCH_BACKGROUND", 1_000_000 if full_run() else 200_000)
    rng = random.Random(5)
    background, frame = _background(count, rng)
    injected, truth = _inject(rng, frame)
    points = background + injected
    started = time.perf_counter()
    ours = detection.find_clusters(points, eps=200, window=7, min_cases=6)
    ours_s = time.perf_counter() - started
    ours_mb = _peak_mb(
        lambda: detection.find_clusters(points, eps=200, window=7, min_cases=6)
    )
    p, r = _score(ours, truth)
    # DBSCAN on the same points per group, days scaled so 7 days weigh as 200 m

    lat0, lng0, per_deg_lng = frame

    def dbscan():
        found = []
        by_group = {}
        for point in points:
            by_group.setdefault(point.group, []).append(point)
        for members in by_group.values():
            found += _dbscan_group(members, lat0, lng0, per_deg_lng)
        return found

    started = time.perf_counter()
    theirs = dbscan()
    theirs_s = time.perf_counter() - started
    theirs_mb = _peak_mb(dbscan)
    tp, tr = _score(theirs, truth)
    table(
        [
            (
                "ours (k-d tree, space×time)",
                p,
                r,
                len(ours),
                f"{ours_s:.1f}",
                f"{ours_mb:.0f}",
            ),
            (
                "sklearn DBSCAN",
                tp,
                tr,
                len(theirs),
                f"{theirs_s:.1f}",
                f"{theirs_mb:.0f}",
            ),
        ],
        ["", "precision", "recall", "clusters", "seconds", "peak MB (traced)"],
    )
    return {
        "background": count,
        "injected_clusters": len(truth),
        "ours": {
            "precision": p,
            "recall": r,
            "clusters": len(ours),
            "seconds": round(ours_s, 2),
            "peak_mb": round(ours_mb, 1),
        },
        "dbscan": {
            "precision": tp,
            "recall": tr,
            "clusters": len(theirs),
            "seconds": round(theirs_s, 2),
            "peak_mb": round(theirs_mb, 1),
        },
    }


def _peak_mb(fn):
    tracemalloc.start()
    fn()
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return peak


def _dbscan_group(members, lat0, lng0, per_deg_lng):
    import numpy as np
    from sklearn.cluster import DBSCAN

    xyz = np.array(
        [
            (
                (q.lng - lng0) * per_deg_lng,
                (q.lat - lat0) * detection.METRES_PER_DEGREE,
                q.day * 200 / 7,
            )
            for q in members
        ]
    )
    labels = DBSCAN(eps=200, min_samples=6).fit_predict(xyz)
    clusters = {}
    for q, label in zip(members, labels, strict=True):
        if label >= 0:
            clusters.setdefault(label, []).append(q)
    return list(clusters.values())


def bench_matching():
    import numpy as np
    from scipy.optimize import linprog
    from scipy.sparse import coo_matrix, vstack

    needs, resources = generated_district(5000, 2000)
    options = matching.candidates(needs, resources)
    started = time.perf_counter()
    ours = matching.match(needs, resources, options)
    ours_s = time.perf_counter() - started
    heuristic = matching.match_augmenting(needs, resources, options)
    # independent: the b-matching LP (integral polytope) by HiGHS, most served first,
    # then the least distance with that count fixed
    edges = [(i, j, d) for i, found in enumerate(options) for d, j in found]
    e = len(edges)
    rows_n = coo_matrix(
        ([1.0] * e, ([i for i, _j, _d in edges], range(e))), shape=(len(needs), e)
    )
    rows_r = coo_matrix(
        ([1.0] * e, ([j for _i, j, _d in edges], range(e))), shape=(len(resources), e)
    )
    a = vstack([rows_n, rows_r]).tocsr()
    b = [1] * len(needs) + [r.capacity for r in resources]
    started = time.perf_counter()
    most = linprog(-np.ones(e), A_ub=a, b_ub=b, bounds=(0, 1), method="highs")
    served = round(-most.fun)
    cheapest = linprog(
        [d for _i, _j, d in edges],
        A_ub=a,
        b_ub=b,
        A_eq=np.ones((1, e)),
        b_eq=[served],
        bounds=(0, 1),
        method="highs",
    )
    lp_s = time.perf_counter() - started
    total = sum(ours.distances.values())
    gap = (total - cheapest.fun) / cheapest.fun if cheapest.fun else 0.0
    table(
        [
            ("exact matcher", ours.served, round(total / 1000, 1), f"{ours_s:.2f}"),
            (
                "linear program (HiGHS)",
                served,
                round(cheapest.fun / 1000, 1),
                f"{lp_s:.2f}",
            ),
            (
                "previous heuristic",
                heuristic.served,
                round(sum(heuristic.distances.values()) / 1000, 1),
                "—",
            ),
        ],
        ["", "served", "total km", "seconds"],
    )
    return {
        "needs": 5000,
        "resources": 2000,
        "edges": e,
        "matcher": {
            "served": ours.served,
            "total_m": round(total, 1),
            "seconds": round(ours_s, 2),
        },
        "linear_program": {
            "served": served,
            "total_m": round(cheapest.fun, 1),
            "seconds": round(lp_s, 2),
        },
        "previous_heuristic": {
            "served": heuristic.served,
            "total_m": round(sum(heuristic.distances.values()), 1),
        },
        "distance_gap": round(gap, 6),
        "goal_served_equal": "met" if ours.served == served else "not met",
        "goal_within_0_1_percent": goal(abs(gap), 0.001),
        "goal_seconds": goal(ours_s, 5.0),
    }


def main():
    results = {}
    with section("smart dispatch: accuracy and latency"):
        results["dispatch"] = bench_dispatch()
    with section("对单配餐: exact matcher against a linear program"):
        results["matching"] = bench_matching()
    with section("未诉先办: clusters against DBSCAN"):
        results["detection"] = bench_detection()
    write_results("intelligence", results)


if __name__ == "__main__":
    main()
