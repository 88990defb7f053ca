"""The street's monthly figures follow every step, and agree with the timeline."""

import pytest
from django.utils import timezone

from jiceng.cases import kpi, services
from jiceng.cases.models import CaseEvent, CaseStat, StatDimension
from jiceng.cases.tests.helpers import report, step, work_through

pytestmark = pytest.mark.django_db


def rollup_rows(dimension):
    fields = ["month", "key", "place_path", *kpi.COUNTERS]
    return sorted(
        tuple(row[f] for f in fields)
        for row in CaseStat.objects.filter(dimension=dimension).values(*fields)
    )


def timeline_rows(dimension):
    fields = ["month", "key", "place_path", *kpi.COUNTERS]
    return sorted(tuple(row[f] for f in fields) for row in kpi.from_events(dimension))


def test_each_step_counts_and_the_rollup_agrees_with_the_timeline(
    people, grid, streetlight, city_management
):
    month = kpi.month_of(timezone.now())
    street = grid.path[: 2 * 4]
    before = kpi.totals(kpi.stats(StatDimension.PLACE, (month, month), [street]))

    done = report(people, grid, streetlight)
    work_through(people, done, grid, rating=5)
    unhappy = report(people, grid, streetlight)
    work_through(people, unhappy, grid, rating=1)
    unhappy.refresh_from_db()
    services.rate_case(case=unhappy, rating=1, reopen=True)
    waiting = report(people, grid, streetlight)
    step(people["jiedao"], waiting, "cancel", note="重复上报")
    report(people, grid, streetlight)  # still waiting

    after = kpi.totals(kpi.stats(StatDimension.PLACE, (month, month), [street]))
    assert after.received - before.received == 4
    assert after.closed - before.closed == 2
    assert after.closed_on_time - before.closed_on_time == 2
    assert after.cancelled - before.cancelled == 1
    assert after.reopened - before.reopened == 1
    assert after.responded - before.responded == 3
    assert after.rated - before.rated == 3  # 5, 1 and the reopening 1
    assert after.satisfied - before.satisfied == 1
    for dimension in StatDimension.values:
        assert rollup_rows(dimension) == timeline_rows(dimension)


def test_rates_are_computed_from_the_counters():
    figures = kpi.Figures(
        received=10,
        cancelled=2,
        closed=6,
        closed_on_time=3,
        responded=8,
        responded_on_time=8,
        reopened=1,
        rated=4,
        satisfied=3,
        handle_seconds=6 * 7200,
    )
    assert figures.completion_rate == 75.0
    assert figures.on_time_rate == 50.0
    assert figures.response_rate == 100.0
    assert figures.resolution_rate == pytest.approx(83.3)
    assert figures.satisfaction_rate == 75.0
    assert figures.average_hours == 2.0
    assert kpi.Figures().completion_rate is None  # no cases: no rate, not 0%


def test_a_late_closure_is_not_on_time(people, grid, streetlight):
    case = report(people, grid, streetlight)
    step(people["jiedao"], case, "accept")
    step(people["jiedao"], case, "dispatch", grid=grid)
    case.refresh_from_db()
    case.handle_due = timezone.now() - timezone.timedelta(days=1)
    case.save(update_fields=["handle_due"])
    services.escalate_overdue()
    work_through_rest = [
        ("handle", "wangge", {"note": "迟了"}),
        ("verify", "shuji", {}),
        ("close", "jiedao", {}),
    ]
    for name, actor, data in work_through_rest:
        step(people[actor], case, name, **data)
    close = CaseEvent.objects.get(case=case, action="close")
    assert close.on_time is False and close.elapsed_seconds >= 0


def test_rebuild_restores_a_damaged_rollup(people, grid, streetlight):
    work_through(people, report(people, grid, streetlight), grid, rating=4)
    expected = rollup_rows(StatDimension.PLACE)
    CaseStat.objects.update(closed=0)
    kpi.rebuild()
    assert rollup_rows(StatDimension.PLACE) == expected


def test_rebuilding_one_district_or_street_leaves_the_other_rows_alone(
    people, grid, streetlight
):
    # given a closed case in the grid's street, and a rollup damaged everywhere
    work_through(people, report(people, grid, streetlight), grid, rating=4)
    street = grid.path[: 2 * 4]
    expected = {d: rollup_rows(d) for d in StatDimension.values}
    CaseStat.objects.update(closed=0)
    # when only the street is rebuilt (as a city's seed rebuilds its new district)
    kpi.rebuild(street)
    # then the street's rows are the timeline's again, and no other row changed
    for dimension in StatDimension.values:
        restored = [r for r in rollup_rows(dimension) if r[2].startswith(street)]
        assert restored == [r for r in expected[dimension] if r[2].startswith(street)]
    assert set(
        CaseStat.objects.exclude(place_path__startswith=street).values_list(
            "closed", flat=True
        )
    ) <= {0}
    assert CaseStat.objects.filter(place_path__startswith=street, closed__gt=0)
