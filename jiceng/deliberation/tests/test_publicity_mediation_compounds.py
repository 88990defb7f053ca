"""The 公示 period in working days; mediation counts by level; compound records."""

from datetime import date, datetime

import pytest
from django.utils import timezone

from jiceng.core.models import AuditEntry
from jiceng.deliberation import services
from jiceng.deliberation.models import CompoundKind, Coverage, Level
from jiceng.places.models import Place, PlaceKind


def at(*args):
    return timezone.make_aware(datetime(*args))


def test_publicity_runs_five_working_days_skipping_weekends_and_holidays():
    # a Friday: 5 working days end the next Friday at close of business
    assert services.topics.publicity_end(at(2025, 3, 7, 10)) == at(2025, 3, 14, 17, 30)
    # the day before 国庆: Oct 1–8 do not count, Saturday Oct 11 (调休) does
    end = services.topics.publicity_end(at(2025, 9, 30, 10))
    assert timezone.localtime(end).date() == date(2025, 10, 14)


@pytest.mark.django_db
def test_mediation_rates_count_where_each_dispute_was_resolved(people, community):
    # given a grid worker's grid and disputes resolved at each level
    from jiceng.core.models import Assignment

    wangge = people["wangge"]
    grid = Assignment.objects.filter(user=wangge).order_by("place__code").first().place
    from jiceng.deliberation.models import Dispute

    start = Dispute.objects.count()

    def dispute(levels_up, outcome):
        d = services.register_dispute(
            actor=wangge,
            grid=grid,
            kind="neighbour",
            summary="楼上漏水到楼下",
            parties=[{"name": "甲"}, {"name": "乙"}],
            mediator_kind="grid_worker",
            mediator_name="网格员",
        )
        for _ in range(levels_up):
            d = services.escalate(
                actor=people["shuji"],
                dispute=d,
                mediator_kind="staff",
                mediator_name="书记",
            )
        services.record_session(
            actor=people["shuji"],
            dispute=d,
            held_on=date(2026, 2, 1),
            mediator_name="",
            notes="调解",
        )
        if outcome == "agree":
            services.settle(actor=people["shuji"], dispute=d, agreement="赔偿修复")
        elif outcome == "refer":
            services.refer(actor=people["shuji"], dispute=d, referred_to="court")
        return d

    for plan in (
        [(0, "agree")] * 3
        + [(1, "agree")] * 2
        + [(2, "agree"), (2, "refer"), (0, "open")]
    ):
        dispute(*plan)
    # when the rates are computed over these disputes
    rows = Dispute.objects.order_by("-pk")[: Dispute.objects.count() - start]
    rates = services.level_rates(Dispute.objects.filter(pk__in=[r.pk for r in rows]))
    # then grid 3/7, community (3+2)/7, street (3+2+1)/7
    by = {r.level: r for r in rates}
    assert (by[Level.GRID].resolved, by[Level.GRID].closed) == (3, 7)
    assert by[Level.COMMUNITY].within == 5
    assert by[Level.STREET].within == 6
    assert AuditEntry.objects.filter(target_type="deliberation.dispute").count() >= 8


@pytest.mark.django_db
def test_compound_records_cross_appointment_and_three_no_coverage(people, community):
    shuji = people["shuji"]
    compound = Place.objects.filter(
        path__startswith=community.path, kind=PlaceKind.COMPOUND
    ).first()
    profile = services.save_profile(
        actor=shuji,
        compound=compound,
        kind=CompoundKind.SELF_MANAGED,
        committee_kind="self",
        branch_secretary="周书记",
    )
    assert not profile.cross_appointed
    services.add_committee_member(
        actor=shuji,
        profile=profile,
        name="周书记",
        position="主任",
        term_start=date(2024, 1, 1),
    )
    assert profile.cross_appointed
    profile = services.save_profile(
        actor=shuji,
        compound=compound,
        version=profile.version,
        kind=CompoundKind.THREE_NO,
        covered=True,
        coverage=Coverage.COMMUNITY,
    )
    assert profile.kind == CompoundKind.THREE_NO and profile.covered
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.save_profile(actor=people["jiedao2"], compound=compound, kind="formed")
