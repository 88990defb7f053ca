"""The whole site under load: seed a PostgreSQL database, serve it as docs/deploy.md
does (gunicorn workers + the task worker, production settings), step up the locust
users of flows.py, and find the knee.

One command (``make load`` runs it with the defaults):

    .venv/bin/python benchmarks/load/run.py [--size district] [--workers 2,4]
        [--users 1,5,10,20,30,40,60,80] [--step 60] [--db load_district]

What it does:
1. ``seed`` (skipped when the database already holds the demo): creates the database
   ``--db`` (a name starting with ``load_``) on LOAD_PG_URL's server
   (default postgres://postgres@127.0.0.1:5432), migrates, runs
   ``seed_demo --size SIZE`` with production settings and load-test keys
   (benchmarks/.data/load-keys.env, made once), collectstatic; reports the seed time
   and the database's disk size.
2. For each gunicorn worker count: gunicorn ``jiceng.wsgi:application`` as in
   deploy.md (sync workers, --timeout 300) plus ``manage.py db_worker``; then locust
   headless for ``--step`` seconds at each user count, users thinking 1–5 s between
   flows (LOAD_WAIT). The first step (1 user, three steps long) is the single-user
   p95. The knee is the largest user count whose p95 of the mix is ≤ 3× the
   single-user p95 with no failure; stepping stops two steps past it.
   Each step also reports the intake apart (the 随手拍, API and Open311 reports'
   p50/p95, and their p50 against the single-user step's: one user files only ~10
   reports in its three minutes).
3. Errors: locust failures and HTTP 5xx counted in gunicorn's access log (0 wanted);
   lost writes: ``site.py count`` after each server run (every 随手拍/API/Open311 report
   that got a 2xx/302 exists exactly once).

City size (about 10 districts, 2M residents, 5M cases in one database):

    .venv/bin/python benchmarks/load/run.py --size city [--districts 10]
        [--cases 5000000] [--first-district-cases 200000] [--seed-only] [--db load_city]

seeds ``seed_demo --size district --districts 10`` once (the first district is the
district-size demo, the others have their own codes 510503 … and accounts
d2.wangge …; the dashboards' figures are refreshed once, at the end), then gives
each district its share of ``--cases`` (cases.py build N CODE: indexes kept, the
district's own rollup rows rebuilt; the first district, where the pages are compared,
gets ``--first-district-cases``, as many as the district-size database has, so the
comparison measures the other nine districts' data; the others share the rest) and
refreshes the figures again (once: a finished city run again skips it). It reports
each district's seed and case seconds and the database size after it. Hours at
city size: run again, it resumes with the district it stopped in. The load steps
then run as above, with the first district's demo accounts; compare a page's p95
with the district-size run's at the same user count (goal ≤ 1.5×), or time pages
on both databases with scaling.py (pages.py --db for one page).

Results: benchmarks/results/load.json and one line per step on stdout (also the
machine's load average: other processes share the CPUs, so compare ratios).
"""

import argparse
import csv
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

import _common as bench  # noqa: E402 (benchmarks/ on sys.path first)

PG = os.environ.get("LOAD_PG_URL", "postgres://postgres@127.0.0.1:5432")
WORK = Path(os.environ.get("LOAD_TMP") or bench.TMP_DIR.parent / "jiceng-load")
KEYS = bench.DATA_DIR / "load-keys.env"
VENV = Path(bench.PYTHON).parent
KNEE_FACTOR = 3.0
BASELINE_STEPS = 3  # the single-user step lasts this many steps
CASES = {"district": 200_000, "city": 5_000_000}  # a year of cases
DISTRICTS = {"city": 10}  # seed_demo --size city: ten district-size districts
# seed_demo's line when a district is ready: its name, seconds, (k/n)
DISTRICT_READY = re.compile(r"就绪，用时 ([0-9.]+) 秒")
# ... and before it, when the district is generated (not there already)
DISTRICT_STARTED = "开始生成演示区"


def log(*args):
    print(*args, flush=True)


def keys():
    """Production secrets for the load databases: made once, kept with the cached
    data (the seeded ID numbers are encrypted with them)."""
    if not KEYS.exists():
        KEYS.parent.mkdir(parents=True, exist_ok=True)
        KEYS.write_text(
            f"DJANGO_SECRET_KEY={secrets.token_hex(32)}\n"
            f"JICENG_FIELD_KEYS=1:{secrets.token_hex(16)}\n"
            f"JICENG_INDEX_KEY={secrets.token_hex(32)}\n"
        )
    return dict(line.split("=", 1) for line in KEYS.read_text().split())


def site_env(db):
    """The environment of deploy.md's /etc/jiceng/jiceng.env for database db."""
    if not db.startswith("load_"):
        raise SystemExit("load databases are named load_…")
    var = WORK / db
    var.mkdir(parents=True, exist_ok=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(keys())
    env.update(
        {
            "JICENG_ENV": "production",
            "DATABASE_URL": f"{PG}/{db}",
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "JICENG_VAR_DIR": str(var),
            "JICENG_LOG_LEVEL": "WARNING",
            "DJANGO_SETTINGS_MODULE": "jiceng.settings",
        }
    )
    return env


def manage(env, *args, **kwargs):
    return subprocess.run(
        [bench.PYTHON, str(bench.ROOT / "manage.py"), *args],
        env=env,
        cwd=bench.ROOT,
        check=True,
        **kwargs,
    )


def database_size(env):
    out = manage(
        env,
        "shell",
        "-c",
        "from django.db import connection as c; k=c.cursor(); "
        "k.execute('SELECT pg_database_size(current_database())'); "
        "print(k.fetchone()[0])",
        capture_output=True,
        text=True,
    )
    return int(out.stdout.split()[-1])


def seeded(env):
    out = manage(
        env,
        "shell",
        "-c",
        "from jiceng.demo.common import find_district as f; print(f() is not None)",
        capture_output=True,
        text=True,
    )
    return out.stdout.strip().endswith("True")


def case_count(env, district=None):
    """The cases in the database, or in the district with that code."""
    where = ""
    if district:
        where = (
            ".filter(place__path__startswith=Place.objects.get("
            f"code='{int(district)}', kind='district').path)"
        )
    out = manage(
        env,
        "shell",
        "-c",
        "from jiceng.cases.models import Case; from jiceng.places.models import Place;"
        f" print(Case.objects{where}.count())",
        capture_output=True,
        text=True,
    )
    return int(out.stdout.split()[-1])


def add_cases(env, wanted, district=None, top_up=True):
    """Bring the cases (of district) up to wanted with benchmarks/cases.py's bulk
    generator (top_up=False: add wanted, as the district runs always did); return
    the seconds it took, or None when nothing was missing."""
    have = case_count(env, district)
    if have >= wanted:
        return None
    n = wanted - have if top_up else wanted
    where = f" in {district}" if district else ""
    log(f"adding a year of cases{where}: {n:,} (has {have:,})")
    t0 = time.monotonic()
    subprocess.run(
        [bench.PYTHON, str(HERE.parent / "cases.py"), "build", str(n)]
        + ([district] if district else []),
        env=env,
        cwd=bench.ROOT,
        check=True,
    )
    return round(time.monotonic() - t0, 1)


def district_shares(cases, districts, first):
    """A year of cases for each district: the first district (the one the pages are
    compared in) as busy as the district-size database, so that a page's city/district
    ratio measures the other districts' data and not a busier district; the others
    share the rest."""
    first = min(first, cases // districts) if first else cases // districts
    rest = cases - first
    return [first] + [
        rest // (districts - 1) + (1 if n < rest % (districts - 1) else 0)
        for n in range(districts - 1)
    ]


def seed_city(db, size, cases, districts, first_cases):
    """A city: one ``seed_demo --districts n`` (the districts there are skipped; the
    dashboards' figures are refreshed once at the end, not after every district,
    which made the city quadratic), then each district's share of the cases
    (``district_shares``). Every district's seed time (from seed_demo's own line),
    case seconds and the database's growth are reported; an interrupted seed
    resumes with the district it stopped in."""
    env = site_env(db)
    bench.ensure_pg_database(env["DATABASE_URL"])
    manage(env, "migrate", "--noinput", "-v0")
    if not (Path(env["JICENG_VAR_DIR"]) / "static" / "staticfiles.json").exists():
        manage(env, "collectstatic", "--noinput", "-v0")
    t0 = time.monotonic()
    command = [bench.PYTHON, str(bench.ROOT / "manage.py"), "seed_demo"]
    command += ["--size", size, "--districts", str(districts)]
    with subprocess.Popen(
        command, env=env, cwd=bench.ROOT, stdout=subprocess.PIPE, text=True
    ) as seeding:
        said = []
        for line in seeding.stdout:  # as it goes: a city takes hours
            log(line.rstrip())
            said.append(line)
    if seeding.returncode:
        raise subprocess.CalledProcessError(seeding.returncode, command)
    output = "".join(said)
    found = {
        "seed_seconds": round(time.monotonic() - t0, 1),
        "district_seed_seconds": [
            float(seconds) for seconds in DISTRICT_READY.findall(output)
        ],
        "districts": [],
    }
    shares = district_shares(cases, districts, first_cases)
    for number, share in enumerate(shares, start=1):
        code = str(510502 + number - 1)  # jiceng.demo.city.district_spec's codes
        # each district brought up to its share (the first may be a copy of the
        # district-size database, which already holds a year of cases)
        step = {
            "district": code,
            "cases": share,
            "cases_seconds": add_cases(env, share, code),
        }
        step["database_bytes"] = database_size(env)
        found["districts"].append(step)
        log(f"{db}: district {number} {step}")
    # the dashboards see the cases: once, unless a finished city is run again (the
    # load steps start here; the refresh takes minutes)
    refreshed = Path(env["JICENG_VAR_DIR"]) / "figures-refreshed"
    changed = DISTRICT_STARTED in output or any(
        step["cases_seconds"] for step in found["districts"]
    )
    if changed or not refreshed.exists():
        t0 = time.monotonic()
        manage(env, "refresh_figures", "--months", "12")
        found["figures_seconds"] = round(time.monotonic() - t0, 1)
        refreshed.write_text(json.dumps(shares))
    found["cases"] = case_count(env)
    found["database_bytes"] = database_size(env)
    log(f"{db}: {found['database_bytes'] / 2**20:.0f} MiB, {found['cases']:,} cases")
    return found


def seed(db, size, cases, extra=()):
    """Create, migrate and seed db, then add a year of cases (the generator of
    benchmarks/cases.py: COPY, timelines, KPI rollup); each step is skipped when
    already done, so an interrupted seed resumes. Return what it took."""
    env = site_env(db)
    bench.ensure_pg_database(env["DATABASE_URL"])
    manage(env, "migrate", "--noinput", "-v0")
    if not (Path(env["JICENG_VAR_DIR"]) / "static" / "staticfiles.json").exists():
        manage(env, "collectstatic", "--noinput", "-v0")  # minutes: brotli + gzip
    found = {}
    if seeded(env):
        log(f"{db}: already seeded")
    else:
        log(f"{db}: seed_demo --size {size} {' '.join(extra)}")
        t0 = time.monotonic()
        manage(env, "seed_demo", "--size", size, *extra)
        found["seed_seconds"] = round(time.monotonic() - t0, 1)
        log(f"{db}: seeded in {found['seed_seconds']:.0f} s")
    if cases:
        found["cases_seconds"] = add_cases(env, cases, top_up=False)
    found["cases"] = case_count(env)
    found["database_bytes"] = database_size(env)
    log(f"{db}: {found}, {found['database_bytes'] / 2**20:.0f} MiB")
    return found


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Site:
    """gunicorn + db_worker as in deploy.md (sections 5 and 6)."""

    def __init__(self, env, workers, access_log):
        self.env, self.workers, self.access_log = env, workers, access_log
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"

    def __enter__(self):
        self.web = subprocess.Popen(
            [
                str(VENV / "gunicorn"),
                "jiceng.wsgi:application",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(self.workers),
                "--timeout",
                "300",
                "--access-logfile",
                str(self.access_log),
                "--access-logformat",
                '%(s)s %(m)s "%(U)s" %(M)s',
            ],
            env=self.env,
            cwd=bench.ROOT,
            stderr=subprocess.DEVNULL,
        )
        self.worker = subprocess.Popen(
            [bench.PYTHON, str(bench.ROOT / "manage.py"), "db_worker"],
            env=self.env,
            cwd=bench.ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return self
            except OSError:
                time.sleep(0.3)
        raise SystemExit("gunicorn did not start")

    def __exit__(self, *exc):
        for process in (self.web, self.worker):
            process.send_signal(signal.SIGTERM)
        for process in (self.web, self.worker):
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()


def server_errors(access_log, since):
    """HTTP 5xx lines in gunicorn's access log after byte offset since."""
    with open(access_log, "rb") as f:
        f.seek(since)
        lines = f.read().decode(errors="replace").splitlines()
    return [line for line in lines if line[:1] == "5"]


def number(text):
    try:
        return float(text)
    except ValueError:  # "N/A" when nothing was measured
        return 0.0


def locust(url, users, seconds, site, ledger, out, wait):
    """One step: users for seconds; return the aggregated figures."""
    prefix = out / f"u{users}"
    env = {
        **os.environ,
        "LOAD_SITE": str(site),
        "LOAD_LEDGER": str(ledger),
        "LOAD_WAIT": wait,
        "LOAD_REPORT": f"{prefix}_mix.json",
        # users log in during the first seconds; the mix is measured after
        "LOAD_SKIP_SECONDS": str(min(15, seconds // 3)),
    }
    subprocess.run(
        [
            str(VENV / "locust"),
            "-f",
            str(HERE / "locustfile.py"),
            "--host",
            url,
            "--headless",
            "--users",
            str(users),
            "--spawn-rate",
            str(max(1, users // 5)),
            "--run-time",
            f"{seconds}s",
            "--csv",
            str(prefix),
            "--only-summary",
            "--stop-timeout",
            "30",
        ],
        env=env,
        cwd=HERE,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        check=False,
    )
    with open(f"{prefix}_stats.csv") as f:
        rows = list(csv.DictReader(f))
    pages = {}
    for row in rows:
        figures = {
            "requests": int(number(row["Request Count"])),
            "failures": int(number(row["Failure Count"])),
            "p50_ms": number(row["50%"]),
            "p95_ms": number(row["95%"]),
            "rps": round(number(row["Requests/s"]), 2),
        }
        if row["Name"] != "Aggregated":
            pages[f"{row['Type']} {row['Name']}"] = figures
    mix = json.loads(Path(f"{prefix}_mix.json").read_text())
    return mix, pages


def knee_run(env, db, workers, steps, seconds, wait, out):
    run = f"{db}-w{workers}-{uuid.uuid4().hex[:6]}"
    out = out / run
    out.mkdir(parents=True, exist_ok=True)
    site, ledger, access = out / "site.json", out / "ledger.txt", out / "access.log"
    ledger.touch()
    access.touch()
    manage(env, "shell", "-c", "pass")  # warm the imports' bytecode
    subprocess.run(
        [bench.PYTHON, str(HERE / "site.py"), "prepare", run, str(site)],
        env=env,
        cwd=bench.ROOT,
        check=True,
    )
    results = {"workers": workers, "steps": []}
    with Site(env, workers, access) as served:
        # warm every worker (imports, first queries, the login's Argon2) unmeasured
        locust(served.url, max(2, workers), 20, site, ledger, out, wait)
        base, intake_base, past = None, None, 0
        for users in steps:
            offset = access.stat().st_size
            # the baseline runs longer: one user's 60 s are ~50 requests, whose p95
            # is their third slowest (182 ms one run, 88 ms the next)
            length = seconds * (BASELINE_STEPS if base is None else 1)
            total, pages = locust(served.url, users, length, site, ledger, out, wait)
            errors = server_errors(access, offset)
            total["failures"] = sum(p["failures"] for p in pages.values())
            step = {
                "users": users,
                **total,
                "http_5xx": len(errors),
                "load_average": round(os.getloadavg()[0], 1),
                "pages": pages,
            }
            intake = total["intake"]
            if base is None:
                # the single user files ~10 reports in its 3 minutes: their p95 is
                # the slowest one, so the intake is compared by its median
                base, intake_base = total["p95_ms"], intake["p50_ms"]
            step["p95_ratio"] = round(total["p95_ms"] / base, 2) if base else None
            intake["p50_ratio"] = (
                round(intake["p50_ms"] / intake_base, 2) if intake_base else None
            )
            results["steps"].append(step)
            log(
                f"  {workers} workers, {users:4d} users: {total['rps']:6.1f} req/s, "
                f"p50 {total['p50_ms']:5.0f} ms, p95 {total['p95_ms']:6.0f} ms "
                f"(×{step['p95_ratio']}), failures {total['failures']}, "
                f"5xx {len(errors)}, load {step['load_average']}; "
                f"reports {intake['requests']}: p50 {intake['p50_ms']} ms "
                f"(×{intake['p50_ratio']}), p95 {intake['p95_ms']} ms"
            )
            for line in errors[:5]:
                log("    5xx:", line)
            ok = total["failures"] == 0 and not errors
            if ok and step["p95_ratio"] <= KNEE_FACTOR:
                results["knee_users"] = users
            else:
                past += 1
                if past >= 2:
                    break
    counted = subprocess.run(
        [bench.PYTHON, str(HERE / "site.py"), "count", str(site), str(ledger)],
        env=env,
        cwd=bench.ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    results["writes"] = json.loads(counted.stdout)
    results["single_user_p95_ms"] = base
    results["single_user_intake_p50_ms"] = intake_base
    log(f"  knee: {results.get('knee_users')} users; writes: {results['writes']}")
    return results


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", default="district")
    parser.add_argument("--db", default=None, help="load_<size> by default")
    parser.add_argument("--workers", default="2,4")
    parser.add_argument("--users", default="1,5,10,20,30,40,60,80")
    parser.add_argument("--step", type=int, default=60, help="seconds per step")
    parser.add_argument("--wait", default=os.environ.get("LOAD_WAIT", "1,5"))
    parser.add_argument(
        "--cases", type=int, default=None, help="a year of cases (district: 200000)"
    )
    parser.add_argument(
        "--districts",
        type=int,
        default=None,
        help="districts in one database (city: 10); seeded one after another, "
        "each with its share of --cases",
    )
    parser.add_argument(
        "--first-district-cases",
        type=int,
        default=CASES["district"],
        help="the first district's year of cases (as the district-size database); "
        "0: an equal share",
    )
    parser.add_argument("--seed-only", action="store_true")
    parser.add_argument("--label", default="", help="a name for this run's results")
    args = parser.parse_args()
    db = args.db or f"load_{args.size}"
    data = {"size": args.size, "database": db, "machine": bench.machine_info()}
    cases = args.cases if args.cases is not None else CASES.get(args.size, 0)
    districts = args.districts or DISTRICTS.get(args.size, 1)
    if districts > 1:
        size = "district" if args.size == "city" else args.size
        data.update(seed_city(db, size, cases, districts, args.first_district_cases))
    else:
        data.update(seed(db, args.size, cases))
    if args.seed_only:
        bench.write_results("load", data, section=args.label or f"seed-{db}")
        return
    env = site_env(db)
    steps = [int(u) for u in args.users.split(",")]
    out = WORK / "runs"
    data["runs"] = [
        knee_run(env, db, int(w), steps, args.step, args.wait, out)
        for w in args.workers.split(",")
    ]
    bench.write_results("load", data, section=args.label or db)


if __name__ == "__main__":
    main()
