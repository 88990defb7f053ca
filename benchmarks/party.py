"""Party benchmark: the 三会一课 compliance page at district scale (1,500 branches,
three years of meetings) against a bare GROUP BY of the same figures, with equal
results asserted.

    BENCH_ENGINE=sqlite .venv/bin/python benchmarks/party.py
    BENCH_ENGINE=postgres DATABASE_URL=postgres://…/db .venv/bin/python benchmarks/party.py

BENCH_PARTY_BRANCHES (default 1500) and BENCH_PARTY_YEARS (default 3) set the size.
The page reads no members, so none are generated. Prints the figures and writes
benchmarks/results/party.json (one section per engine).
"""

import random
import sys
import time
import uuid
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._common import (
    engine,
    env_int,
    interleaved,
    migrated_database,
    ratio,
    section,
    summary_ms,
    write_results,
)


def build(branches, years, seed=7):
    """A district of 15 communities × branches/15 grids, a branch per grid, and
    `years` years of 支委会, 党小组会, 党员大会 and 党课 with gaps."""
    from django.contrib.auth import get_user_model

    from jiceng.core.models import Assignment
    from jiceng.demo.common import next_root_index, number_tree, path_step
    from jiceng.demo.places import Node, save_places
    from jiceng.party.models import Meeting, PartyOrg
    from jiceng.places.models import Place

    rng = random.Random(seed)
    tag = uuid.uuid4().hex[:6]
    district = Node("district", "考核测试区", f"pb-{tag}")
    street = Node("street", "街道", f"pb-{tag}-s", parent=district)
    per = max(1, branches // 15)
    for c in range(15):
        community = Node("community", f"社区{c}", f"pb-{tag}-c{c}", parent=street)
        for g in range(per):
            Node("grid", f"网格{c}-{g}", f"pb-{tag}-g{c}-{g}", parent=community)
    district.path = path_step(next_root_index(Place))
    save_places([district])
    save_places(number_tree(street, district.path + path_step(1)))
    places = {p.code: p for p in Place.objects.filter(code__startswith=f"pb-{tag}")}
    # the organisation tree: 党工委 → 社区党委 → 网格党支部, paths set directly
    root_path = path_step(next_root_index(PartyOrg))
    orgs = [
        PartyOrg(
            name="街道党工委",
            kind="street_committee",
            place=places[f"pb-{tag}-s"],
            path=root_path,
            depth=1,
            numchild=15,
        )
    ]
    for c in range(15):
        c_path = root_path + path_step(c + 1)
        orgs.append(
            PartyOrg(
                name=f"社区{c}党委",
                kind="community_committee",
                place=places[f"pb-{tag}-c{c}"],
                path=c_path,
                depth=2,
                numchild=per,
            )
        )
        orgs += [
            PartyOrg(
                name=f"网格{c}-{g}党支部",
                kind="grid_branch",
                place=places[f"pb-{tag}-g{c}-{g}"],
                path=c_path + path_step(g + 1),
                depth=3,
                numchild=0,
            )
            for g in range(per)
        ]
    PartyOrg.objects.bulk_create(orgs, batch_size=2000)
    branch_rows = list(
        PartyOrg.objects.filter(path__startswith=root_path, kind="grid_branch")
    )
    today = date.today()
    first = date(today.year - years + 1, 1, 1)
    meetings = []
    month = first
    while month <= today:
        for org in branch_rows:
            plan = [("committee", 0.9), ("group", 0.8)]
            if month.month % 3 == 0:
                plan += [("assembly", 0.9), ("lesson", 0.85)]
            for kind, chance in plan:
                if rng.random() < chance:
                    day = month + timedelta(days=rng.randrange(0, 27))
                    if day <= today:
                        meetings.append(
                            Meeting(org=org, kind=kind, topic="会议", held_on=day)
                        )
        month = (month + timedelta(days=32)).replace(day=1)
    started = time.perf_counter()
    Meeting.objects.bulk_create(meetings, batch_size=5000)
    print(
        f"   生成 {len(branch_rows)} 个支部、{len(meetings)} 次会议，用时 "
        f"{time.perf_counter() - started:.1f} 秒"
    )
    user = get_user_model().objects.create(username=f"pb-{tag}")
    Assignment.objects.create(
        user=user, role="district_admin", place=places[f"pb-{tag}"]
    )
    return user, root_path, len(branch_rows), len(meetings)


def bare_counts(root_path, first, last):
    """{(org id, kind, year, month): n}: one GROUP BY over the meetings."""
    from django.db import connection

    from jiceng.party.models import Meeting, PartyOrg

    meetings, orgs = Meeting._meta.db_table, PartyOrg._meta.db_table
    if connection.vendor == "sqlite":
        y, m = (
            "CAST(strftime('%%Y', held_on) AS INTEGER)",
            "CAST(strftime('%%m', held_on) AS INTEGER)",
        )
    else:
        y, m = "EXTRACT(YEAR FROM held_on)::int", "EXTRACT(MONTH FROM held_on)::int"
    sql = (
        f"SELECT org_id, kind, {y}, {m}, COUNT(*) FROM {meetings} "  # noqa: S608
        f"WHERE held_on BETWEEN %s AND %s AND org_id IN "
        f"(SELECT id FROM {orgs} WHERE path LIKE %s AND kind = 'grid_branch') "
        f"GROUP BY org_id, kind, {y}, {m}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [first, last, root_path + "%"])
        return {(o, k, yy, mm): n for o, k, yy, mm, n in cursor.fetchall()}


def bench_compliance():
    from django.test import Client

    from jiceng.party.services.life import branches_under, compliance

    branches = env_int("BENCH_PARTY_BRANCHES", 1500)
    years = env_int("BENCH_PARTY_YEARS", 3)
    user, root_path, n_branches, n_meetings = build(branches, years)
    today = date.today()
    first = date(today.year, 1, 1)
    # equal results: every judged month of a monthly kind holds what the GROUP BY says
    expected = bare_counts(root_path, first, today)
    rows = compliance(branches_under(user), first, today)
    checked = 0
    for row in rows:
        for y, m, cells in row.months:
            for cell in cells:
                if cell.period == "month" and cell.kind != "theme_day":
                    assert cell.held == expected.get((row.org.pk, cell.kind, y, m), 0)
                    checked += 1
    assert len(rows) == n_branches and checked
    client = Client()
    client.force_login(user)

    def page():
        response = client.get("/party/compliance/")
        assert response.status_code == 200
        return response

    def bare():
        return bare_counts(root_path, first, today)

    samples = interleaved(
        {"page": page, "group_by": bare}, env_int("BENCH_SAMPLES", 10), rounds=2
    )
    page_ms, bare_ms = summary_ms(samples["page"]), summary_ms(samples["group_by"])
    figures = {
        "branches": n_branches,
        "meetings": n_meetings,
        "cells_checked": checked,
        "equal": True,
        "page": page_ms,
        "group_by": bare_ms,
        "ratio_p50": ratio(page_ms["p50_ms"], bare_ms["p50_ms"]),
    }
    print(
        f"   {n_branches} 个支部、{n_meetings} 次会议：结果一致（{checked} 格）；页面 p50 "
        f"{page_ms['p50_ms']} ms，裸 GROUP BY p50 {bare_ms['p50_ms']} ms，"
        f"比值 {figures['ratio_p50']}"
    )
    return figures


def main():
    migrated_database("party")
    data = {"engine": engine()}
    with section("三会一课落实情况：全区支部 × 3 年会议 vs 裸 GROUP BY"):
        data["compliance"] = bench_compliance()
    write_results("party", data, section=engine())
    return data


if __name__ == "__main__":
    main()
