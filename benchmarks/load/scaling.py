"""Scaling with data: each page type's p95 on a city database against a one-district
database, the same pages as the same first-district users, measured in alternating
rounds (pages.py --json, one process per round and database) so that the load of
the machine falls on both alike. Goal: city p95 ≤ 1.5× district p95 per page type.

    python benchmarks/load/scaling.py [--base load_district] [--city load_city]
        [--rounds 4] [--n 5] [PATH@user ...]

Prints a line per page (p95 on each database, the ratio, queries) and writes
benchmarks/results/load.json section "scaling-<base>-<city>".
"""

import argparse
import json
import math
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

import _common as bench  # noqa: E402

GOAL = 1.5
# One page of each type the locust flows open, as the user who opens it there.
PAGES = [
    "/@wangge",
    "/cases/?status=open@wangge",
    "/people/residents/@wangge",
    "/api/v1/cases/?limit=20@wangge",
    "/api/v1/residents/?limit=20@wangge",
    "/cases/?status=reported@jiedao",
    "/cases/map/@jiedao",
    "/cases/map.geojson?status=open@jiedao",
    "/people/residents/?q=王@shegong",
    "/people/residents/@jiedao",
    "/people/households/@jiedao",
    "/people/households/@shegong",
    "/cases/?status=dispatched@bumen",
    "/cases/kpi/@quadmin",
    "/volunteer/wall/@dangyuan",
    "/volunteer/activities/@dangyuan",
    "/open311/v2/requests.json",
    "/open311/v2/services.json",
    "/insight/510502/@quadmin",
    "/screen/510502/data.json@quadmin",
    "/public/",
    # the apps of party life, co-governance, deliberation, services, assessment,
    # workforce and intelligence (flows.py)
    "/party/meetings/@shuji",
    "/party/compliance/@shuji",
    "/alliances/@jiedao",
    "/alliances/me/tasks/@dangyuan",
    "/deliberation/@dangyuan",
    "/deliberation/disputes/@shegong",
    "/onewindow/applications/@shegong",
    "/onewindow/my/@dangyuan",
    "/workforce/team/@shegong",
    "/workforce/coverage/@quadmin",
    "/intelligence/tasks/@jiedao",
    "/intelligence/dispatch/@quadmin",
    "/assessment/rankings/@quadmin",
    "/assessment/public/rankings/",
    "/onewindow/map/",
]


def p95(values):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, math.ceil(0.95 * len(ordered)) - 1)]


def measure(db, pages, n):
    command = [bench.PYTHON, str(HERE / "pages.py"), "--db", db, "--n", str(n)]
    out = subprocess.run(
        [*command, "--json", *pages],
        cwd=bench.ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", default="load_district")
    parser.add_argument("--city", default="load_city")
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--n", type=int, default=5)
    parser.add_argument("pages", nargs="*")
    args = parser.parse_args()
    pages = args.pages or PAGES
    dbs = (args.base, args.city)
    samples = {db: {page: [] for page in pages} for db in dbs}
    queries, status = {}, {}
    for r in range(args.rounds):
        for db in dbs if r % 2 == 0 else dbs[::-1]:
            for page, found in measure(db, pages, args.n).items():
                samples[db][page] += found["ms"]
                queries[db, page] = found["queries"]
                status[db, page] = found["status"]
        print(f"round {r + 1}/{args.rounds} done", flush=True)
    results = {"base": args.base, "city": args.city, "goal": GOAL, "pages": {}}
    for page in pages:
        base, city = p95(samples[args.base][page]), p95(samples[args.city][page])
        ratio = round(city / base, 2) if base else None
        results["pages"][page] = {
            "base_p95_ms": round(base, 1),
            "city_p95_ms": round(city, 1),
            "ratio": ratio,
            "queries": [queries[args.base, page], queries[args.city, page]],
            "status": [status[args.base, page], status[args.city, page]],
            "samples": len(samples[args.city][page]),
        }
        mark = "ok" if ratio is not None and ratio <= GOAL else "OVER"
        print(
            f"{page:45} {base:8.1f} ms {city:8.1f} ms  ×{ratio}  {mark}  queries "
            f"{queries[args.base, page]}/{queries[args.city, page]}  status "
            f"{status[args.base, page]}/{status[args.city, page]}",
            flush=True,
        )
    results["machine"] = bench.machine_info()
    bench.write_results("load", results, section=f"scaling-{args.base}-{args.city}")


if __name__ == "__main__":
    main()
