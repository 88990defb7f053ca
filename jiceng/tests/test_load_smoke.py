"""The load test's flows, once: one locust user per role against a real server.

benchmarks/load/ holds a locust workload of every demo role; it runs for minutes
against gunicorn and is not part of the tests. This smoke run keeps it from rotting:
each role logs in (or takes its token or key) and walks every one of its flows, every
app's pages are opened, and every 随手拍 the site accepted is stored exactly once.
"""

import importlib.util
import json
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from jiceng.conftest import serving

ROOT = Path(__file__).resolve().parents[2]
LOAD = ROOT / "benchmarks" / "load"
ITERATIONS = 4
# The first path segment of the pages each app's flows open (flows.py).
APPS = {
    "",  # the workbench
    "cases",
    "people",
    "places",
    "atlas",
    "transfer",
    "volunteer",
    "notices",
    "party",
    "alliances",
    "deliberation",
    "onewindow",
    "workforce",
    "assessment",
    "intelligence",
    "insight",
    "screen",
    "public",
    "api",
    "open311",
}


def _load_flows():
    spec = importlib.util.spec_from_file_location("load_flows", LOAD / "flows.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_flows = _load_flows()
ROLES, INTAKE = _flows.ROLES, _flows.INTAKE


@pytest.fixture(scope="module")
def served_site(demo_site_env):
    """The seeded demo district of demo_site_env (the browser tests' database)
    behind runserver and its task worker, with every export past a few rows
    written by the worker; yield (url, env)."""
    env = {**demo_site_env, "JICENG_EXPORT_INLINE_ROWS": "10"}
    with serving(env, startup_seconds=180) as url:  # a busy 2-CPU machine is slow
        yield url, env


def test_every_role_walks_its_flows_without_an_error(served_site, tmp_path):
    url, env = served_site
    site, ledger = tmp_path / "site.json", tmp_path / "ledger.txt"
    ledger.touch()
    # Given the facts the users need (an Open311 key, grids, public tokens)
    subprocess.run(
        [
            sys.executable,
            str(LOAD / "site.py"),
            "prepare",
            uuid.uuid4().hex[:8],
            str(site),
        ],
        env=env,
        cwd=ROOT,
        check=True,
    )
    # When one user per role walks its flows a few times, without think time
    locust_env = {
        **env,
        "LOAD_SITE": str(site),
        "LOAD_LEDGER": str(ledger),
        "LOAD_SMOKE": "1",
        "LOAD_ITERATIONS": str(ITERATIONS),
        "LOAD_WAIT": "0,0",
        "LOAD_EXPORT_QUERY": "q=王",  # one surname: still past the 10-row limit
        "LOAD_REPORT": str(tmp_path / "mix.json"),
    }
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "locust",
            "-f",
            str(LOAD / "locustfile.py"),
            "--host",
            url,
            "--headless",
            "--users",
            str(len(ROLES)),
            "--spawn-rate",
            str(len(ROLES)),
            "--run-time",
            "150s",
            "--json",
            "--csv",
            str(tmp_path / "locust"),
            "--skip-log",
        ],
        env=locust_env,
        cwd=LOAD,
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert run.stdout.strip(), run.stderr[-3000:]
    stats = json.loads(run.stdout)
    # Then nothing failed, every role made requests
    failures = {s["name"]: s["num_failures"] for s in stats if s["num_failures"]}
    reasons = (tmp_path / "locust_failures.csv").read_text(encoding="utf-8")
    assert failures == {}, (failures, reasons, run.stderr[-3000:])
    requests = sum(s["num_requests"] for s in stats)
    assert requests >= len(ROLES) * ITERATIONS
    # And every app's pages were among them (each user walks all its role's flows)
    opened = {
        s["name"].split("/")[1].partition(" ")[0] for s in stats if s["num_requests"]
    }
    assert APPS <= opened, APPS - opened
    # And the reports came in all three ways, and the mix's figures count them apart
    reported = {s["name"]: s["num_requests"] for s in stats if s["name"] in INTAKE}
    assert set(reported) == INTAKE and all(reported.values()), reported
    mix = json.loads((tmp_path / "mix.json").read_text())
    assert mix["intake"]["requests"] == sum(reported.values())
    assert 0 < mix["intake"]["p50_ms"] <= mix["intake"]["p95_ms"]
    # And every report the site accepted is stored exactly once
    counted = subprocess.run(
        [sys.executable, str(LOAD / "site.py"), "count", str(site), str(ledger)],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    found = json.loads(counted.stdout)
    assert found["missing"] == [] and found["duplicated"] == [], found
    assert found["stored"] == found["accepted"]
