"""Cases (事件案卷, #5): intake throughput, the grid worker's list, the KPI rollup.

1. Intake. A real server: ``gunicorn`` (sync workers, BENCH_CASES_WORKERS=2) on a
   10k-case district of its own, serving this module's WSGI app — the project's URLs
   plus two bare Django JSON views mounted by a benchmark-only urlconf. A client of
   BENCH_CASES_CONCURRENCY threads (http.client, one connection per request, as sync
   workers close it) posts, in interleaved timed rounds, to
     - Open311 ``POST /open311/v2/requests.json`` (form-urlencoded: api_key from
       ``open311.create_key``, service_code BJ0117, lat/long inside a demo grid),
     - the API ``POST /api/v1/cases/`` (Bearer token from ``create_api_token``,
       JSON body, as the grid worker ``wangge``),
     - the floors: ``/bench/bare-form/`` parses the same form body,
       ``/bench/bare-json/`` the same JSON body; both answer a JsonResponse 201;
     - a reference, ``/bench/bare-insert/``: the JSON body parsed and one Case row
       saved, nothing else (what any create endpoint must at least do).
   Goal (restated, issue #25): each endpoint ≥ 0.5× the bare-insert reference's
   req/s (same server, same run). The first goal, ≥ 50 % of the no-op floor, is out
   of reach for anything that stores a row: the bare insert itself reaches only
   0.34–0.46 of the floor; the floor shares are still reported. Also
   measured: one request of each kind in process (queries, SQL time, with the
   connection kept and reopened); BENCH_CASES_CONN_MAX_AGE=N adds a what-if server
   with that connection lifetime.
2. The grid worker's open-case list (``/cases/?status=open`` through the test
   client; the queryset the view builds: ``cases_for`` + ``select_related`` +
   paginator count + first page; and the count and the page query alone) at 10k vs
   N cases in the district (N = BENCH_CASES, default 200,000; BENCH_FULL=1:
   1,000,000). Both databases are attached to one process and measured alternately.
   Goal: p95(N) / p95(10k) ≤ 1.5. SQLite is measured as loaded (no ANALYZE: nothing
   runs it) and again with statistics; PostgreSQL after VACUUM ANALYZE (autovacuum's
   steady state).
3. The KPI dashboard at N cases: the rollup read (``kpi.stats`` → ``totals`` +
   ``grouped`` by child place, category, department and, for the trend, month —
   what ``dashboard.dashboard_data`` and ``dashboard.trend`` read) against the same
   figures computed on the fly from the timeline (``kpi.from_events`` on the events
   of the same months and place prefix, summed the same way), for the district and
   one street this month (and, full runs, the district this year). The figures must
   be equal. Goal: rollup ≥ 20× faster (p50).

The data: ``seed_demo --size small --seed 1`` (12 grids, the demo accounts), then
cases bulk-loaded (COPY on PostgreSQL, raw executemany on SQLite; secondary indexes
rebuilt after the load) spread over all grids (70 % at the grid, 30 % at a compound
or building in it), 41 categories (skewed), six channels, created over the last 365
days, each with the timeline the services would have written (report, accept or
rule dispatch, dispatch, escalate, handle, verify, close, rate, reopen, cancel,
hold) and the measures of ``services._measures`` (department, on_time,
elapsed_seconds, rating); then ``kpi.rebuild()``. Built databases are cached:
SQLite files under BENCH_TMP (default /tmp/jiceng-bench), PostgreSQL schemas
``bc_<N>`` in the database ``benchcases`` (BENCH_CASES_PG_URL).

Run: ``BENCH_ENGINE=sqlite|postgres .venv/bin/python benchmarks/cases.py``;
BENCH_CASES_PHASES=intake,list,kpi picks phases.
"""

import http.client
import json
import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
import types
import urllib.parse
from bisect import bisect
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _common as bench

NAME = "cases"
SCRIPT = str(Path(__file__).resolve())
GENERATOR_VERSION = "5"  # bump when the generated data changes
SMALL_CASES = 10_000
GRID_WORKER = "wangge"
STREET_ADMIN = "jiedao"
PAGE_SIZE = 25  # jiceng.core.htmx.PAGE_SIZE
URLCONF = "bench_cases_urls"
TZ = 8 * 3600  # Asia/Shanghai, no daylight saving
DAY = 86400
OPEN_AT, CLOSE_AT = 8 * 3600 + 1800, 17 * 3600 + 1800  # workdays.WORK_START/END
EPOCH = datetime(1970, 1, 1)
EPOCH_DATE = date(1970, 1, 1)

# ---- the generated district's habits --------------------------------------------------

CHANNELS = [
    ("patrol", 35),
    ("snapshot", 25),
    ("hotline", 20),
    ("building", 8),
    ("video", 7),
    ("open311", 5),
]
PLACE_LEVELS = [("grid", 70), ("compound", 20), ("building", 10)]
CANCEL_SHARE = 0.04
STALL_SHARE = 0.03  # cases left open at some stage (挂账, waiting for a department …)
RATE_SHARE = 0.6
REOPEN_SHARE = 0.5  # of ratings ≤ 2
DEPARTMENT_SHARE = 0.55  # manual dispatches to a department rather than the grid
RATINGS = [5, 5, 5, 5, 5, 4, 4, 4, 3, 2, 1]
PHRASES = [
    "已持续多日，影响居民出行",
    "夜间尤其明显，群众反映强烈",
    "位于小区主出入口附近",
    "存在安全隐患，请尽快处理",
    "此前已有居民电话反映",
    "周边商户也受到影响",
    "老人小孩经过时很危险",
    "下雨后情况更加严重",
]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"


# ---- small helpers ----------------------------------------------------------------------


def log(*args):
    print(*args, flush=True)


def cases_n():
    return bench.env_int("BENCH_CASES", 1_000_000 if bench.full_run() else 200_000)


def fingerprint():
    paths = ["jiceng/demo", "jiceng/cases/kpi.py", "jiceng/cases/models.py"]
    paths += sorted(
        str(p.relative_to(bench.ROOT)) for p in bench.ROOT.glob("jiceng/*/migrations")
    )
    return f"{bench.source_fingerprint(*paths)}g{GENERATOR_VERSION}"


def pg_base():
    default = bench.pg_url().rsplit("/", 1)[0] + "/benchcases"
    return os.environ.get("BENCH_CASES_PG_URL", default)


def pg_schema_url(schema):
    return bench.pg_schema_url(pg_base(), schema)


def child(*args, url, capture=True):
    """Run a step of this script in its own process; return its last JSON line."""
    env = bench.base_env(url)
    proc = subprocess.run(
        [bench.PYTHON, SCRIPT, *args],
        cwd=bench.ROOT,
        env=env,
        text=True,
        stdout=subprocess.PIPE if capture else None,
        check=False,
    )
    if proc.returncode:
        raise SystemExit(f"step {args[0]} failed ({proc.returncode})")
    if not capture:
        return None
    lines = [line for line in proc.stdout.splitlines() if line.startswith("{")]
    for line in proc.stdout.splitlines():
        if not line.startswith("{"):
            log("   " + line)
    return json.loads(lines[-1]) if lines else None


# ---- the district's databases ---------------------------------------------------------


def database_for(label, n):
    """A migrated, seeded database with n generated cases; cached between runs
    (SQLite files under BENCH_TMP, PostgreSQL schemas bc_<n> in benchcases).

    Returns (url, build figures or None when the cache was used)."""
    schema = pg_schema_url(f"bc_{n}") if bench.engine() == "postgres" else None
    return bench.cached_database(
        f"benchcases-{n}",
        fingerprint(),
        lambda url: build_database(url, n, label),
        directory=bench.TMP_DIR,
        pg_url=schema,
    )


def build_database(url, n, label):
    log(f"building the {label} district ({n:,} cases) in {url} ...")
    seeded = bench.fresh_database(url, seed_size="small", seed=1)
    started = time.perf_counter()
    figures = child("build", str(n), url=url)
    figures["seed_seconds"] = round(seeded, 1)
    figures["total_seconds"] = round(seeded + time.perf_counter() - started, 1)
    log(f"   built in {figures['total_seconds']} s: {figures}")
    return figures


# ---- working time without the per-call overhead (checked against workdays) -------------


class Clock:
    """workdays.add_working_hours / add_working_days on epoch seconds, memoised."""

    def __init__(self):
        from jiceng.cases import workdays

        self._workdays = workdays
        self._is_workday = {}
        self._days = {}

    def workday(self, day_number):
        found = self._is_workday.get(day_number)
        if found is None:
            found = self._is_workday[day_number] = self._workdays.is_workday(
                EPOCH_DATE + timedelta(days=day_number)
            )
        return found

    def add_days(self, moment, days):
        start = (moment + TZ) // DAY
        key = (start, days)
        found = self._days.get(key)
        if found is None:
            day, counted = start, 0
            while counted < days:
                day += 1
                if self.workday(day):
                    counted += 1
            if days == 0:
                while not self.workday(day):
                    day += 1
            found = self._days[key] = day * DAY + CLOSE_AT - TZ
        return found

    def add_hours(self, moment, hours):
        remaining = hours * 3600
        local = moment + TZ
        while True:
            day = local // DAY
            if self.workday(day):
                opens, closes = day * DAY + OPEN_AT, day * DAY + CLOSE_AT
                begin = max(local, opens)
                if begin < closes:
                    available = closes - begin
                    if remaining <= available:
                        return begin + remaining - TZ
                    remaining -= available
            local = (day + 1) * DAY + OPEN_AT

    def check(self, rng, now):
        """Compare with the real functions on random moments."""
        for _ in range(300):
            moment = now - rng.randrange(400 * DAY)
            aware = datetime.fromtimestamp(moment, UTC)
            hours, days = rng.choice([1, 2, 4]), rng.choice([1, 2, 3, 5])
            real_h = self._workdays.add_working_hours(aware, hours).timestamp()
            real_d = self._workdays.add_working_days(aware, days).timestamp()
            assert self.add_hours(moment, hours) == real_h, (moment, hours)
            assert self.add_days(moment, days) == real_d, (moment, days)


# ---- building: the generator (runs in a child process) ---------------------------------


def weighted(rng, choices):
    values = [c for c, _ in choices]
    cumulative, total = [], 0
    for _, weight in choices:
        total += weight
        cumulative.append(total)

    def pick():
        return values[bisect(cumulative, rng.random() * total)]

    return pick


class District:
    """What the generator needs to know about the seeded demo district (under: the
    code of one district of a city, whose grids alone get the cases)."""

    def __init__(self, under=None):
        from django.contrib.auth import get_user_model

        from jiceng.cases.models import Category, RoutingRule
        from jiceng.core.models import Assignment, Department
        from jiceng.core.roles import Role
        from jiceng.places.models import Place, PlaceKind

        places = Place.objects.all()
        self.path = ""
        if under:
            root = Place.objects.get(code=under, kind=PlaceKind.DISTRICT)
            places = places.filter(path__startswith=root.path)
            self.path = root.path
        places = list(places.values("id", "path", "kind", "name", "geometry"))
        self.paths = {p["id"]: p["path"] for p in places}  # Case.place_path
        self.grids = []
        for grid in (p for p in places if p["kind"] == PlaceKind.GRID):
            below = {
                kind: [
                    p["id"]
                    for p in places
                    if p["kind"] == kind and p["path"].startswith(grid["path"])
                ]
                for kind in (PlaceKind.COMPOUND, PlaceKind.BUILDING)
            }
            ring = grid["geometry"]["coordinates"][0]
            xs, ys = [p[0] for p in ring], [p[1] for p in ring]
            self.grids.append(
                {
                    **grid,
                    "compound": below[PlaceKind.COMPOUND] or [grid["id"]],
                    "building": below[PlaceKind.BUILDING] or [grid["id"]],
                    "bbox": (min(xs), min(ys), max(xs), max(ys)),
                }
            )
        self.grids.sort(key=lambda g: g["path"])
        users = {u.pk: u for u in get_user_model().objects.all()}
        assignments = list(
            Assignment.objects.filter(active=True).values(
                "user_id", "role", "place__path", "department_id"
            )
        )
        for grid in self.grids:
            workers = [
                a["user_id"]
                for a in assignments
                if a["role"] == Role.GRID_WORKER and a["place__path"] == grid["path"]
            ]
            dispatchers = [
                a["user_id"]
                for a in assignments
                if a["role"] == Role.STREET_ADMIN
                and grid["path"].startswith(a["place__path"] or "-")
            ]
            grid["worker"] = users[workers[0]] if workers else None
            grid["dispatcher"] = users[dispatchers[0]] if dispatchers else None
        self.department_users = {
            a["department_id"]: users[a["user_id"]]
            for a in assignments
            if a["role"] == Role.DEPARTMENT and a["department_id"]
        }
        departments = list(Department.objects.values_list("id", "code"))
        # the city management bureau takes most manual dispatches
        self.department_weights = [
            (pk, 8 if code == "CGJ" else 1) for pk, code in departments
        ]
        self.department_names = dict(Department.objects.values_list("id", "name"))
        rules = {
            r.category_id: r
            for r in RoutingRule.objects.select_related("department").all()
        }
        self.categories = []
        for category in Category.objects.filter(active=True, parent__isnull=False):
            category.rule = rules.get(category.pk) or rules.get(category.parent_id)
            self.categories.append(category)
        self.categories.sort(key=lambda c: c.code)
        order = list(range(len(self.categories)))
        random.Random("benchcases:categories").shuffle(order)
        # a few categories take most cases (Zipf-like)
        self.category_weights = [
            (self.categories[i], 1 / (rank + 1) ** 0.8) for rank, i in enumerate(order)
        ]

    def category_picker(self, rng):
        return weighted(rng, self.category_weights)

    def department_picker(self, rng):
        return weighted(rng, self.department_weights)


class Timeline:
    """One case's life as the services would have recorded it, in epoch seconds."""

    def __init__(self, case, created):
        self.case, self.events, self.t = case, [], created

    def add(self, action, from_status, to_status, at, actor=None, note="", **measures):
        self.events.append(
            (
                action,
                from_status,
                to_status,
                actor.pk if actor is not None else None,
                str(actor) if actor is not None else "系统",
                note,
                at,
                self.case["department_id"],
                measures.get("on_time"),
                measures.get("elapsed_seconds"),
                measures.get("rating"),
            )
        )
        self.case["status"] = to_status
        self.t = at


def lifecycle(
    rng, clock, district, pick_department, now, created, category, grid, reporter, label
):
    """Return the case's fields and its events (stops at now: later steps are open)."""
    case = {
        "status": "reported",
        "department_id": None,
        "grid_id": None,
        "respond_due": clock.add_hours(created, category.respond_hours),
        "handle_due": None,
        "verify_due": None,
        "dispatched_at": None,
        "handled_at": None,
        "closed_at": None,
        "supervised": False,
        "escalation": 0,
        "on_hold": False,
        "result": "",
        "rating": None,
        "rating_comment": "",
        "version": 0,
    }
    life = Timeline(case, created)
    life.add("report", "", "reported", created, reporter, label)
    dispatcher = grid["dispatcher"]
    stall = rng.random() < STALL_SHARE and rng.choice(
        ["reported", "accepted", "dispatched", "handled", "verified"]
    )
    if stall == "reported":
        return case, life.events
    respond_mean = category.respond_hours * 3600 * 0.5
    if rng.random() < CANCEL_SHARE:
        at = life.t + int(rng.expovariate(1 / respond_mean)) + 60
        if at <= now:
            case["version"] += 1
            life.add(
                "cancel",
                "reported",
                "cancelled",
                at,
                dispatcher,
                "不属于受理范围",
                on_time=at <= case["respond_due"],
            )
        return case, life.events
    rule, cycle = category.rule, 0
    while True:
        if rule is not None and cycle == 0:  # routed at once by report_case
            at = life.t + rng.randint(1, 5)
            if at > now:
                return case, life.events
            case["department_id"] = rule.department_id
            case["grid_id"] = grid["id"] if rule.to_grid else None
            where = rule.department.name if rule.department_id else "所在网格"
            life.add(
                "dispatch",
                "reported",
                "dispatched",
                at,
                None,
                f"按派遣规则自动派往{where}",
                on_time=at <= case["respond_due"],
            )
        else:
            if cycle == 0:
                at = life.t + int(rng.expovariate(1 / respond_mean)) + 60
                if at > now:
                    return case, life.events
                case["version"] += 1
                life.add(
                    "accept",
                    "reported",
                    "accepted",
                    at,
                    dispatcher,
                    on_time=at <= case["respond_due"],
                )
                if stall == "accepted":
                    return case, life.events
            at = life.t + int(rng.expovariate(1 / 3600)) + 60
            if at > now:
                return case, life.events
            if rng.random() < DEPARTMENT_SHARE:
                case["department_id"], case["grid_id"] = (
                    pick_department(),
                    None,
                )
            else:
                case["department_id"], case["grid_id"] = None, grid["id"]
            case["version"] += 1
            life.add("dispatch", "accepted", "dispatched", at, dispatcher)
        case["dispatched_at"] = life.t
        case["handle_due"] = clock.add_days(life.t, category.handle_days)
        case["extended"] = False
        if stall == "dispatched":
            hold_at = life.t + int(rng.expovariate(1 / DAY)) + 60
            if hold_at <= now:
                case["on_hold"] = True
                case["version"] += 1
                life.add(
                    "hold", "dispatched", "dispatched", hold_at, dispatcher, "挂账"
                )
            return case, life.events
        handler = (
            district.department_users.get(case["department_id"])
            if case["department_id"]
            else grid["worker"]
        )
        handled = (
            life.t + int(rng.expovariate(1 / (category.handle_days * DAY * 0.45))) + 600
        )
        sweep = case["handle_due"] + 3600  # escalate_overdue finds it past its limit
        if sweep < min(handled, now) and case["escalation"] == 0:
            case["escalation"], case["supervised"] = 1, True
            case["handle_due"] = clock.add_days(sweep, 1)
            case["version"] += 1
            life.add(
                "escalate", "dispatched", "dispatched", sweep, None, "超期升级督办"
            )
        if handled > now:
            return case, life.events
        case["handled_at"], case["result"] = handled, "已到现场处置完毕"
        case["verify_due"] = clock.add_days(handled, category.verify_days)
        case["version"] += 1
        life.add("handle", "dispatched", "handled", handled, handler, case["result"])
        if stall == "handled":
            return case, life.events
        at = life.t + int(rng.expovariate(1 / (4 * 3600))) + 60
        if at > now:
            return case, life.events
        case["version"] += 1
        life.add("verify", "handled", "verified", at, grid["worker"], "现场核查通过")
        if stall == "verified":
            return case, life.events
        at = life.t + int(rng.expovariate(1 / (3 * 3600))) + 60
        if at > now:
            return case, life.events
        on_time = case["escalation"] == 0 and handled <= case["handle_due"]
        case["closed_at"] = at
        case["version"] += 1
        life.add(
            "close",
            "verified",
            "closed",
            at,
            dispatcher,
            on_time=on_time,
            elapsed_seconds=at - created,
        )
        if cycle or rng.random() >= RATE_SHARE:
            return case, life.events
        at = life.t + int(rng.expovariate(1 / (12 * 3600))) + 60
        if at > now:
            return case, life.events
        rating = rng.choice(RATINGS)
        case["rating"] = rating
        case["version"] += 1
        if rating <= 2 and rng.random() < REOPEN_SHARE and at - life.t < 7 * DAY:
            case["status"], case["closed_at"] = "accepted", None
            case["department_id"] = case["grid_id"] = None
            life.add(
                "reopen", "closed", "accepted", at, None, f"{rating}星", rating=rating
            )
            rule, cycle = None, 1
            continue
        life.add("rate", "closed", "closed", at, None, f"{rating}星", rating=rating)
        return case, life.events


_GEN = {}  # the generator's state, set before the pool forks


def sqlite_moment(seconds, _days={}):  # noqa: B006 (a per-process memo)
    day, rest = divmod(seconds, DAY)
    text = _days.get(day)
    if text is None:
        text = _days[day] = str(EPOCH_DATE + timedelta(days=day))
    return f"{text} {rest // 3600:02d}:{rest % 3600 // 60:02d}:{rest % 60:02d}"


def pg_moment(seconds):
    return datetime.fromtimestamp(seconds, UTC)


def generate_chunk(task):
    """Rows of one chunk of cases (runs in a forked worker): (cases, events, stats)."""
    index, first_id, created_slice, numbers = task
    g = _GEN
    district, clock, now = g["district"], g["clock"], g["now"]
    moment, defaults = g["moment"], g["defaults"]
    case_names, event_names = g["case_names"], g["event_names"]
    encrypt, mask_mobile, labels = g["encrypt"], g["mask_mobile"], g["labels"]
    # the district too: two districts topped up by the same count must differ
    under = f":{g['under']}" if g.get("under") else ""
    rng = random.Random(f"benchcases:{g['n']}:{index}{under}")
    pick_channel = weighted(rng, CHANNELS)
    pick_level = weighted(rng, PLACE_LEVELS)
    pick_category = district.category_picker(rng)
    pick_department = district.department_picker(rng)
    times = (
        "respond_due",
        "handle_due",
        "verify_due",
        "dispatched_at",
        "handled_at",
        "closed_at",
    )
    case_rows, event_rows, statuses = [], [], {}
    for offset, created in enumerate(created_slice):
        case_id = first_id + offset
        grid = district.grids[rng.randrange(len(district.grids))]
        level = pick_level()
        place = grid["id"] if level == "grid" else rng.choice(grid[level])
        category = pick_category()
        channel = pick_channel()
        reporter, name, phone, external = None, "", "", ""
        if channel == "patrol":
            reporter = grid["worker"]
            name = str(reporter) if reporter else "网格员"
        elif channel == "building":
            name = "楼栋长"
        elif channel == "video":
            external = f"cam-{case_id}"
        else:
            name = rng.choice(SURNAMES) + rng.choice(["先生", "女士"])
            if rng.random() < 0.6:
                phone = f"1{rng.choice('3578')}{rng.randrange(10**9):09d}"
        x0, y0, x1, y1 = grid["bbox"]
        fields = {
            "id": case_id,
            "number": numbers[offset],
            "category_id": category.pk,
            "description": f"{category.name}：{rng.choice(PHRASES)}",
            "place_id": place,
            "place_path": district.paths[place],
            "address": f"{grid['name']}{rng.randint(1, 40)}号附近",
            "lat": round(rng.uniform(y0, y1), 6),
            "lng": round(rng.uniform(x0, x1), 6),
            "channel": channel,
            "reporter_id": reporter.pk if reporter else None,
            "reporter_name": name,
            "reporter_phone": encrypt(phone) if phone else None,
            "reporter_phone_mask": mask_mobile(phone) if phone else "",
            "anonymous": not name,
            "public_token": f"{rng.getrandbits(128):032x}",
            "external_ref": external,
        }
        case, events = lifecycle(
            rng,
            clock,
            district,
            pick_department,
            now,
            created,
            category,
            grid,
            reporter,
            labels[channel],
        )
        fields.update(case)
        for key in times:
            if fields[key] is not None:
                fields[key] = moment(fields[key])
        fields["created_at"] = moment(created)
        case_rows.append(tuple(fields.get(a, defaults.get(a)) for a in case_names))
        for event in events:
            values = dict(zip(EVENT_TUPLE, event, strict=True))
            values["case_id"] = case_id
            values["at"] = moment(values["at"])
            event_rows.append(tuple(values[a] for a in event_names))
        status = fields["status"]
        statuses[status] = statuses.get(status, 0) + 1
    return case_rows, event_rows, statuses


def build(n, under=None):
    """Generate n cases with their timelines into the current database (under: in
    the grids of the district with that code only, a city's district).

    A forked worker generates chunks while this process inserts the previous one
    (COPY / raw executemany), so the two cores both work."""
    import multiprocessing

    from django.db import connection
    from django.utils import timezone

    from jiceng.cases import kpi
    from jiceng.cases.models import Case, CaseEvent, Channel
    from jiceng.core import crypto
    from jiceng.core.validators import mask_mobile

    rng = random.Random(f"benchcases:{n}" + (f":{under}" if under else ""))
    clock = Clock()
    now = int(timezone.now().timestamp())
    clock.check(rng, now)
    district = District(under)
    postgres = connection.vendor == "postgresql"
    case_fields = list(Case._meta.concrete_fields)
    # events get their ids from the database, in insertion order
    event_fields = [f for f in CaseEvent._meta.concrete_fields if not f.primary_key]
    _GEN.update(
        n=n,
        under=under,
        district=district,
        clock=clock,
        now=now,
        moment=pg_moment if postgres else sqlite_moment,
        defaults={
            f.attname: f.get_db_prep_save(f.get_default(), connection)
            for f in case_fields
        },
        case_names=[f.attname for f in case_fields],
        event_names=[f.attname for f in event_fields],
        encrypt=crypto.encrypt,
        mask_mobile=mask_mobile,
        labels={value: str(label) for value, label in Channel.choices},
    )
    taken = {}
    for number in Case.objects.values_list("number", flat=True):
        prefix, tail = number[:10], int(number[10:])
        taken[prefix] = max(taken.get(prefix, 0), tail)
    with connection.cursor() as cursor:
        cursor.execute("SELECT COALESCE(MAX(id), 0) FROM cases_case")
        next_case = cursor.fetchone()[0] + 1
    created_all = sorted(now - rng.randrange(365 * DAY) for _ in range(n))
    numbers, current_day, sequence = [], None, 0
    for created in created_all:
        local_day = (created + TZ) // DAY
        if local_day != current_day:  # after the demo's own cases of the day
            prefix = f"AJ{EPOCH_DATE + timedelta(days=local_day):%Y%m%d}"
            current_day, sequence = local_day, taken.get(prefix, 0)
        sequence += 1
        numbers.append(f"{prefix}{sequence:05d}")
    chunk = 20_000
    tasks = [
        (
            i,
            next_case + start,
            created_all[start : start + chunk],
            numbers[start : start + chunk],
        )
        for i, start in enumerate(range(0, n, chunk))
    ]

    def insert(model, fields, rows):
        columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
        table = connection.ops.quote_name(model._meta.db_table)
        raw = connection.connection
        if postgres:
            copy_sql = f"COPY {table} ({columns}) FROM STDIN"
            with raw.cursor() as cur, cur.copy(copy_sql) as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join("?" * len(fields))
            sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"  # noqa: S608
            raw.executemany(sql, rows)

    stats = {"cases": 0, "events": 0, "statuses": {}}
    started = time.perf_counter()
    insert_seconds = 0.0
    # A city's later districts go into tables that already hold millions of rows:
    # rebuilding every index after each district would make the city quadratic,
    # so the indexes are dropped only for a load into (nearly) empty tables.
    rebuilt = ["cases_case", "cases_caseevent"] if next_case - 1 < n else []
    indexes = drop_indexes(connection, rebuilt)
    workers = bench.env_int("BENCH_CASES_GENERATORS", 2)
    connection.ensure_connection()
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        pending = []
        queue = iter(tasks)
        for task in queue:  # keep a few chunks in flight, not the whole district
            pending.append(pool.apply_async(generate_chunk, (task,)))
            if len(pending) <= workers:
                continue
            result = pending.pop(0).get()
            insert_seconds += _insert_chunk(
                result, insert, Case, CaseEvent, case_fields, event_fields, stats
            )
            _progress(stats, n, started)
        for job in pending:
            insert_seconds += _insert_chunk(
                job.get(), insert, Case, CaseEvent, case_fields, event_fields, stats
            )
            _progress(stats, n, started)
    t0 = time.perf_counter()
    with connection.cursor() as cursor:
        for sql in indexes:
            cursor.execute(sql)
    index_seconds = time.perf_counter() - t0
    load_seconds = time.perf_counter() - started
    if postgres:
        with connection.cursor() as cursor:
            for model in (Case, CaseEvent):
                table = model._meta.db_table
                top = "SELECT setval(pg_get_serial_sequence(%s, 'id'), MAX(id)) FROM "
                cursor.execute(top + connection.ops.quote_name(table), [table])
    t0 = time.perf_counter()
    # What Case.save() and the day counter would have kept: the bulk load bypasses
    # them, so derive is_open from status and let counters restart from the maximum.
    from jiceng.cases.models import OPEN_STATUSES, CaseCounter

    new_cases = Case.objects.filter(pk__gte=next_case)
    new_cases.exclude(status__in=OPEN_STATUSES).update(is_open=False)
    CaseCounter.objects.all().delete()
    cells = kpi.rebuild(district.path)  # a city's district: its own rows only
    rebuild_seconds = time.perf_counter() - t0
    # PostgreSQL: what autovacuum does soon after a bulk load. SQLite: nothing runs
    # ANALYZE on its own (Django does not), so the database is left without
    # statistics; the list phase measures with them as well.
    t0 = time.perf_counter()
    with connection.cursor() as cursor:
        if postgres:
            cursor.execute("VACUUM ANALYZE cases_case, cases_caseevent, cases_casestat")
        else:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    analyze_seconds = time.perf_counter() - t0
    closed = ("closed", "cancelled")
    stats.update(
        open=sum(v for k, v in stats["statuses"].items() if k not in closed),
        load_seconds=round(load_seconds, 1),
        insert_seconds=round(insert_seconds, 1),
        index_seconds=round(index_seconds, 1),
        generator_processes=workers,
        rebuild_seconds=round(rebuild_seconds, 1),
        rollup_cells=cells,
        analyze_seconds=round(analyze_seconds, 1),
    )
    print(json.dumps(stats), flush=True)


def drop_indexes(connection, tables):
    """Drop the tables' secondary indexes for the load (none: tables=[]); return the
    SQL to rebuild them.

    Unique and primary-key indexes stay. Also: a larger page cache and no fsync on
    SQLite, no foreign-key triggers on PostgreSQL (the rows are consistent by
    construction) — for this process's load only."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT indexname, indexdef FROM pg_indexes "
                "WHERE schemaname = current_schema() AND tablename = ANY(%s) "
                "AND indexname NOT IN (SELECT conname FROM pg_constraint)",
                [tables],
            )
            found = cursor.fetchall()
            cursor.execute("SET session_replication_role = replica")
        else:
            found = []
            for table in tables:
                cursor.execute(
                    "SELECT name, sql FROM sqlite_master WHERE type = 'index' "
                    "AND sql IS NOT NULL AND tbl_name = %s",
                    [table],
                )
                found += cursor.fetchall()
            cursor.execute("PRAGMA cache_size = -400000")
            cursor.execute("PRAGMA synchronous = OFF")
        for name, _ in found:
            cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
    return [sql for _, sql in found]


EVENT_TUPLE = (
    "action",
    "from_status",
    "to_status",
    "actor_id",
    "actor_name",
    "note",
    "at",
    "department_id",
    "on_time",
    "elapsed_seconds",
    "rating",
)


def _insert_chunk(
    result, insert, case_model, event_model, case_fields, event_fields, stats
):
    from django.db import transaction

    case_rows, event_rows, statuses = result
    t0 = time.perf_counter()
    with transaction.atomic():
        insert(case_model, case_fields, case_rows)
        insert(event_model, event_fields, event_rows)
    stats["cases"] += len(case_rows)
    stats["events"] += len(event_rows)
    for status, count in statuses.items():
        stats["statuses"][status] = stats["statuses"].get(status, 0) + count
    return time.perf_counter() - t0


def _progress(stats, n, started):
    done = stats["cases"]
    if done % 200_000 < 20_000 or done == n:
        rate = done / (time.perf_counter() - started)
        print(
            f"{done:,} cases, {stats['events']:,} events ({rate:,.0f} cases/s)",
            flush=True,
        )


# ---- intake: the server side -------------------------------------------------------------


def bare_form(request):
    """The floor for Open311: parse the same form body, answer like it (201)."""
    from django.http import JsonResponse

    data = request.POST
    return JsonResponse(
        [
            {
                "service_request_id": "AJ0",
                "service_code": data.get("service_code", ""),
                "lat": data.get("lat"),
                "long": data.get("long"),
            }
        ],
        safe=False,
        status=201,
    )


def bare_json(request):
    """The floor for the API: parse the same JSON body, answer with a JSON object."""
    from django.http import JsonResponse

    data = json.loads(request.body)
    return JsonResponse(
        {"id": 0, "category_code": data.get("category_code"), "status": "reported"},
        status=201,
    )


_BARE_IDS = {}


def bare_insert(request):
    """A reference, not the goal's floor: the least any create endpoint does —
    parse the JSON body and save one Case row in a transaction (no workflow,
    time limits, timeline, KPI rollup, audit or notification)."""
    import uuid

    from django.db import transaction
    from django.http import JsonResponse

    from jiceng.cases.models import Case, Category
    from jiceng.places.models import Place

    data = json.loads(request.body)
    if not _BARE_IDS:
        _BARE_IDS["category"] = Category.objects.get(code=data["category_code"]).pk
        _BARE_IDS["place"] = Place.objects.get(code=data["grid_code"]).pk
    with transaction.atomic():
        case = Case.objects.create(
            number=f"BN{uuid.uuid4().hex[:20]}",
            category_id=_BARE_IDS["category"],
            place_id=_BARE_IDS["place"],
            description=data["description"],
            address=data.get("address", ""),
            channel="patrol",
        )
    return JsonResponse({"id": case.pk, "status": case.status}, status=201)


def install_urlconf():
    from django.urls import include, path
    from django.views.decorators.csrf import csrf_exempt

    module = types.ModuleType(URLCONF)
    module.urlpatterns = [
        path("bench/bare-form/", csrf_exempt(bare_form)),
        path("bench/bare-json/", csrf_exempt(bare_json)),
        path("bench/bare-insert/", csrf_exempt(bare_insert)),
        path("", include("jiceng.urls")),
    ]
    sys.modules[URLCONF] = module


def server_settings(settings):
    settings.ROOT_URLCONF = URLCONF
    max_age = os.environ.get("BENCH_CASES_CONN_MAX_AGE")
    if max_age:  # the what-if variant: persistent connections on SQLite too
        settings.DATABASES["default"]["CONN_MAX_AGE"] = int(max_age)


_wsgi = None
_wsgi_lock = threading.Lock()


def application(environ, start_response):
    """gunicorn --chdir benchmarks cases:application (DATABASE_URL from the env)."""
    global _wsgi
    if _wsgi is None:
        with _wsgi_lock:
            if _wsgi is None:
                bench.setup_django(
                    os.environ["DATABASE_URL"], configure=server_settings
                )
                install_urlconf()
                from django.core.wsgi import get_wsgi_application

                from jiceng.gc_tuning import freeze_loaded_site

                _wsgi = get_wsgi_application()
                freeze_loaded_site()  # as jiceng.wsgi does in production
    return _wsgi(environ, start_response)


def credentials():
    """Child step: an Open311 key, an API token for the grid worker, the bodies,
    and the queries one request of each kind makes (test client, in process)."""
    from django.conf import settings

    settings.ROOT_URLCONF = URLCONF
    install_urlconf()
    from django.contrib.auth import get_user_model
    from django.db import connection, connections
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from jiceng.cases.open311 import create_key
    from jiceng.core.scope import grants_for
    from jiceng.core.services import create_api_token
    from jiceng.places.models import Place

    user = get_user_model().objects.get(username=GRID_WORKER)
    key = create_key("benchmark")
    _, token = create_api_token(actor=user, user=user, name="benchmark", days=1)
    paths = [g.place_path for g in grants_for(user) if g.place_path]
    grids = list(Place.objects.filter(path__in=paths, kind="grid").order_by("path"))
    points = []
    for grid in grids:
        ring = grid.geometry["coordinates"][0]
        xs, ys = [p[0] for p in ring], [p[1] for p in ring]
        points.append(((min(ys) + max(ys)) / 2, (min(xs) + max(xs)) / 2))
    out = {
        "open311_key": key,
        "token": token,
        "points": points,
        "grid_codes": [g.code for g in grids],
    }
    client = Client()
    bodies = request_bodies(out)
    probes = {
        "open311": lambda: client.post(
            "/open311/v2/requests.json", bodies["open311"](0), content_type=FORM
        ),
        "api": lambda: client.post(
            "/api/v1/cases/",
            bodies["api"](0),
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {token}",
        ),
        "bare_form": lambda: client.post(
            "/bench/bare-form/", bodies["bare_form"](0), content_type=FORM
        ),
        "bare_json": lambda: client.post(
            "/bench/bare-json/", bodies["bare_json"](0), content_type="application/json"
        ),
        "bare_insert": lambda: client.post(
            "/bench/bare-insert/",
            bodies["bare_json"](0),
            content_type="application/json",
        ),
    }
    diagnostics = {}
    for label, call in probes.items():
        for _ in range(3):
            call()  # warm
        with CaptureQueriesContext(connection) as captured:
            response = call()
        assert response.status_code == 201, (label, response.content[:300])
        sql = [q["sql"] for q in captured.captured_queries]
        kinds, stat_updates = {}, 0
        for text in sql:
            verb = text.split(None, 1)[0].upper()
            kinds[verb] = kinds.get(verb, 0) + 1
            stat_updates += text.startswith('UPDATE "cases_casestat"')
        found = {
            "queries": len(sql),
            "by_kind": kinds,
            "casestat_updates": stat_updates,
        }
        for mode in ("kept", "reconnect"):
            sql_time = [0.0]

            def timed(execute, sql, params, many, context, sql_time=sql_time):
                started = time.perf_counter()
                try:
                    return execute(sql, params, many, context)
                finally:
                    sql_time[0] += time.perf_counter() - started

            walls = []
            for _ in range(20):
                if mode == "reconnect":  # what CONN_MAX_AGE=0 does between requests
                    connections.close_all()
                started = time.perf_counter()
                with connection.execute_wrapper(timed):
                    call()
                walls.append(time.perf_counter() - started)
            found[f"{mode}_mean_ms"] = round(sum(walls) / len(walls) * 1000, 2)
            found[f"{mode}_sql_ms"] = round(sql_time[0] / len(walls) * 1000, 2)
        found["sql"] = [text[:160] for text in sql]
        diagnostics[label] = found
    out["diagnostics"] = diagnostics
    print(json.dumps(out, ensure_ascii=False))


FORM = "application/x-www-form-urlencoded"


def request_bodies(creds):
    """Body makers per endpoint (i = request number, for distinct descriptions)."""
    points = creds["points"]

    def open311(i):
        lat, lng = points[i % len(points)]
        return urllib.parse.urlencode(
            {
                "api_key": creds["open311_key"],
                "service_code": "BJ0117",
                "lat": f"{lat:.6f}",
                "long": f"{lng:.6f}",
                "description": f"路灯晚上不亮，行人看不清路（{i}）",
                "first_name": "明",
                "last_name": "李",
                "phone": "13800138000",
                "address_string": "幸福路12号",
            }
        )

    def api(i):
        return json.dumps(
            {
                "category_code": "BJ0117",
                "description": f"路灯晚上不亮，行人看不清路（{i}）",
                "grid_code": creds["grid_codes"][i % len(creds["grid_codes"])],
                "address": "幸福路12号",
                "reporter_name": "网格员",
            },
            ensure_ascii=False,
        )

    return {
        "open311": open311,
        "bare_form": open311,
        "api": api,
        "bare_json": api,
        "bare_insert": api,
    }


# ---- intake: the client side ------------------------------------------------------------


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, url, workers, extra_env=None):
        self.port = free_port()
        env = bench.base_env(url)
        env["PYTHONPATH"] = str(bench.ROOT)
        env.update(extra_env or {})
        gunicorn = str(Path(bench.PYTHON).parent / "gunicorn")
        self.proc = subprocess.Popen(
            [
                gunicorn,
                "--chdir",
                str(bench.BENCH_DIR),
                "--workers",
                str(workers),
                "--bind",
                f"127.0.0.1:{self.port}",
                "--log-level",
                "warning",
                "--timeout",
                "120",
                "cases:application",
            ],
            cwd=bench.ROOT,
            env=env,
            start_new_session=True,
        )

    def wait(self, timeout=60):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit("gunicorn exited")
            try:
                status, _ = request(self.port, "GET", "/healthz", None, {})
                if status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.3)
        raise SystemExit("gunicorn did not start")

    def stop(self):
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()


def request(port, method, path, body, headers):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        conn.request(
            method, path, body=body.encode() if body else None, headers=headers
        )
        response = conn.getresponse()
        data = response.read()
        return response.status, data
    finally:
        conn.close()


def load(port, target, seconds, concurrency, counter):
    """concurrency threads send target's requests for seconds; return
    (latencies, wall seconds, failures)."""
    path, headers, body = target
    latencies, failures = [], []
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def worker():
        mine = []
        while time.perf_counter() < deadline:
            with lock:
                counter[0] += 1
                i = counter[0]
            started = time.perf_counter()
            status, data = request(port, "POST", path, body(i), headers)
            mine.append(time.perf_counter() - started)
            if status not in (200, 201):
                with lock:
                    failures.append((status, data[:200]))
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, time.perf_counter() - started, failures


def intake_database(small_url):
    """A 10k district for the server to write into (not the one the list reads)."""
    if bench.engine() == "sqlite":
        return bench.working_copy(small_url, "benchcases-intake")
    # PostgreSQL cannot copy a schema: a 10k district of its own, kept between runs
    # (each run adds its few hundred cases of today to it)
    url, _built = bench.cached_database(
        "bc_intake",
        fingerprint(),
        lambda url: build_database(url, SMALL_CASES, "intake"),
        pg_url=pg_schema_url("bc_intake"),
    )
    return url


def intake(small_url):
    workers = bench.env_int("BENCH_CASES_WORKERS", 2)
    concurrency = bench.env_int("BENCH_CASES_CONCURRENCY", 2 * workers)
    rounds = bench.env_int("BENCH_CASES_ROUNDS", 5 if bench.full_run() else 2)
    seconds = float(
        os.environ.get("BENCH_CASES_PHASE_SECONDS", "4" if bench.full_run() else "2")
    )
    url = intake_database(small_url)
    creds = child("credentials", url=url)
    diagnostics = creds.pop("diagnostics")
    for label, found in diagnostics.items():
        log(
            f"   {label:9} in process: {found['queries']} queries {found['by_kind']}; "
            f"connection kept {found['kept_mean_ms']} ms (SQL {found['kept_sql_ms']}), "
            f"reconnecting {found['reconnect_mean_ms']} ms "
            f"(SQL {found['reconnect_sql_ms']})"
        )
    bodies = request_bodies(creds)
    targets = {
        "open311": (
            "/open311/v2/requests.json",
            {"Content-Type": FORM},
            bodies["open311"],
        ),
        "bare_form": ("/bench/bare-form/", {"Content-Type": FORM}, bodies["bare_form"]),
        "api": (
            "/api/v1/cases/",
            {
                "Content-Type": "application/json",
                "Authorization": f"Bearer {creds['token']}",
            },
            bodies["api"],
        ),
        "bare_json": (
            "/bench/bare-json/",
            {"Content-Type": "application/json"},
            bodies["bare_json"],
        ),
        "bare_insert": (
            "/bench/bare-insert/",
            {"Content-Type": "application/json"},
            bodies["bare_insert"],
        ),
    }
    variants = {"as_configured": {}}
    if os.environ.get("BENCH_CASES_CONN_MAX_AGE"):  # a what-if: other persistence
        variants["conn_max_age"] = {
            "BENCH_CASES_CONN_MAX_AGE": os.environ["BENCH_CASES_CONN_MAX_AGE"]
        }
    results = {}
    for variant, extra_env in variants.items():
        log(f"   -- server {variant} --")
        results[variant] = serve_and_load(
            url, targets, workers, concurrency, rounds, seconds, extra_env
        )
    first = results["as_configured"]
    return {
        "server": f"gunicorn sync, {workers} workers; client {concurrency} threads "
        f"(http.client), {rounds} rounds x {seconds} s per endpoint, interleaved",
        "figures": first["figures"],
        "ratios": first["ratios"],
        "variants": results,
        "in_process_diagnostics": diagnostics,
    }


def serve_and_load(url, targets, workers, concurrency, rounds, seconds, extra_env):
    server = Server(url, workers, extra_env)
    samples = {label: [] for label in targets}
    walls = {label: 0.0 for label in targets}
    failures = {label: [] for label in targets}
    counter = [int(time.time() * 1000) % 10**9]
    try:
        server.wait()
        for target in targets.values():  # warm every worker
            load(server.port, target, 1.0, concurrency, counter)
        for index in range(rounds):
            order = list(targets) if index % 2 == 0 else list(reversed(targets))
            for label in order:
                latencies, wall, failed = load(
                    server.port, targets[label], seconds, concurrency, counter
                )
                samples[label].extend(latencies)
                walls[label] += wall
                failures[label].extend(failed)
    finally:
        server.stop()
    figures = {}
    for label in targets:
        figures[label] = {
            "requests": len(samples[label]),
            "req_per_s": round(len(samples[label]) / walls[label], 1),
            **bench.summary_ms(samples[label]),
            "failures": len(failures[label]),
        }
        if failures[label]:
            log(
                f"   {label}: {len(failures[label])} failures, e.g. {failures[label][0]}"
            )
    ratios = {}
    for endpoint, floor in (("open311", "bare_form"), ("api", "bare_json")):
        share = bench.ratio(
            figures[endpoint]["req_per_s"], figures["bare_insert"]["req_per_s"]
        )
        ratios[endpoint] = {
            "share_of_bare_insert_req_per_s": share,
            "floor": floor,
            "share_of_floor_req_per_s": bench.ratio(
                figures[endpoint]["req_per_s"], figures[floor]["req_per_s"]
            ),
            "bare_insert_share_of_floor": bench.ratio(
                figures["bare_insert"]["req_per_s"], figures[floor]["req_per_s"]
            ),
            "p95_over_floor_p95": bench.ratio(
                figures[endpoint]["p95_ms"], figures[floor]["p95_ms"]
            ),
            "goal": ">= 0.5 of the bare-insert reference's req/s (issue #25)",
            "status": bench.goal(share, 0.5, at_most=False),
        }
    bench.table(
        [
            (
                label,
                f["requests"],
                f["req_per_s"],
                f["p50_ms"],
                f["p95_ms"],
                f["failures"],
            )
            for label, f in figures.items()
        ],
        ["endpoint", "requests", "req/s", "p50 ms", "p95 ms", "failures"],
    )
    for endpoint, found in ratios.items():
        log(
            f"   {endpoint}: {found['share_of_bare_insert_req_per_s']} of bare_insert's "
            f"req/s -> {found['status']}; {found['share_of_floor_req_per_s']} of "
            f"{found['floor']}'s (bare_insert: {found['bare_insert_share_of_floor']})"
        )
    return {"figures": figures, "ratios": ratios}


# ---- list and KPI: in this process, both sizes attached ------------------------------------


ALIASES = {"10k": "default", "large": "large"}


def configure(urls):
    return bench.attach_databases({ALIASES[size]: url for size, url in urls.items()})


def switch(size, fn):
    return bench.switched(ALIASES[size], fn)


def explain(queryset):
    from django.db import connections

    sql, params = queryset.query.sql_with_params()
    connection = connections[bench.SwitchRouter.current]
    prefix = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN "
    with connection.cursor() as cursor:
        cursor.execute(prefix + sql, params)
        return [" | ".join(str(c) for c in row) for row in cursor.fetchall()]


def list_phase(sizes, n=None):
    from django.contrib.auth import get_user_model
    from django.test import Client

    from jiceng.cases.filters import cases_for
    from jiceng.cases.models import OPEN_STATUSES, Case
    from jiceng.core.htmx import IdFirstPaginator
    from jiceng.core.scope import forget_grants

    n = n or bench.env_int("BENCH_SAMPLES", 200 if bench.full_run() else 80)
    contexts = {}
    for size in sizes:
        bench.SwitchRouter.current = ALIASES[size]
        user = get_user_model().objects.get(username=GRID_WORKER)
        client = Client()
        client.force_login(user)
        visible = Case.objects.visible_to(user)
        contexts[size] = {
            "user": user,
            "client": client,
            "cases": Case.objects.count(),
            "visible": visible.count(),
            "visible_open": visible.filter(status__in=OPEN_STATUSES).count(),
            "open": Case.objects.filter(status__in=OPEN_STATUSES).count(),
        }

    def queryset(ctx):
        def run():
            forget_grants(ctx["user"])  # the view loads the grants once per request
            _, cases = cases_for(ctx["user"], {"status": "open"})
            cases = cases.select_related("category", "place", "department", "grid")
            page = IdFirstPaginator(cases, PAGE_SIZE).get_page(1)  # as the view
            rows = list(page.object_list)
            assert len(rows) == min(PAGE_SIZE, ctx["visible_open"])
            assert page.paginator.count == ctx["visible_open"]

        return run

    def view(ctx):
        def run():
            response = ctx["client"].get("/cases/", {"status": "open"})
            assert response.status_code == 200, response.status_code

        return run

    def open_cases(ctx):
        forget_grants(ctx["user"])
        _, cases = cases_for(ctx["user"], {"status": "open"})
        return cases.select_related("category", "place", "department", "grid")

    def count_only(ctx):  # the paginator's COUNT(*) alone
        def run():
            assert open_cases(ctx).count() == ctx["visible_open"]

        return run

    def rows_only(ctx):  # the first page's rows alone: its ids, then those rows
        def run():
            cases = open_cases(ctx)
            ids = list(cases.values_list("pk", flat=True)[:PAGE_SIZE])
            assert len(cases.order_by().in_bulk(ids)) == min(
                PAGE_SIZE, ctx["visible_open"]
            )

        return run

    results, plans = {}, {}
    for label, make in (
        ("list_queryset", queryset),
        ("list_view", view),
        ("count_query", count_only),
        ("page_rows_query", rows_only),
    ):
        cases = {size: switch(size, make(contexts[size])) for size in sizes}
        with bench.section(f"{label} (n={n} per size, interleaved)"):
            samples = bench.interleaved(cases, n)
            results[label] = {size: bench.summary_ms(s) for size, s in samples.items()}
            for size in sizes:
                log(f"   {size:6} {results[label][size]}")
    for size in sizes:
        bench.SwitchRouter.current = ALIASES[size]
        ctx = contexts[size]
        forget_grants(ctx["user"])
        _, cases = cases_for(ctx["user"], {"status": "open"})
        cases = cases.select_related("category", "place", "department", "grid")
        plans[size] = {
            "page": explain(cases[:PAGE_SIZE]),
            "count": explain(cases.order_by().values("pk")),
        }
    figures = {}
    small, large = sizes
    for label in results:
        a, b = results[label][small], results[label][large]
        p95 = bench.ratio(b["p95_ms"], a["p95_ms"])
        figures[label] = {
            f"{small}_p50_ms": a["p50_ms"],
            f"{small}_p95_ms": a["p95_ms"],
            f"{large}_p50_ms": b["p50_ms"],
            f"{large}_p95_ms": b["p95_ms"],
            "p50_ratio": bench.ratio(b["p50_ms"], a["p50_ms"]),
            "p95_ratio": p95,
            "goal": "p95 ratio <= 1.5",
            "status": bench.goal(p95, 1.5),
        }
    bench.table(
        [
            (
                label,
                f[f"{small}_p50_ms"],
                f[f"{small}_p95_ms"],
                f[f"{large}_p50_ms"],
                f[f"{large}_p95_ms"],
                f"{f['p50_ratio']}x / {f['p95_ratio']}x",
                f["status"],
            )
            for label, f in figures.items()
        ],
        [
            "case",
            f"{small} p50",
            f"{small} p95",
            f"{large} p50",
            f"{large} p95",
            "ratio p50/p95",
            "goal p95<=1.5x",
        ],
    )
    for size in sizes:
        log(f"   plan at {size}, page:  " + " / ".join(plans[size]["page"]))
        log(f"   plan at {size}, count: " + " / ".join(plans[size]["count"]))
    sizes_info = {
        s: {k: v for k, v in c.items() if k not in ("user", "client")}
        for s, c in contexts.items()
    }
    return {
        "samples": n,
        "sizes": sizes_info,
        "figures": figures,
        "raw": results,
        "plans": plans,
    }


def sqlite_statistics(aliases, present):
    """ANALYZE the SQLite databases, or drop their statistics again."""
    from django.db import connections

    for alias in aliases:
        with connections[alias].cursor() as cursor:
            if present:
                cursor.execute("ANALYZE")
            else:
                for table in ("sqlite_stat1", "sqlite_stat4"):
                    cursor.execute(f"DROP TABLE IF EXISTS {table}")
    connections.close_all()  # new connections load the planner's view afresh


def month_bounds(months):
    from django.utils import timezone

    from jiceng.cases.dashboard import add_months

    first, last = months
    start = timezone.make_aware(datetime.combine(first, datetime.min.time()))
    end = timezone.make_aware(
        datetime.combine(add_months(last, 1), datetime.min.time())
    )
    return start, end


def rollup(place, months, trend_months):
    """The figures dashboard_data and trend read, straight from the rollup."""
    from jiceng.cases import kpi
    from jiceng.cases.models import StatDimension
    from jiceng.places.models import Place

    rows = kpi.stats(StatDimension.PLACE, months, [place.path])
    breakdown = [place.path[: kpi.COMMUNITY_PATH_LENGTH]]
    return {
        "totals": kpi.totals(rows),
        "children": kpi.grouped(rows, len(place.path) + Place.steplen),
        "categories": kpi.grouped(
            kpi.stats(StatDimension.CATEGORY, months, breakdown), "key"
        ),
        "departments": kpi.grouped(
            kpi.stats(StatDimension.DEPARTMENT, months, breakdown), "key"
        ),
        "trend": kpi.grouped(
            kpi.stats(StatDimension.PLACE, trend_months, [place.path]), "month"
        ),
    }


def timeline(place, months, trend_months):
    """The same figures by GROUP BY over the timeline (kpi.from_events)."""
    from jiceng.cases import kpi
    from jiceng.cases.models import CaseEvent, StatDimension
    from jiceng.core.scope import path_prefix
    from jiceng.places.models import Place

    def events(window, prefix):
        start, end = month_bounds(window)
        return CaseEvent.objects.filter(
            path_prefix(prefix, "case__place__path"), at__gte=start, at__lt=end
        )

    def summed(rows, key):
        groups = {}
        for row in rows:
            group = groups.setdefault(key(row), dict.fromkeys(kpi.COUNTERS, 0))
            for name in kpi.COUNTERS:
                group[name] += row[name]
        return {k: kpi.Figures(**v) for k, v in sorted(groups.items())}

    child = len(place.path) + Place.steplen
    breakdown = place.path[: kpi.COMMUNITY_PATH_LENGTH]
    place_rows = list(kpi.from_events(StatDimension.PLACE, events(months, place.path)))
    totals = summed(place_rows, lambda r: None).get(None, kpi.Figures())
    return {
        "totals": totals,
        "children": summed(place_rows, lambda r: r["place_path"][:child]),
        "categories": summed(
            kpi.from_events(StatDimension.CATEGORY, events(months, breakdown)),
            lambda r: r["key"],
        ),
        "departments": summed(
            kpi.from_events(StatDimension.DEPARTMENT, events(months, breakdown)),
            lambda r: r["key"],
        ),
        "trend": summed(
            kpi.from_events(StatDimension.PLACE, events(trend_months, place.path)),
            lambda r: r["month"],
        ),
    }


def kpi_phase(size):
    from django.contrib.auth import get_user_model
    from django.test import Client

    from jiceng.cases import dashboard
    from jiceng.places.models import Place, PlaceKind

    bench.SwitchRouter.current = ALIASES[size]
    fast_n = bench.env_int("BENCH_KPI_SAMPLES", 60 if bench.full_run() else 30)
    slow_n = bench.env_int("BENCH_KPI_SLOW_SAMPLES", 3)
    district = Place.objects.get(depth=1)
    street = Place.objects.filter(kind=PlaceKind.STREET).order_by("path").first()
    this_month = dashboard.period_months("month")[1]
    trend_months = (dashboard.add_months(this_month, -11), this_month)
    variants = {
        "district_month": (district, dashboard.period_months("month")),
        "street_month": (street, dashboard.period_months("month")),
    }
    if bench.full_run() or os.environ.get("BENCH_KPI_YEAR") == "1":
        variants["district_year"] = (district, dashboard.period_months("year"))
    jiedao = get_user_model().objects.get(username=STREET_ADMIN)
    client = Client()
    client.force_login(jiedao)
    results = {}
    for label, (place, months) in variants.items():
        with bench.section(
            f"KPI {label} at {size} ({place.name}, {months[0]:%Y-%m}..{months[1]:%Y-%m})"
        ):
            from_rollup = rollup(place, months, trend_months)
            t0 = time.perf_counter()
            from_timeline = timeline(place, months, trend_months)
            first = time.perf_counter() - t0
            for part in from_rollup:
                assert from_rollup[part] == from_timeline[part], (label, part)
            scope = dashboard.KpiScope(places=[place])
            fast = bench.time_calls(
                lambda p=place, m=months: rollup(p, m, trend_months), fast_n
            )
            page_reads = bench.time_calls(
                lambda p=place, m=months, s=scope: (
                    dashboard.dashboard_data(s, p, m),
                    dashboard.trend(s, p, m[1]),
                ),
                fast_n,
            )
            slow = [first]  # the first call counts: the timeline has no warm state
            budget = float(
                os.environ.get(
                    "BENCH_KPI_SLOW_BUDGET", "90" if bench.full_run() else "20"
                )
            )
            while len(slow) < slow_n and sum(slow) + slow[-1] <= budget:
                t0 = time.perf_counter()
                timeline(place, months, trend_months)
                slow.append(time.perf_counter() - t0)
            speedup = bench.ratio(
                bench.percentile(slow, 50), bench.percentile(fast, 50)
            )
            results[label] = {
                "place": place.name,
                "months": [str(months[0]), str(months[1])],
                "trend_months": [str(trend_months[0]), str(trend_months[1])],
                "received": from_rollup["totals"].received,
                "trend_received": sum(
                    f.received for f in from_rollup["trend"].values()
                ),
                "figures_equal": True,
                "rollup": bench.summary_ms(fast),
                "dashboard_functions": bench.summary_ms(page_reads),
                "timeline": bench.summary_ms(slow),
                "timeline_first_ms": round(first * 1000, 1),
                "speedup_p50": speedup,
                "goal": "rollup >= 20x faster (p50)",
                "status": bench.goal(speedup, 20, at_most=False),
            }
            log(
                f"   figures equal; rollup p50 {results[label]['rollup']['p50_ms']} ms, "
                f"dashboard_data+trend p50 {results[label]['dashboard_functions']['p50_ms']} ms, "
                f"timeline p50 {results[label]['timeline']['p50_ms']} ms -> {speedup}x"
            )
    with bench.section(f"KPI page /cases/kpi/ as {STREET_ADMIN} at {size}"):

        def page():
            response = client.get("/cases/kpi/")
            assert response.status_code == 200, response.status_code

        results["kpi_page"] = bench.summary_ms(bench.time_calls(page, fast_n // 2))
        log(f"   {results['kpi_page']}")
    bench.table(
        [
            (
                label,
                r["received"],
                r["rollup"]["p50_ms"],
                r["timeline"]["p50_ms"],
                f"{r['speedup_p50']}x",
                r["status"],
            )
            for label, r in results.items()
            if label != "kpi_page"
        ],
        [
            "view",
            "received",
            "rollup p50 ms",
            "timeline p50 ms",
            "speedup",
            "goal >=20x",
        ],
    )
    return results


# ---- main --------------------------------------------------------------------------------


def main():
    """Hold a lock for the whole run: two runs would share the cached databases."""
    import fcntl

    bench.TMP_DIR.mkdir(parents=True, exist_ok=True)
    with open(bench.TMP_DIR / "benchcases.lock", "w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            log("another cases benchmark is running: waiting for it to finish ...")
            fcntl.flock(lock, fcntl.LOCK_EX)
        run()


def run():
    engine = bench.engine()
    n = cases_n()
    phases = {
        p.strip()
        for p in os.environ.get("BENCH_CASES_PHASES", "intake,list,kpi").split(",")
    }
    log(f"engine {engine}; {SMALL_CASES:,} vs {n:,} cases; phases {sorted(phases)}")
    builds = {}
    with bench.section("databases"):
        small_url, builds["10k"] = database_for("10k", SMALL_CASES)
        large_url = None
        if phases & {"list", "kpi"}:  # intake alone needs only the 10k district
            large_url, builds["large"] = database_for("large", n)
        log(f"   10k:   {small_url}\n   large: {large_url}")
    data = {
        "engine": engine,
        "cases": {"10k": SMALL_CASES, "large": n},
        "builds": builds,
    }
    if "intake" in phases:
        with bench.section("intake: Open311 and API create vs bare views (gunicorn)"):
            data["intake"] = intake(small_url)
    if phases & {"list", "kpi"}:
        bench.setup_django(
            small_url, configure=configure({"10k": small_url, "large": large_url})
        )
    if "list" in phases:
        data["list"] = list_phase(["10k", "large"])
    if "kpi" in phases:
        data["kpi"] = kpi_phase("large")
    if "list" in phases and engine == "sqlite":
        print("\n#### SQLite after ANALYZE (statistics dropped again afterwards)")
        aliases = list(ALIASES.values())
        try:
            sqlite_statistics(aliases, present=True)
            n = max(
                20, bench.env_int("BENCH_SAMPLES", 200 if bench.full_run() else 80) // 2
            )
            data["list_after_analyze"] = list_phase(["10k", "large"], n=n)
        finally:
            sqlite_statistics(aliases, present=False)
    bench.write_results(NAME, data, section=engine)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "build":
        bench.setup_django(os.environ["DATABASE_URL"])
        build(int(sys.argv[2]), *sys.argv[3:4])
    elif len(sys.argv) > 1 and sys.argv[1] == "credentials":
        bench.setup_django(os.environ["DATABASE_URL"])
        credentials()
    else:
        main()
