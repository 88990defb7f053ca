"""An existing register is upgraded: the current stay moves onto the resident row and
only past stays stay in the occupancy history — nothing about where people lived is
lost, and the step can be undone. The residents keep their place's path."""

import json
import subprocess
import sys

from jiceng.conftest import ROOT, throwaway_database

# Runs in its own process against a throwaway database: the test database is already
# at the newest migration, and migrating it back would disturb every other test.
UPGRADE = r"""
import json
from datetime import date

import django

django.setup()
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("people", "0005_unit_incubation")]


def migrate(targets=None):
    executor = MigrationExecutor(connection)
    executor.migrate(targets or executor.loader.graph.leaf_nodes())


def stays():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT r.name, p.code, o.started_on, o.ended_on FROM people_occupancy o "
            "JOIN people_resident r ON r.id = o.resident_id "
            "JOIN places_place p ON p.id = o.place_id ORDER BY r.name, o.started_on"
        )
        return [[n, c, str(s), str(e) if e else None] for n, c, s, e in cursor]


migrate(BEFORE)
apps = MigrationExecutor(connection).loader.project_state(BEFORE).apps
Place = apps.get_model("places", "Place")
Resident = apps.get_model("people", "Resident")
Occupancy = apps.get_model("people", "Occupancy")
now, before = (
    Place.objects.create(path=path, depth=1, numchild=0, name=code, kind="dwelling",
                         code=code)
    for path, code in (("0001", "NOW"), ("0002", "BEFORE"))
)
moved = Resident.objects.create(name="甲", id_number="X1", place=now)
Resident.objects.create(name="乙", id_number="X2", place=now)
Occupancy.objects.create(
    resident=moved, place=before, started_on=date(2010, 1, 1), ended_on=date(2020, 5, 1)
)
Occupancy.objects.create(resident=moved, place=now, started_on=date(2020, 5, 1))

migrate()
with connection.cursor() as cursor:
    cursor.execute("SELECT name, moved_in_on FROM people_resident ORDER BY name")
    upgraded = {name: str(day) for name, day in cursor}
    cursor.execute("SELECT name, place_path FROM people_resident ORDER BY name")
    paths = dict(cursor)
upgraded_stays = stays()
migrate(BEFORE)
print(json.dumps({"moved_in_on": upgraded, "paths": paths, "stays": upgraded_stays,
                  "undone": stays()}))
"""


def test_upgrading_moves_the_current_stay_onto_the_resident(tmp_path):
    with throwaway_database(tmp_path, "jiceng_migrations") as url:
        env = {
            "PATH": "/usr/bin:/bin",
            "JICENG_ENV": "demo",
            "DJANGO_DEBUG": "0",
            "DJANGO_SETTINGS_MODULE": "jiceng.settings",
            "DATABASE_URL": url,
            "JICENG_VAR_DIR": str(tmp_path),
        }
        done = subprocess.run(
            [sys.executable, "-c", UPGRADE],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    # 甲 moved in on 2020-05-01 (the open stay); 乙 had no recorded stay and gets
    # the upgrade's date rather than nothing.
    assert result["moved_in_on"]["甲"] == "2020-05-01"
    assert result["moved_in_on"]["乙"] >= "2026-01-01"
    assert result["stays"] == [["甲", "BEFORE", "2010-01-01", "2020-05-01"]]
    # a later step copies each resident's place path onto the row (PlacePathMixin)
    assert result["paths"] == {"甲": "0001", "乙": "0001"}
    # undoing it reopens a current stay for everyone, at the same dates
    assert result["undone"] == [
        ["乙", "NOW", result["moved_in_on"]["乙"], None],
        ["甲", "BEFORE", "2010-01-01", "2020-05-01"],
        ["甲", "NOW", "2020-05-01", None],
    ]
