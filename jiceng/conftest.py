"""Shared fixtures: one seeded demo district per test session, named people per role,
and a real server process for the browser flows.

Each test runs inside a transaction that is rolled back, so the seeded district
stays pristine. The named people are the demo accounts (see `demo_accounts`).
"""

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client

DEMO_SEED = 1
DEMO_PASSWORD = "Jiceng2026demo"
ROOT = Path(__file__).resolve().parent.parent


def pytest_itemcollected(item):
    # The browser flows share one served demo district (session fixtures) and walk it
    # in order: under pytest-xdist (--dist loadgroup) they all run in one worker.
    # Tests on that served district's database (demo_site_env) join them.
    if item.get_closest_marker("browser") or "demo_site_env" in getattr(
        item, "fixturenames", ()
    ):
        item.add_marker(pytest.mark.xdist_group("browser"))


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("seed_demo", size="small", seed=DEMO_SEED, verbosity=0)


@pytest.fixture
def people(db):
    """The demo accounts by username: quadmin, jiedao, shuji, wangge, …"""
    from django.contrib.auth import get_user_model

    return {u.username: u for u in get_user_model().objects.all()}


@pytest.fixture
def client_for(db):
    """Return a logged-in test client for a demo username."""
    from django.contrib.auth import get_user_model

    def make(username):
        client = Client()
        client.force_login(get_user_model().objects.get(username=username))
        return client

    return make


@pytest.fixture
def api_for(db):
    """Return a test client that sends a fresh bearer token for a demo username."""
    from django.contrib.auth import get_user_model

    from jiceng.core.services import create_api_token

    def make(username):
        user = get_user_model().objects.get(username=username)
        _, raw = create_api_token(actor=user, user=user, name="test", days=1)
        return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")

    return make


@pytest.fixture
def run_import(db):
    """Import a file as the web page does, running the job in this process."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from jiceng.transfer import services

    def run(actor, kind, data, filename, *, dry_run=False, mapping=None):
        upload = SimpleUploadedFile(filename, data)
        job = services.start_import(
            actor=actor,
            kind=kind,
            upload=upload,
            dry_run=dry_run,
            mapping=mapping,
            defer=False,
        )
        if job.status != "queued":
            return job
        job = services.run_job(job)
        job.errors = {r.row_number: r.reason for r in job.rejections.all()}
        return job

    return run


# --- browser flows -------------------------------------------------------------------

CHROMIUM = "/usr/bin/chromium"
# The served demo writes larger exports in its task worker (transfer.services.exports).
LIVE_EXPORT_INLINE_ROWS = 50


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _is_postgres(url):
    return url.startswith(("postgres://", "postgresql://"))


def _on_postgres_server(url, *statements):
    """Run statements on the server of a PostgreSQL URL (in its postgres database)."""
    import psycopg

    base = url.rpartition("/")[0]
    with psycopg.connect(
        f"{base}/postgres".replace("postgres://", "postgresql://"), autocommit=True
    ) as admin:
        for statement in statements:
            admin.execute(statement)


@contextmanager
def throwaway_database(workdir, name="jiceng_e2e"):
    """A database for another process, on the engine under test (one per
    pytest-xdist worker, so parallel workers never share it): yield its URL; on
    PostgreSQL it is created afresh on the same server and dropped afterwards (a
    SQLite file lives in workdir)."""
    name = "_".join(filter(None, [name, os.environ.get("PYTEST_XDIST_WORKER")]))
    url = os.environ.get("DATABASE_URL", "")
    if not _is_postgres(url):
        yield f"sqlite:///{workdir}/{name}.sqlite3"
        return
    drop = f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"
    _on_postgres_server(url, drop, f"CREATE DATABASE {name}")
    try:
        yield f"{url.rpartition('/')[0]}/{name}"
    finally:
        _on_postgres_server(url, drop)


@pytest.fixture
def race_database_url():
    """A fresh database of the engine under test for a harness whose threads race
    (they need committed data, which the test's own transaction would hide): None on
    SQLite, where the harness makes its own file; on PostgreSQL a throwaway
    database on the same server, dropped afterwards."""
    if not _is_postgres(os.environ.get("DATABASE_URL", "")):
        yield None
        return
    with throwaway_database(None, "jiceng_race") as url:
        yield url


@pytest.fixture(scope="session")
def demo_site_env():
    """A migrated and seeded demo district in its own database (a SQLite file or a
    throwaway PostgreSQL database), for processes other than the test's: yield the
    environment that points manage.py at it."""
    workdir = tempfile.mkdtemp(prefix="jiceng-e2e-")
    with throwaway_database(workdir) as url:
        env = {
            **os.environ,
            "JICENG_ENV": "demo",
            "DJANGO_DEBUG": "0",
            "DATABASE_URL": url,
            "JICENG_VAR_DIR": workdir,
            "DJANGO_SETTINGS_MODULE": "jiceng.settings",
        }
        manage = [sys.executable, str(ROOT / "manage.py")]
        subprocess.run(
            [*manage, "migrate", "--noinput", "-v0"], env=env, check=True, cwd=ROOT
        )
        subprocess.run(
            [*manage, "seed_demo", "--size", "small", "--seed", str(DEMO_SEED)],
            env=env,
            check=True,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
        )
        yield env
    shutil.rmtree(workdir, ignore_errors=True)


@contextmanager
def serving(env, *, startup_seconds=60):
    """Serve the demo district of env (runserver) with its task worker, as under
    make demo; yield the URL. Imports and large exports run in the worker."""
    manage = [sys.executable, str(ROOT / "manage.py")]
    port = _free_port()
    log = tempfile.TemporaryFile()
    server = subprocess.Popen(
        [
            *manage,
            "runserver",
            f"127.0.0.1:{port}",
            "--noreload",
            "--insecure",
            "--skip-checks",
        ],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=log,
    )
    worker = subprocess.Popen(
        [
            *manage,
            "db_worker",
            "--interval",
            "0.5",
            "--no-reload",
            "--no-startup-delay",
        ],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + startup_seconds
    while time.monotonic() < deadline and server.poll() is None:
        try:
            urllib.request.urlopen(f"{url}/login/", timeout=2)  # noqa: S310 (local test server)
            break
        except OSError:
            time.sleep(0.3)
    else:
        for process in (server, worker):
            process.kill()
        log.seek(0)
        pytest.fail(f"demo server did not start: {log.read()[-2000:]!r}")
    try:
        yield url
    finally:
        for process in (server, worker):
            process.terminate()
            process.wait(timeout=10)


@pytest.fixture(scope="session")
def live_site(demo_site_env):
    """Serve the demo district of demo_site_env with its task worker; yield its URL."""
    if not os.path.exists(CHROMIUM):
        if os.environ.get("JICENG_REQUIRE_BROWSER"):
            pytest.fail(
                f"{CHROMIUM} is required for browser tests (scripts/ensure_chromium.sh)"
            )
        pytest.skip("Debian chromium not installed")
    # Uploads of any size take the import's two-process path (transfer/pipeline.py),
    # and exports of more than a few dozen rows go to the worker.
    env = {
        **demo_site_env,
        "JICENG_IMPORT_WORKER_MIN_ROWS": "1",
        "JICENG_EXPORT_INLINE_ROWS": str(LIVE_EXPORT_INLINE_ROWS),
    }
    with serving(env) as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield chromium
        chromium.close()


PHONE = {
    "viewport": {"width": 375, "height": 740},
    "is_mobile": True,
    "has_touch": True,
}
DESKTOP = {"viewport": {"width": 1366, "height": 860}}


def _open_page(browser, live_site, kind):
    options = PHONE if kind == "phone" else DESKTOP
    context = browser.new_context(base_url=live_site, locale="zh-CN", **options)
    page = context.new_page()
    page.viewport_kind = kind
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.js_errors = errors
    return context, page


@pytest.fixture(params=["phone", "desktop"])
def page(request, browser, live_site):
    """A fresh browser page on a phone viewport and on a desktop viewport."""
    context, page = _open_page(browser, live_site, request.param)
    yield page
    context.close()


@pytest.fixture
def phone_page(browser, live_site):
    """A page for flows that only make sense on a phone (H5 reporting)."""
    context, page = _open_page(browser, live_site, "phone")
    yield page
    context.close()


@pytest.fixture
def desktop_page(browser, live_site):
    """A page for desk work (dashboards at a street office)."""
    context, page = _open_page(browser, live_site, "desktop")
    yield page
    context.close()


def login(page, username, password=DEMO_PASSWORD):
    page.goto("/login/")
    page.get_by_label("账号").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/")
