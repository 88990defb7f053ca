"""Time single pages in process (Django's test client) on a load database: queries
and milliseconds per page, for the before/after figures of a load finding.

    python benchmarks/load/pages.py [--db load_district] [--n 5] PATH[@user] ...

PATH is fetched as user (a demo account; none: anonymous). Runs with run.py's
production environment for that database. --json prints every page's times (for
scaling.py) instead of the table; --slowest K prints each page's K slowest SQL
statements of its last fetch (to EXPLAIN).
"""

import argparse
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
    for spec in args.pages:
        path, _, username = spec.partition("@")
        client = Client(HTTP_HOST="127.0.0.1")
        if username:
            client.force_login(get_user_model().objects.get(username=username))
        client.get(path)  # warm
        times, queries = [], 0
        for _ in range(args.n):
            with CaptureQueriesContext(connection) as captured:
                t0 = time.perf_counter()
                response = client.get(path)
                if response.streaming:
                    b"".join(response.streaming_content)
                times.append((time.perf_counter() - t0) * 1000)
            queries = len(captured.captured_queries)
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
    if args.json:
        print(json.dumps(found))


if __name__ == "__main__":
    main()
