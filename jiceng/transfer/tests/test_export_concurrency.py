"""A large export is written while other people keep writing.

The worker reads the rows through one open cursor (a consistent snapshot). On
SQLite a write on that same connection fails at once when another process has
committed since the read began: the progress count failed, and then the job's
own final save, so a community's export sat "running" with no rows for good.
"""

import json
import subprocess
import sys

from jiceng.conftest import ROOT

SCRIPT = "jiceng.transfer.tests._export_while_writing"


def test_an_export_finishes_while_other_connections_commit(demo_site_env):
    # Given a community secretary's resident export larger than a request writes
    env = {**demo_site_env, "JICENG_EXPORT_INLINE_ROWS": "0"}
    # When the worker writes it while another connection commits write after write
    done = subprocess.run(
        [sys.executable, "-m", SCRIPT],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    outcome = json.loads(done.stdout.strip().splitlines()[-1])
    # Then the export is done with every row the secretary may see
    assert outcome["commits"] > 0
    assert outcome["status"] == "done", outcome
    assert outcome["total"] == outcome["visible"] > 0
    # and its page showed the rows written so far while it ran
    assert 0 < outcome["progress_seen"] < outcome["total"], done.stderr[-3000:]
