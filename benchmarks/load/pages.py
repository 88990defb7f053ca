"""Time single pages in process (Django's test client) on a load database: queries
and milliseconds per page, for the before/after figures of a load finding.

    python benchmarks/load/pages.py [--db load_district] [--n 5] PATH[@user] ...

PATH is fetched as user (a demo account; none: anonymous). Runs with run.py's
production environment for that database. --json prints every page's times (for
scaling.py) instead of the table; --slowest K prints each page's K slowest SQL
statements of its last fetch (to EXPLAIN); --gc adds the garbage collector's
pauses during the timed fetches, per generation (JICENG_GC_THRESHOLD picks the
tuning, as for gunicorn: jiceng/gc_tuning.py).
"""

import argparse
import gc
import importlib
import json
import os
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

import run  # noqa: E402 (the load environment)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", default="load_district")
    parser.add_argument("--n", type=int, default=5)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--slowest", type=int, default=0)
    parser.add_argument("--gc", action="store_true")
    parser.add_argument("pages", nargs="+")
    args = parser.parse_args()
    os.environ.update(run.site_env(args.db))
    sys.path.insert(0, str(run.bench.ROOT))
    importlib.import_module("jiceng.wsgi")  # loaded as gunicorn loads it
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    found = {}
    pauses = CollectorPauses()
    for spec in args.pages:
        path, _, username = spec.partition("@")
        client = Client(HTTP_HOST="127.0.0.1")
        if username:
            client.force_login(get_user_model().objects.get(username=username))
        client.get(path)  # warm
        times, queries = [], 0
        pauses.timing = True
        for _ in range(args.n):
            with CaptureQueriesContext(connection) as captured:
                t0 = time.perf_counter()
                response = client.get(path)
                if response.streaming:
                    b"".join(response.streaming_content)
                times.append((time.perf_counter() - t0) * 1000)
            queries = len(captured.captured_queries)
        pauses.timing = False
        found[spec] = {"status": response.status_code, "ms": times, "queries": queries}
        if args.json:
            continue
        print(
            f"{spec:55} {response.status_code} median {statistics.median(times):8.1f} ms"
            f"  queries {queries}",
            flush=True,
        )
        slowest = sorted(
            captured.captured_queries, key=lambda q: float(q["time"]), reverse=True
        )
        for query in slowest[: args.slowest]:
            print(f"    {float(query['time']) * 1000:7.1f} ms  {query['sql']}")
    if args.gc:
        found["__gc__"] = pauses.summary()
        if not args.json:
            print("collector pauses while timing:", found["__gc__"])
    if args.json:
        print(json.dumps(found))


class CollectorPauses:
    """Each collection's generation and milliseconds, while timing is set."""

    def __init__(self):
        self.timing, self.started, self.pauses = False, None, []
        gc.callbacks.append(self.callback)

    def callback(self, phase, info):
        if phase == "start":
            self.started = time.perf_counter()
        elif self.timing and self.started is not None:
            self.pauses.append(
                (info["generation"], (time.perf_counter() - self.started) * 1000)
            )

    def summary(self):
        by_generation = {}
        for generation, ms in self.pauses:
            found = by_generation.setdefault(
                str(generation), {"count": 0, "total_ms": 0.0, "max_ms": 0.0}
            )
            found["count"] += 1
            found["total_ms"] = round(found["total_ms"] + ms, 1)
            found["max_ms"] = round(max(found["max_ms"], ms), 1)
        return by_generation


if __name__ == "__main__":
    main()
