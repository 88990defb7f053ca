"""Run by test_export_concurrency in a process of its own, against the demo
database of demo_site_env (a SQLite file in WAL mode, or PostgreSQL): write a
queued export while another connection commits writes, and print the outcome."""

import json
import threading
import time

import django

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402 (after setup)
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.db import connection  # noqa: E402

from jiceng.people.models import Resident  # noqa: E402
from jiceng.transfer.models import ExportJob  # noqa: E402
from jiceng.transfer.services import exports  # noqa: E402

# Save the progress every 100 rows, so saves fall between the other's commits.
exports.PROGRESS_EVERY_SECONDS = 0
exports.PROGRESS_EVERY_ROWS = 100

stop, commits, progress = threading.Event(), [], [0]


def other_writer():
    """Another user's requests: one committed write after another (sessions), and
    the job's page reading the progress."""
    while not stop.is_set():
        store = SessionStore()
        store["seen"] = time.time()
        store.save()
        store.delete()
        commits.append(1)
        shown = ExportJob.objects.filter(pk=job.pk, status="running")
        progress[0] = max(progress[0], *shown.values_list("total", flat=True), 0)
    connection.close()


user = get_user_model().objects.get(username="jiedao")
job = exports.start_export(user=user, kind="residents", params={})
writer = threading.Thread(target=other_writer)
writer.start()
while not commits:
    time.sleep(0.01)
try:
    exports.run_export(job)  # the served demo's worker may have claimed it first
    deadline = time.monotonic() + 120
    job.refresh_from_db()
    while job.status not in ("done", "failed") and time.monotonic() < deadline:
        time.sleep(0.5)
        job.refresh_from_db()
finally:
    stop.set()
    writer.join()
print(
    json.dumps(
        {
            "status": job.status,
            "total": job.total,
            "visible": Resident.objects.visible_to(user).count(),
            "commits": len(commits),
            "progress_seen": progress[0],
        }
    )
)
