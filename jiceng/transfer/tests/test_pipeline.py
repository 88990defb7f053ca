"""A street office imports a 台账 of tens of thousands of residents: a second process
checks the next chunks while the first writes, and every row is still accounted for."""

import csv
import json
import subprocess
import sys
from datetime import date, timedelta

import pytest

from jiceng.conftest import ROOT
from jiceng.core.validators import compose_id_number
from jiceng.places.models import Place, PlaceKind

pytestmark = pytest.mark.django_db

ROWS = 21_000  # five chunks of the resident importer


def id_number(i):
    born = date(1950, 1, 1) + timedelta(days=i // 999)
    return compose_id_number(f"{born:%Y%m%d}", i % 999 + 1)


def import_cli(env, path, *extra):
    return subprocess.run(
        [
            sys.executable,
            str(ROOT / "manage.py"),
            "import_data",
            str(path),
            "--kind",
            "residents",
            "--json",
            "--user",
            "shuji",
            *extra,
        ],
        # the worker prepares from the second chunk on, however slowly it starts
        env={
            **env,
            "JICENG_IMPORT_WORKER_MIN_ROWS": "1000",
            "JICENG_IMPORT_WORKER_HEAD_START": "1",
        },
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def test_a_large_ledger_is_checked_in_a_second_process_and_every_row_counted(
    people, demo_site_env, tmp_path
):
    # given the community's 台账 as CSV: 21,000 residents, one bad checksum in the
    # second chunk and, in the third, a repeat of a first-chunk ID number
    community = Place.objects.get(assignments__user=people["shuji"])
    codes = list(
        Place.objects.subtree_of(community)
        .filter(kind=PlaceKind.DWELLING)
        .order_by("code")
        .values_list("code", flat=True)[:50]
    )
    path = tmp_path / "居民台账.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["姓名", "身份证号", "手机号码", "住址编码", "户号"])
        for i in range(ROWS):
            writer.writerow(
                [f"居民{i}", id_number(i), f"139{i:08d}", codes[i % len(codes)], ""]
            )
            if i == 15_000:
                bad = id_number(ROWS + 1)
                writer.writerow(["坏校验", bad[:-1] + ("1" if bad[-1] == "0" else "0")])
        writer.writerow(["重复", id_number(7), "", codes[0], ""])

    # when the secretary imports it from the command line
    first = import_cli(demo_site_env, path)

    # then the worker prepared the chunks, and the counts add up to the file's rows
    assert first.returncode == 0, first.stderr[-2000:]
    assert "import worker peak RSS" in first.stderr
    result = json.loads(first.stdout.strip().splitlines()[-1])
    assert result["total"] == ROWS + 2
    assert result["created"] == ROWS
    assert result["rejected"] == 2
    assert result["errors"] == [
        {"row": 15_003, "reason": "身份证号校验位错误"},
        {"row": ROWS + 3, "reason": "身份证号与本文件第9行重复"},
    ]

    # and importing the same file again changes nothing
    again = json.loads(import_cli(demo_site_env, path).stdout.strip().splitlines()[-1])
    assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, ROWS)
    assert again["rejected"] == 2
