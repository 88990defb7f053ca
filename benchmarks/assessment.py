"""Assessment benchmark: the 红黑榜 scores at district scale (500 property
companies, 2,000 compounds, 100,000 household ratings, 50,000 cases dispatched to
the compounds) against a bare SQL computation of the same scores (equal results
asserted), and a district month's bulletin: time and peak memory.

    BENCH_ENGINE=sqlite .venv/bin/python benchmarks/assessment.py
    BENCH_ENGINE=postgres DATABASE_URL=postgres://…/db .venv/bin/python benchmarks/assessment.py

Smaller runs: BENCH_RANK_COMPANIES, BENCH_RANK_COMPOUNDS, BENCH_RANK_RATINGS,
BENCH_RANK_CASES. Writes benchmarks/results/assessment.json (one section per engine).
"""

import random
import resource
import sys
import time
import uuid
from datetime import datetime, timedelta
from decimal import Decimal
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

PERIOD = "2026Q3"


def make_district(*, companies, compounds, ratings, cases):
    """A district of 10 streets; companies placed at a compound each and assigned
    (through their staff) to the rest; ratings by distinct households; cases
    dispatched to the compounds with their timeline."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from jiceng.assessment import services
    from jiceng.assessment.models import MutualRating, Rating
    from jiceng.cases.models import Case, CaseEvent, Category
    from jiceng.core.models import Assignment
    from jiceng.people.models import Household, Unit, UnitKind
    from jiceng.places.models import Place

    rng = random.Random(20)
    tag = uuid.uuid4().hex[:6]
    district = Place.objects.add_root(
        {"name": "考核测试区", "kind": "district", "code": f"K{tag}"}
    )
    places = []
    for s in range(10):
        street = Place.objects.add_child(
            district, {"name": f"街道{s}", "kind": "street", "code": f"K{tag}s{s}"}
        )
        community = Place.objects.add_child(
            street, {"name": f"社区{s}", "kind": "community", "code": f"K{tag}c{s}"}
        )
        grid = Place.objects.add_child(
            community, {"name": f"网格{s}", "kind": "grid", "code": f"K{tag}g{s}"}
        )
        for n in range(compounds // 10):
            places.append(
                Place.objects.add_child(
                    grid,
                    {
                        "name": f"小区{s}-{n}",
                        "kind": "compound",
                        "code": f"K{tag}p{s}-{n}",
                    },
                )
            )
    units = Unit.objects.bulk_create(
        Unit(name=f"物业{n}", kind=UnitKind.PROPERTY, place=places[n])
        for n in range(companies)
    )
    User = get_user_model()
    admin = User.objects.create_superuser(username=f"rank-{tag}")
    staff = User.objects.bulk_create(
        User(username=f"rank-{tag}-{n}") for n in range(companies, len(places))
    )
    Assignment.objects.bulk_create(
        Assignment(
            user=user,
            role="property",
            place=places[n],
            unit=units[n % companies],
        )
        for user, n in zip(staff, range(companies, len(places)), strict=True)
    )
    services.property.save_indicator_set(
        actor=admin,
        period=PERIOD,
        name="指标",
        indicators=services.property.DEFAULT_INDICATORS,
    )
    indicators = list(services.property.indicator_set(PERIOD).indicators.all())
    served = services.property.service_map(units)
    homes = Household.objects.bulk_create(
        (
            Household(number=f"K{tag}{n:07d}", place=places[n % len(places)])
            for n in range(ratings)
        ),
        batch_size=5000,
    )
    codes = ["service", "cleaning", "security", "repair"]
    rows = []
    for home in homes:
        scores = {c: rng.randint(1, 5) for c in codes}
        rows.append(
            Rating(
                company_id=served[home.place_id],
                compound_id=home.place_id,
                household=home,
                period=PERIOD,
                scores=scores,
                score=services.property.resident_score(indicators, scores),
            )
        )
    Rating.objects.bulk_create(rows, batch_size=5000)
    MutualRating.objects.bulk_create(
        MutualRating(
            direction="community",
            company=unit,
            community=unit.place.ancestor_of_kind("community"),
            period=PERIOD,
            score=Decimal(rng.randint(40, 100)),
        )
        for unit in units[: companies * 4 // 5]
    )
    category = Category.objects.create(
        type="event", code=f"K{tag}", name="物业类", handle_days=3
    )
    base = timezone.make_aware(datetime(2026, 8, 3, 10))
    made = Case.objects.bulk_create(
        (
            Case(
                number=f"K{tag}{n:08d}",
                category=category,
                description="电梯故障",
                place=places[n % len(places)],
                grid=places[n % len(places)],
                channel="phone",
                status="closed",
            )
            for n in range(cases)
        ),
        batch_size=5000,
    )
    events = []
    for n, case in enumerate(made):
        at = base + timedelta(hours=n % 1000)
        events.append(
            CaseEvent(
                case=case,
                action="dispatch",
                from_status="reported",
                to_status="dispatched",
                on_time=rng.random() < 0.9,
            )
        )
        events.append(
            CaseEvent(
                case=case,
                action="close",
                from_status="handled",
                to_status="closed",
                on_time=rng.random() < 0.8,
                elapsed_seconds=3600,
            )
        )
        if n % 3:
            events.append(CaseEvent(case=case, action="rate", rating=rng.randint(1, 5)))
        for event in events[-3:]:
            event.at = at
    CaseEvent.objects.bulk_create(events, batch_size=5000)
    CaseEvent.objects.filter(case__in=made[:1]).update(at=base)  # auto_now_add
    CaseEvent.objects.filter(case__category=category).update(at=base)
    return district


def bare_scores(district):
    """The same scores from three GROUP BY statements and the same weights."""
    from django.db import connection

    from jiceng.assessment import periods
    from jiceng.assessment.models import IndicatorSet
    from jiceng.assessment.services.property import q2

    indicators = list(IndicatorSet.objects.get(period=PERIOD).indicators.all())
    start, end = periods.bounds(PERIOD)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT u.id FROM people_unit u JOIN places_place p ON p.id = u.place_id "
            "WHERE u.kind = 'property' AND p.path LIKE %s",
            [district.path + "%"],
        )
        companies = {row[0] for row in cursor.fetchall()}
        cursor.execute(
            "SELECT company_id, AVG(score) FROM assessment_rating "
            "WHERE period = %s GROUP BY company_id",
            [PERIOD],
        )
        resident = {c: Decimal(str(m)) for c, m in cursor.fetchall() if c in companies}
        cursor.execute(
            "SELECT company_id, AVG(score) FROM assessment_mutualrating "
            "WHERE period = %s AND direction = 'community' GROUP BY company_id",
            [PERIOD],
        )
        community = {c: Decimal(str(m)) for c, m in cursor.fetchall() if c in companies}
        cursor.execute(
            "WITH served AS ("
            " SELECT place_id AS compound, id AS company FROM people_unit"
            " WHERE kind = 'property'"
            " UNION SELECT place_id, unit_id FROM core_assignment"
            " WHERE role = 'property' AND active AND place_id IS NOT NULL)"
            " SELECT s.company,"
            " SUM(CASE WHEN e.from_status = 'reported' AND e.action IN"
            " ('accept','dispatch','cancel') THEN 1 ELSE 0 END),"
            " SUM(CASE WHEN e.from_status = 'reported' AND e.action IN"
            " ('accept','dispatch','cancel') AND e.on_time THEN 1 ELSE 0 END),"
            " SUM(CASE WHEN e.action = 'close' THEN 1 ELSE 0 END),"
            " SUM(CASE WHEN e.action = 'close' AND e.on_time THEN 1 ELSE 0 END),"
            " SUM(CASE WHEN e.action IN ('rate','reopen') AND e.rating IS NOT NULL"
            " THEN 1 ELSE 0 END),"
            " SUM(CASE WHEN e.action IN ('rate','reopen') AND e.rating >= 4"
            " THEN 1 ELSE 0 END)"
            " FROM cases_caseevent e JOIN cases_case c ON c.id = e.case_id"
            " JOIN served s ON s.compound = c.grid_id"
            " WHERE e.at >= %s AND e.at < %s GROUP BY s.company",
            [
                datetime.combine(start, datetime.min.time()) - timedelta(hours=8),
                datetime.combine(end, datetime.min.time()) + timedelta(hours=16),
            ],
        )
        cases = {row[0]: row[1:] for row in cursor.fetchall() if row[0] in companies}

    def rate(part, whole):
        return round(100 * part / whole, 1) if whole else None

    resident_weight = sum(i.weight for i in indicators if i.source == "resident")
    result = {}
    for company in companies:
        parts = []
        if company in resident:
            parts.append((resident_weight, resident[company]))
        for i in indicators:
            if i.source == "community" and company in community:
                parts.append((i.weight, community[company]))
            elif i.source == "case" and company in cases:
                responded, on_time, closed, closed_on_time, rated, satisfied = cases[
                    company
                ]
                value = {
                    "response_rate": rate(on_time, responded),
                    "on_time_rate": rate(closed_on_time, closed),
                    "satisfaction_rate": rate(satisfied, rated),
                }[i.code]
                if value is not None:
                    parts.append((i.weight, Decimal(str(value))))
        if parts:
            weight = sum(w for w, _ in parts)
            result[company] = q2(sum(w * v for w, v in parts) / weight)
    return result


def bench_ranking():
    from jiceng.assessment import services

    sizes = {
        "companies": env_int("BENCH_RANK_COMPANIES", 500),
        "compounds": env_int("BENCH_RANK_COMPOUNDS", 2000),
        "ratings": env_int("BENCH_RANK_RATINGS", 100_000),
        "cases": env_int("BENCH_RANK_CASES", 50_000),
    }
    started = time.perf_counter()
    district = make_district(**sizes)
    built = round(time.perf_counter() - started, 1)

    def service():
        return {
            c: r["score"] for c, r in services.property.scores(district, PERIOD).items()
        }

    got, expected = service(), bare_scores(district)
    assert got == expected, [
        (c, got.get(c), expected.get(c)) for c in expected if got.get(c) != expected[c]
    ][:5]
    samples = interleaved(
        {"service": service, "bare": lambda: bare_scores(district)},
        5,
        rounds=1,
        warmup=1,
    )
    service_ms, bare_ms = summary_ms(samples["service"]), summary_ms(samples["bare"])
    figures = {
        **sizes,
        "fixture_seconds": built,
        "equal": True,
        "scored_companies": len(got),
        "service": service_ms,
        "bare_sql": bare_ms,
        "ratio_p50": ratio(service_ms["p50_ms"], bare_ms["p50_ms"]),
    }
    print(
        f"   {sizes['companies']} 家物业、{sizes['compounds']} 个小区、"
        f"{sizes['ratings']} 条评价、{sizes['cases']} 件事件：结果一致；"
        f"服务 p50 {service_ms['p50_ms']} ms，裸 SQL p50 {bare_ms['p50_ms']} ms，"
        f"比值 {figures['ratio_p50']}"
    )
    return figures, district


def bench_bulletin(district):
    """A district month's bulletin (docx): time and peak memory of the process."""
    from django.contrib.auth import get_user_model

    from jiceng.assessment.services import bulletins

    admin = get_user_model().objects.filter(is_superuser=True).first()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    started = time.perf_counter()
    report = bulletins.build(admin, period="2026-08", place=district)
    body = bulletins.to_docx(report)
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    figures = {
        "seconds": round(seconds, 2),
        "bytes": len(body),
        "peak_rss_mb": round(peak, 1),
        "rss_growth_mb": round(peak - before, 1),
    }
    print(
        f"   区级月通报：{figures['seconds']} 秒，{len(body)} 字节，"
        f"进程峰值内存 {figures['peak_rss_mb']} MB"
    )
    return figures


def main():
    migrated_database("assessment")
    data = {"engine": engine()}
    with section("红黑榜计算（区级规模）vs 裸 SQL"):
        data["ranking"], district = bench_ranking()
    with section("区级月通报生成：时间与峰值内存"):
        data["bulletin"] = bench_bulletin(district)
    write_results("assessment", data, section=engine())
    return data


if __name__ == "__main__":
    main()
