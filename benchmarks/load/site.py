"""The load test's view of the database: what the users need before a run, and the
count of their reports after it. Runs with the site's own environment (DATABASE_URL,
JICENG_ENV …), as ``manage.py`` would.

    python benchmarks/load/site.py prepare RUN_ID site.json
    python benchmarks/load/site.py count site.json ledger.txt   # prints JSON
"""

import json
import os
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jiceng.settings")

GRID_WORKER = "wangge"
MARKER = re.compile(r"\[压测:[^\]]+\]")


def prepare(run, out):
    from django.contrib.auth import get_user_model

    from jiceng.cases.models import Case
    from jiceng.cases.open311 import create_key
    from jiceng.core.scope import grants_for
    from jiceng.places.models import Place
    from jiceng.volunteer.models import Activity

    user = get_user_model().objects.get(username=GRID_WORKER)
    paths = [g.place_path for g in grants_for(user) if g.place_path]
    grids = list(Place.objects.filter(path__in=paths, kind="grid").order_by("path"))
    points = []
    for grid in grids:
        if grid.geometry:
            ring = grid.geometry["coordinates"][0]
            xs, ys = [p[0] for p in ring], [p[1] for p in ring]
            points.append(((min(ys) + max(ys)) / 2, (min(xs) + max(xs)) / 2))
    site = {
        "run": run,
        "open311_key": create_key(f"压测 {run}"),
        "grid_codes": [g.code for g in grids],
        "points": points,
        "case_tokens": list(
            Case.objects.order_by("-pk").values_list("public_token", flat=True)[:50]
        ),
        "checkin_tokens": list(
            Activity.objects.exclude(checkin_token="")
            .order_by("-pk")
            .values_list("checkin_token", flat=True)[:20]
        ),
    }
    Path(out).write_text(json.dumps(site, ensure_ascii=False))
    return site


def count(site_path, ledger_path):
    """Every report the site accepted must be stored exactly once, and nothing
    the site refused may be stored."""
    from jiceng.cases.models import Case

    run = json.loads(Path(site_path).read_text())["run"]
    accepted = [line for line in Path(ledger_path).read_text().split() if line]
    stored = Counter()
    descriptions = Case.objects.filter(description__contains=f"[压测:{run}:")
    for description in descriptions.values_list("description", flat=True).iterator():
        stored.update(MARKER.findall(description))
    wanted = Counter(accepted)
    return {
        "accepted": len(accepted),
        "stored": sum(stored.values()),
        "missing": sorted(m for m in wanted if stored[m] == 0),
        "duplicated": sorted(m for m in stored if stored[m] > 1 or wanted[m] > 1),
        "unacknowledged": sum(1 for m in stored if m not in wanted),
    }


if __name__ == "__main__":
    import django

    django.setup()
    command, *args = sys.argv[1:]
    if command == "prepare":
        prepare(*args)
    elif command == "count":
        print(json.dumps(count(*args)))
    else:
        raise SystemExit(__doc__)
