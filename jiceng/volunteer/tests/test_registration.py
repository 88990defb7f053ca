"""双报到, 双服务 and 双报告 through the services, with the scope story."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from jiceng.core.models import AuditEntry
from jiceng.core.scope import can, path_prefix
from jiceng.places.models import Place
from jiceng.volunteer import services
from jiceng.volunteer.models import (
    HoursSource,
    HoursStatus,
    MemberRegistration,
    QuarterlyReport,
    RegistrationStatus,
    ServiceHours,
    UnitRegistration,
)
from jiceng.volunteer.services.registration import current_quarter

pytestmark = pytest.mark.django_db


def fresh(member):
    MemberRegistration.objects.filter(volunteer__user=member).update(
        status=RegistrationStatus.WITHDRAWN
    )


def test_member_registers_to_home_community_and_community_confirms(
    member, community, people, other_community
):
    # given an in-service member with no active registration
    fresh(member)
    # when they register to another community, it is refused
    with pytest.raises(ValidationError) as wrong:
        services.register_member(actor=member, community=other_community)
    assert wrong.value.code == "not_home"
    # when they register at home
    registration = services.register_member(
        actor=member, commitments="每月参加一次楼道清理", skills="电工、理发"
    )
    # then it waits for the community, carries the commitments and the unit
    assert registration.status == RegistrationStatus.PENDING
    assert registration.community == community
    assert registration.unit == member.resident.party_member.unit
    assert registration.volunteer.skill_set() == {"电工", "理发"}
    with pytest.raises(ValidationError) as twice:
        services.register_member(actor=member)
    assert twice.value.code == "duplicate"
    # and another street's admin cannot confirm it, the secretary can
    with pytest.raises(PermissionDenied):
        services.decide_registration(
            actor=people["jiedao2"], registration=registration, approve=True
        )
    audits = AuditEntry.objects.count()
    confirmed = services.decide_registration(
        actor=people["shuji"], registration=registration, approve=True, version=0
    )
    assert confirmed.status == RegistrationStatus.CONFIRMED
    assert AuditEntry.objects.count() == audits + 1
    # a stale version is a conflict
    with pytest.raises(ValidationError) as stale:
        services.decide_registration(
            actor=people["shuji"], registration=confirmed, approve=True, version=0
        )
    assert stale.value.code == "conflict"


def test_retired_member_cannot_do_dual_registration(member):
    party_member = member.resident.party_member
    party_member.status = "retired"
    party_member.save()
    fresh(member)
    with pytest.raises(ValidationError) as exc:
        services.register_member(actor=member)
    assert exc.value.code == "not_in_service"


def test_unit_registers_with_paired_compounds_and_records_service(
    people, unit, community
):
    # given the unit's party organisation
    UnitRegistration.objects.filter(unit=unit).update(status="withdrawn")
    compound = (
        Place.objects.filter(path_prefix(community.path), kind="compound")
        .order_by("path")
        .first()
    )
    # when it registers to a community, paired to a compound
    registration = services.register_unit(
        actor=people["danwei"],
        unit=unit,
        community=community,
        commitments="每季度组织一次义诊",
        claimed_items="老旧小区楼道照明",
        compounds=[compound],
    )
    assert list(registration.compounds.all()) == [compound]
    # then a service record needs the community's confirmation first
    with pytest.raises(ValidationError):
        services.record_unit_service(
            actor=people["danwei"],
            registration=registration,
            served_on=timezone.localdate(),
            title="义诊",
            participants=5,
            hours=Decimal(3),
        )
    services.decide_registration(
        actor=people["shuji"], registration=registration, approve=True
    )
    registration.refresh_from_db()
    record = services.record_unit_service(
        actor=people["danwei"],
        registration=registration,
        served_on=timezone.localdate(),
        title="义诊",
        participants=5,
        hours=Decimal(3),
    )
    assert record.registration.services.count() == 1
    # another unit's organisation cannot register this unit
    with pytest.raises(PermissionDenied):
        services.register_unit(actor=people["wangge2"], unit=unit, community=community)


def test_returning_a_registration_needs_a_reason(member, people):
    fresh(member)
    registration = services.register_member(actor=member)
    with pytest.raises(ValidationError):
        services.decide_registration(
            actor=people["shuji"], registration=registration, approve=False
        )
    returned = services.decide_registration(
        actor=people["shuji"], registration=registration, approve=False, note="地址有误"
    )
    assert returned.status == RegistrationStatus.REJECTED


def _hours(volunteer, community, start, hours, status=HoursStatus.CONFIRMED):
    return ServiceHours.objects.create(
        volunteer=volunteer,
        community=community,
        source=HoursSource.SELF,
        title="助老服务",
        started_at=start,
        ended_at=start + timedelta(hours=hours),
        hours=Decimal(hours),
        status=status,
    )


def test_quarterly_report_contents_and_idle_members(registered, community, people):
    # given 4 confirmed hours and 1 pending hour in a quarter (three years back,
    # clear of the demo's own hours)
    year, quarter = current_quarter()
    year -= 3
    start, _end = services.registration.quarter_bounds(year, quarter)
    _hours(registered.volunteer, community, start + timedelta(hours=9), 4)
    _hours(
        registered.volunteer,
        community,
        start + timedelta(hours=20),
        1,
        HoursStatus.PENDING,
    )
    regs = MemberRegistration.objects.visible_to(people["shuji"])
    assert registered not in services.idle_members(regs, year, quarter)
    # when the community sends the quarter's reports
    reports = services.send_quarterly_reports(
        actor=people["shuji"], registrations=regs, year=year, quarter=quarter
    )
    # then the member's report counts only confirmed hours and is sent
    mine = next(r for r in reports if r.registration_id == registered.pk)
    assert mine.hours == Decimal(4) and mine.sent_at is not None
    assert "未达到季度目标" in mine.evaluation
    # and the unit sees it; another street's admin does not
    assert can(people["danwei"], mine)
    assert not QuarterlyReport.objects.visible_to(people["jiedao2"]).exists()
    # a member with no hours in the previous quarter is listed as idle
    previous = (year, quarter - 1) if quarter > 1 else (year - 1, 4)
    assert registered in services.idle_members(regs, *previous)


def test_annual_evaluation(registered, people):
    year = timezone.localdate().year
    evaluation = services.evaluate_member(
        actor=people["shuji"], registration=registered, year=year, grade="qualified"
    )
    assert evaluation.get_grade_display() == "合格"
    with pytest.raises(PermissionDenied):
        services.evaluate_member(
            actor=people["danwei"],
            registration=registered,
            year=year,
            grade="excellent",
        )


def test_scope_unit_sees_only_its_members_community_only_its_registrations(
    registered, people
):
    # the unit sees its own member's registration
    assert (
        MemberRegistration.objects.visible_to(people["danwei"])
        .filter(pk=registered.pk)
        .exists()
    )
    # every registration the unit sees is one of its members'
    unit_id = registered.unit_id
    assert all(
        r.unit_id == unit_id
        for r in MemberRegistration.objects.visible_to(people["danwei"])
    )
    # the community sees it; another street does not
    assert (
        MemberRegistration.objects.visible_to(people["shuji"])
        .filter(pk=registered.pk)
        .exists()
    )
    assert (
        not MemberRegistration.objects.visible_to(people["jiedao2"])
        .filter(pk=registered.pk)
        .exists()
    )
    # the member sees only their own
    mine = MemberRegistration.objects.visible_to(people["dangyuan"])
    assert set(mine.values_list("volunteer__user", flat=True)) == {
        people["dangyuan"].pk
    }
