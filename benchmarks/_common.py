"""Shared helpers for the benchmarks: Django setup, databases, timing, RSS, results.

Every benchmark is a script run by ``scripts/run_bench.sh`` once per database
engine (``BENCH_ENGINE`` = ``sqlite`` or ``postgres``, with ``DATABASE_URL`` set),
or once in all when its source carries the line ``# bench: engine-independent``.
Results go to ``benchmarks/results/<name>.json``, one section per engine, so the
SQLite and PostgreSQL runs of one script end up in the same file.
"""

import hashlib
import json
import os
import platform
import re
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import closing, contextmanager
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import parse_qs, quote, urlsplit

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "benchmarks"
RESULTS_DIR = BENCH_DIR / "results"
DATA_DIR = BENCH_DIR / ".data"  # cached seeded databases and generated files
TMP_DIR = Path(
    os.environ.get("BENCH_TMP") or Path(tempfile.gettempdir()) / "jiceng-bench"
)
PYTHON = str(ROOT / ".venv" / "bin" / "python")
if not Path(PYTHON).exists():
    PYTHON = sys.executable

DEFAULT_PG_URL = "postgres://postgres@127.0.0.1:5432/bench"
ENGINES = ("sqlite", "postgres")


# ---- environment --------------------------------------------------------------------


def env_int(name, default):
    value = os.environ.get(name, "").strip().replace("_", "")
    return int(value) if value else default


def full_run() -> bool:
    """BENCH_FULL=1 asks for the issue's sizes (1M rows, 100k rosters)."""
    return os.environ.get("BENCH_FULL", "").strip() in {"1", "true", "yes"}


def engine() -> str:
    value = os.environ.get("BENCH_ENGINE", "sqlite")
    if value not in ENGINES:
        raise SystemExit(f"BENCH_ENGINE must be one of {ENGINES}, not {value!r}")
    return value


def pg_url() -> str:
    return os.environ.get("BENCH_PG_URL", DEFAULT_PG_URL)


def database_url(name="bench") -> str:
    """The URL of a benchmark database called name on the current engine.

    SQLite: a file under TMP_DIR; PostgreSQL: a database on the BENCH_PG_URL server
    (the database "bench" itself for name="bench"; never the test suite's "test").
    """
    if name == "bench" and os.environ.get("DATABASE_URL"):
        return os.environ["DATABASE_URL"]
    if engine() == "sqlite":
        TMP_DIR.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{TMP_DIR / name}.sqlite3"
    base = pg_url().rsplit("/", 1)[0]
    return f"{base}/{name}"


def base_env(url=None) -> dict:
    """Environment for a Django process of the benchmarks (never touches var/)."""
    env = dict(os.environ)
    env.setdefault("JICENG_ENV", "demo")  # fixed demo-only keys, no secrets needed
    env["DJANGO_DEBUG"] = "0"  # DEBUG keeps every query in memory: never measure that
    env.setdefault("JICENG_VAR_DIR", str(TMP_DIR / "var"))
    env.setdefault("JICENG_LOG_LEVEL", "WARNING")
    env["DJANGO_SETTINGS_MODULE"] = "jiceng.settings"
    if url:
        env["DATABASE_URL"] = url
    return env


def setup_django(url=None, *, configure=None):
    """Set up Django in this process for url (default: DATABASE_URL or bench).

    configure(settings) may change settings (extra databases, routers) before
    the apps load.
    """
    os.environ.update(base_env(url or database_url()))
    Path(os.environ["JICENG_VAR_DIR"]).mkdir(parents=True, exist_ok=True)
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    import django
    from django.conf import settings

    if configure is not None:
        configure(settings)
    django.setup()


# ---- databases ----------------------------------------------------------------------


def _pg_admin_conninfo(url):
    return (
        url.replace("postgres://", "postgresql://", 1).rsplit("/", 1)[0] + "/postgres"
    )


def pg_reachable(url=None) -> bool:
    try:
        import psycopg

        psycopg.connect(_pg_admin_conninfo(url or pg_url()), connect_timeout=3).close()
    except Exception:
        return False
    return True


def _pg_name(url):
    name = url.rsplit("/", 1)[1].split("?")[0]
    if name in {"test", "postgres", "template0", "template1"}:
        raise SystemExit(f"refusing to use the database {name!r} for benchmarks")
    return name


def ensure_pg_database(url):
    import psycopg

    name = _pg_name(url)
    with psycopg.connect(_pg_admin_conninfo(url), autocommit=True) as conn:
        found = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not found:
            conn.execute(f'CREATE DATABASE "{name}"')


def sqlite_file(url) -> Path:
    """The file a sqlite:/// URL names."""
    return Path(url.split("sqlite:///", 1)[1])


def pg_schema(url):
    """The schema a PostgreSQL URL selects with options=-c search_path=…, if any."""
    options = parse_qs(urlsplit(url).query).get("options", [""])[0]
    found = re.search(r"search_path=(\w+)", options)
    return found.group(1) if found else None


def pg_schema_url(url, schema):
    """url with its connections' search_path set to schema (a database per schema
    costs more than a schema per cached database)."""
    options = quote(f"-c search_path={schema}")
    return f"{url.split('?')[0]}?options={options}"


def wipe_database(url):
    """Leave an empty database at url (delete the SQLite file / drop the schema:
    public, or the one the URL's search_path names)."""
    if url.startswith("sqlite:"):
        path = sqlite_file(url)
        path.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return
    import psycopg

    ensure_pg_database(url)
    schema = pg_schema(url) or "public"
    conninfo = url.split("?")[0].replace("postgres://", "postgresql://", 1)
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        conn.execute(f'CREATE SCHEMA "{schema}"')


def manage(*args, url, check=True, capture=False, extra_env=None):
    """Run manage.py in a child process against url."""
    env = base_env(url)
    env.update(extra_env or {})
    return subprocess.run(
        [PYTHON, str(ROOT / "manage.py"), *args],
        cwd=ROOT,
        env=env,
        check=check,
        text=True,
        capture_output=capture,
    )


def migrated_database(name) -> str:
    """An empty, migrated database for one benchmark module, with Django set up on it:
    DATABASE_URL as given on PostgreSQL, otherwise a wiped database of that name."""
    url = os.environ.get("DATABASE_URL") if engine() == "postgres" else None
    if url is None:
        url = database_url(name)
        wipe_database(url)
    manage("migrate", "--noinput", "-v", "0", url=url)
    setup_django(url)
    return url


def fresh_database(url, *, seed_size=None, seed=1):
    """Wipe, migrate and optionally seed the demo; return the seconds it took."""
    started = time.perf_counter()
    wipe_database(url)
    manage("migrate", "--noinput", "-v", "0", url=url)
    if seed_size:
        manage(
            "seed_demo", "--size", seed_size, "--seed", str(seed), "-v", "0", url=url
        )
    return time.perf_counter() - started


def source_fingerprint(*relative_paths) -> str:
    """A short hash of files and folders, to tell whether a cached database is stale."""
    digest = hashlib.sha256()
    for rel in relative_paths:
        path = ROOT / rel
        files = sorted(path.rglob("*.py")) if path.is_dir() else [path]
        for file in files:
            digest.update(str(file.relative_to(ROOT)).encode())
            digest.update(file.read_bytes())
    return digest.hexdigest()[:12]


def cached_database(name, fingerprint, build, *, directory=None, pg_url=None):
    """Return (url, what build returned or None) for a database cached as name.

    The cache holds while its fingerprint does; otherwise build(url) fills an
    empty database. SQLite: a file in directory (default DATA_DIR), built under a
    temporary name and renamed when complete, so an interrupted build leaves no
    cache; PostgreSQL: pg_url (default: the database called name on the bench
    server), its fingerprint kept in a bench_meta table.
    """
    if engine() == "sqlite":
        directory = directory or DATA_DIR
        directory.mkdir(parents=True, exist_ok=True)
        target = directory / f"{name}-{fingerprint}.sqlite3"
        if target.exists():
            return f"sqlite:///{target}", None
        for old in directory.glob(f"{name}-*.sqlite3*"):
            old.unlink()
        work = directory / f"{name}.building.sqlite3"
        wipe_database(f"sqlite:///{work}")
        built = build(f"sqlite:///{work}")
        with closing(sqlite3.connect(work)) as db:  # the WAL into the file itself
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        for suffix in ("-wal", "-shm"):
            Path(f"{work}{suffix}").unlink(missing_ok=True)
        work.rename(target)
        return f"sqlite:///{target}", built
    url = pg_url or database_url(name)
    if pg_marker(url) == fingerprint:
        return url, None
    wipe_database(url)
    built = build(url)
    pg_set_marker(url, fingerprint)
    return url, built


def seeded_database(name, size, *, seed=1, log=print):
    """Return (url, seconds spent seeding or 0.0) for a cached demo database.

    Rebuilt when the migrations or the demo generator changed.
    """
    fingerprint = source_fingerprint(
        "jiceng/demo",
        *sorted(str(p.relative_to(ROOT)) for p in ROOT.glob("jiceng/*/migrations")),
    )

    def build(url):
        log(f"seeding {size} demo (seed {seed}) into {url} ...")
        seconds = fresh_database(url, seed_size=size, seed=seed)
        log(f"seeded {size} in {seconds:.1f} s")
        return seconds

    pg_url = database_url(f"bench_{name}_{size}") if engine() == "postgres" else None
    url, seconds = cached_database(
        f"{name}-{size}-s{seed}", fingerprint, build, pg_url=pg_url
    )
    return url, seconds or 0.0


def working_copy(url, name):
    """Copy a cached database to a throwaway one for this run; return its URL.

    The cache stays exactly as seed_demo left it (no planner statistics, no
    sessions or tokens from earlier runs), so every run starts from the same state.
    """
    if url.startswith("sqlite:"):
        source = sqlite_file(url)
        target = TMP_DIR / f"{name}.sqlite3"
        wipe_database(f"sqlite:///{target}")
        shutil.copyfile(source, target)
        wal = Path(f"{source}-wal")
        if wal.exists():
            shutil.copyfile(wal, f"{target}-wal")
        return f"sqlite:///{target}"
    import psycopg

    copy = database_url(name)
    with psycopg.connect(_pg_admin_conninfo(url), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{_pg_name(copy)}"')
        conn.execute(f'CREATE DATABASE "{_pg_name(copy)}" TEMPLATE "{_pg_name(url)}"')
    return copy


def pg_marker(url):
    """The fingerprint a cached PostgreSQL database (or schema) was built for."""
    import psycopg

    try:
        ensure_pg_database(url)
        conninfo = url.replace("postgres://", "postgresql://", 1)
        with psycopg.connect(conninfo) as conn:
            row = conn.execute("SELECT fingerprint FROM bench_meta").fetchone()
            return row[0] if row else None
    except psycopg.Error:
        return None


def pg_set_marker(url, fingerprint):
    import psycopg

    conninfo = url.replace("postgres://", "postgresql://", 1)
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute("CREATE TABLE IF NOT EXISTS bench_meta (fingerprint text)")
        conn.execute("DELETE FROM bench_meta")
        conn.execute("INSERT INTO bench_meta VALUES (%s)", [fingerprint])


# ---- timing -------------------------------------------------------------------------


def percentile(values, p):
    """The p-th percentile (0–100) by linear interpolation."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = (len(ordered) - 1) * p / 100
    low = int(k)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (k - low)


def summary_ms(samples):
    """p50/p95/mean in milliseconds of samples in seconds."""
    return {
        "n": len(samples),
        "p50_ms": round(percentile(samples, 50) * 1000, 3),
        "p95_ms": round(percentile(samples, 95) * 1000, 3),
        "mean_ms": round(statistics.fmean(samples) * 1000, 3),
    }


def time_calls(fn, n, *, warmup=3):
    """Call fn n times after warmup calls; return the durations in seconds."""
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(n):
        started = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - started)
    return samples


def interleaved(cases, n, *, rounds=5, warmup=3):
    """Time several callables in alternating rounds so drift hits them alike.

    cases: {label: fn}; returns {label: [seconds, …]} with n samples each.
    """
    for fn in cases.values():
        for _ in range(warmup):
            fn()
    samples = {label: [] for label in cases}
    per_round = max(1, n // rounds)
    while min(len(s) for s in samples.values()) < n:
        for label, fn in cases.items():
            take = min(per_round, n - len(samples[label]))
            for _ in range(take):
                started = time.perf_counter()
                fn()
                samples[label].append(time.perf_counter() - started)
    return samples


def ratio(a, b):
    return round(a / b, 3) if b else None


# ---- memory -------------------------------------------------------------------------


def self_peak_rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_measured(argv, *, env=None, cwd=ROOT):
    """Run a child process; return (exit code, wall seconds, peak RSS MB, stdout).

    The peak RSS is the child's own ru_maxrss from wait4, so it is the importer's
    memory alone, not this process's.
    """
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        started = time.perf_counter()
        proc = subprocess.Popen(argv, cwd=cwd, env=env, stdout=out, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - started
        proc.returncode = code = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    if code != 0:
        sys.stderr.write(stderr[-4000:])
    return code, wall, usage.ru_maxrss / 1024, stdout


# ---- two database sizes in one process ---------------------------------------------


class SwitchRouter:
    """Send every query to the database alias of the size being measured."""

    current = "default"

    def db_for_read(self, model, **hints):
        return self.current

    def db_for_write(self, model, **hints):
        return self.current

    def allow_relation(self, obj1, obj2, **hints):
        return True


def attach_databases(urls, *, router="_common.SwitchRouter"):
    """A configure(settings) for setup_django: each alias → url becomes a database
    like default (its name and connection options from the URL), and every query
    goes where SwitchRouter.current points."""

    def apply(settings):
        import dj_database_url

        base = settings.DATABASES["default"]
        for alias, url in urls.items():
            parsed = dj_database_url.parse(url)
            settings.DATABASES[alias] = {
                **base,
                "NAME": parsed["NAME"],
                "OPTIONS": {**base.get("OPTIONS", {}), **parsed.get("OPTIONS", {})},
            }
        settings.DATABASE_ROUTERS = [router]

    return apply


def switched(alias, fn):
    """fn, called with every query sent to the database alias."""

    def call():
        SwitchRouter.current = alias
        return fn()

    return call


# ---- results ------------------------------------------------------------------------


def machine_info():
    info = {
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
    }
    try:
        import django

        info["django"] = django.get_version()
    except ImportError:
        pass
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        ).stdout.strip()
        info["git_commit"] = commit
    except OSError:
        pass
    return info


def write_results(name, data, *, section=None):
    """Merge data into benchmarks/results/<name>.json under section (the engine)."""
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    path = RESULTS_DIR / f"{name}.json"
    try:
        current = json.loads(path.read_text())
    except (OSError, ValueError):
        current = {}
    stamped = {
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "full": full_run(),
        **data,
    }
    if section:
        current.setdefault("sections", {})[section] = stamped
    else:
        current.update(stamped)
    current["benchmark"] = name
    current["machine"] = machine_info()
    path.write_text(json.dumps(current, ensure_ascii=False, indent=2, default=str))
    print(f"-> {path.relative_to(ROOT)}")
    return path


def goal(value, limit, *, at_most=True):
    """Whether a figure meets its goal: 'met', 'not met' or 'n/a'."""
    if value is None:
        return "n/a"
    return "met" if (value <= limit if at_most else value >= limit) else "not met"


@contextmanager
def section(title):
    print(f"\n== {title} ==", flush=True)
    started = time.perf_counter()
    yield
    print(f"   ({time.perf_counter() - started:.1f} s)", flush=True)


def table(rows, headers):
    """Print a small aligned text table."""
    cells = [[str(h) for h in headers], *[[str(c) for c in row] for row in rows]]
    widths = [max(_width(row[i]) for row in cells) for i in range(len(headers))]
    for index, row in enumerate(cells):
        print(
            "  ".join(c + " " * (widths[i] - _width(c)) for i, c in enumerate(row)),
            flush=True,
        )
        if index == 0:
            print("  ".join("-" * w for w in widths))


def _width(text):
    # CJK characters take two columns in a terminal.
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)
