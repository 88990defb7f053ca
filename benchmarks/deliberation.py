"""Deliberation benchmark: 200 households voting at once on one topic plus 50
duplicate attempts (tally = accepted votes, no household twice, p95 per vote), and
the tally of a 3,000-household vote against a bare GROUP BY (equal results asserted).

    BENCH_ENGINE=sqlite .venv/bin/python benchmarks/deliberation.py
    BENCH_ENGINE=postgres DATABASE_URL=postgres://…/db .venv/bin/python benchmarks/deliberation.py

Prints the figures and writes benchmarks/results/deliberation.json (one section per
engine).
"""

import random
import sys
import time
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


def bench_race():
    from benchmarks._vote_race import check, make_fixture, race_votes

    households = env_int("BENCH_VOTE_HOUSEHOLDS", 200)
    duplicates = env_int("BENCH_VOTE_DUPLICATES", 50)
    threads = 16 if engine() == "postgres" else 8
    topic, voters = make_fixture(households=households, label="vote-bench")
    started = time.perf_counter()
    outcomes, latencies, errors = race_votes(
        topic, voters, duplicates=duplicates, threads=threads
    )
    seconds = time.perf_counter() - started
    counted = check(topic)
    result = {
        "households": households,
        "duplicates": duplicates,
        "threads": threads,
        "outcomes": dict(outcomes),
        **counted,
        "tally_equals_accepted": counted["tally_cast"] == outcomes.get("accepted", 0),
        "latency": summary_ms(latencies),
        "errors": errors[:5],
        "seconds": round(seconds, 2),
    }
    assert result["tally_equals_accepted"] and counted["households_twice"] == 0
    assert outcomes.get("accepted") == households, outcomes
    print(
        f"   {households} 户 + {duplicates} 次重复，{threads} 线程：计入 "
        f"{outcomes.get('accepted', 0)}，拒绝重复 {outcomes.get('AlreadyVoted', 0)}，"
        f"计票 {counted['tally_cast']}，重复计入的户 {counted['households_twice']}，"
        f"每票 p95 {result['latency']['p95_ms']} ms，异常 {len(errors)}"
    )
    return result


def bench_tally():
    """3,000 households' ballots: services.tally against a bare GROUP BY."""
    from decimal import Decimal

    from django.db import connection

    from benchmarks._vote_race import make_fixture
    from jiceng.deliberation import services
    from jiceng.deliberation.models import Ballot, Elector, Participation, Poll

    households = env_int("BENCH_TALLY_HOUSEHOLDS", 3000)
    topic, voters = make_fixture(households=households, label="tally-bench")
    poll = Poll.objects.get(topic=topic)
    rng = random.Random(19)
    electors = list(Elector.objects.filter(poll=poll))
    Elector.objects.bulk_update(
        [
            setattr(e, "area", Decimal(rng.choice([62, 75, 89, 96, 108]))) or e
            for e in electors
        ],
        ["area"],
        batch_size=1000,
    )
    cast = [e for e in electors if rng.random() < 0.8]
    participations, ballots = [], []
    for n, elector in enumerate(cast):
        participations.append(
            Participation(
                poll=poll, elector=elector, channel="phone", cast_by=voters[0]
            )
        )
        ballots.append(
            Ballot(
                poll=poll,
                choice=rng.choice(["同意", "同意", "反对", "弃权"]),
                area=elector.area,
                receipt=f"B{n:09d}",
            )
        )
    Participation.objects.bulk_create(participations, batch_size=1000)
    Ballot.objects.bulk_create(ballots, batch_size=1000)
    table = Ballot._meta.db_table
    sql = (
        f"SELECT choice, COUNT(*), SUM(area) FROM {table} "  # noqa: S608 - model table
        "WHERE poll_id = %s GROUP BY choice"
    )

    def bare():
        with connection.cursor() as cursor:
            cursor.execute(sql, [poll.pk])
            return {c: (n, Decimal(str(a))) for c, n, a in cursor.fetchall()}

    def service():
        return services.tally(poll)

    result = service()
    expected = bare()
    got = {c: (n, result.areas[c]) for c, n in result.counts.items() if n}
    assert got == expected, (got, expected)
    samples = interleaved({"tally": service, "group_by": bare}, 60)
    tally_ms, bare_ms = summary_ms(samples["tally"]), summary_ms(samples["group_by"])
    figures = {
        "households": households,
        "ballots": len(ballots),
        "equal": True,
        "counts": {c: n for c, (n, _) in expected.items()},
        "tally": tally_ms,
        "group_by": bare_ms,
        "ratio_p50": ratio(tally_ms["p50_ms"], bare_ms["p50_ms"]),
        "passed": result.passed,
    }
    print(
        f"   {households} 户、{len(ballots)} 张选票：结果一致；计票 p50 "
        f"{tally_ms['p50_ms']} ms，裸 GROUP BY p50 {bare_ms['p50_ms']} ms，"
        f"比值 {figures['ratio_p50']}"
    )
    return figures


def main():
    migrated_database("deliberation")
    data = {"engine": engine()}
    with section("并发投票：200户 + 50次重复"):
        data["race"] = bench_race()
    with section("3000户表决计票 vs 裸 GROUP BY"):
        data["tally"] = bench_tally()
    write_results("deliberation", data, section=engine())
    return data


if __name__ == "__main__":
    main()
