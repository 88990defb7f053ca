"""Organisational life on the demo district: 三会一课 rules and compliance, make-up,
standardisation, 临时党支部, transfers with acceptance, the recruitment pipeline,
党费 bands, 两个覆盖, and the API other tools rely on."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from jiceng.core.errors import Conflict
from jiceng.party import services
from jiceng.party.models import (
    Attendance,
    FlexKind,
    FlexOrg,
    Grade,
    Meeting,
    MeetingKind,
    MeetingRule,
    MemberTransfer,
    PartyMember,
    PartyOrg,
    PartyOrgKind,
    Period,
    Recruit,
    Stage,
    Standard,
    StandardArea,
    TransferStatus,
)
from jiceng.party.services.life import compliance, period_of
from jiceng.party.services.membership import DEFAULT_BANDS, dues_for
from jiceng.party.services.standards import grade_for, weighted_score
from jiceng.people.models import Resident
from jiceng.places.models import Place

pytestmark = pytest.mark.django_db


def _branch(user):
    """The first grid branch the user may change, with its members."""
    return (
        PartyOrg.objects.visible_to(user, "change")
        .filter(kind=PartyOrgKind.GRID_BRANCH)
        .select_related("place")
        .order_by("path")
        .first()
    )


def _states(org, first, last, today, kind):
    row = compliance([org], first, last, today=today)[0]
    return {
        (y, m): cell.state
        for y, m, cells in row.months
        for cell in cells
        if cell.kind == kind
    }


# ---- frequency rules --------------------------------------------------------


def test_periods_cut_at_month_quarter_half_and_year_boundaries():
    # given days at the edges of periods, then each falls in the period holding it
    assert period_of(date(2025, 3, 31), Period.QUARTER) == (
        date(2025, 1, 1),
        date(2025, 3, 31),
    )
    assert period_of(date(2025, 4, 1), Period.QUARTER)[0] == date(2025, 4, 1)
    assert period_of(date(2024, 2, 10), Period.MONTH)[1] == date(2024, 2, 29)
    assert period_of(date(2025, 12, 31), Period.HALF) == (
        date(2025, 7, 1),
        date(2025, 12, 31),
    )
    assert period_of(date(2025, 6, 1), Period.YEAR)[1] == date(2025, 12, 31)


def test_a_quarterly_assembly_held_in_any_month_counts_for_its_quarter_only(people):
    # given a branch with no 党员大会 in 2025 and the street's rule: quarterly, once
    shuji = people["shuji"]
    org = _branch(shuji)
    Meeting.objects.filter(org=org).delete()
    street = org.place.ancestor_of_kind("street")
    services.set_rule(
        actor=people["jiedao"],
        place=street,
        kind=MeetingKind.ASSEMBLY,
        period=Period.QUARTER,
    )
    # when the assembly is held on 28 February and then on 1 April (a new quarter)
    for held_on in (date(2025, 2, 28), date(2025, 4, 1)):
        Meeting.objects.create(
            org=org, kind=MeetingKind.ASSEMBLY, topic="党员大会", held_on=held_on
        )
    states = _states(
        org, date(2025, 1, 1), date(2025, 12, 31), date(2026, 1, 15), "assembly"
    )
    # then Q1 and Q2 are met, judged in their last months, and Q3, Q4 are missing
    assert states == {
        (2025, 3): "ok",
        (2025, 6): "ok",
        (2025, 9): "missing",
        (2025, 12): "missing",
    }


def test_a_month_still_running_warns_before_it_ends_and_a_committee_turns_it_ok(
    people,
):
    # given a branch without this month's 支委会
    shuji = people["shuji"]
    org = _branch(shuji)
    Meeting.objects.filter(org=org, kind=MeetingKind.COMMITTEE).delete()
    today = date(2025, 11, 25)  # five days before the month ends
    states = _states(org, date(2025, 11, 1), today, today, "committee")
    # then it is a 预警 for the 党委 above
    assert states[(2025, 11)] == "warn"
    # when it is held (with attendance), then the month is met
    Meeting.objects.create(
        org=org, kind=MeetingKind.COMMITTEE, topic="支委会", held_on=date(2025, 11, 20)
    )
    states = _states(org, date(2025, 11, 1), today, today, "committee")
    assert states[(2025, 11)] == "ok"


def test_theme_days_come_from_volunteer_and_are_not_entered_again(people):
    # given a branch secretary recording a meeting
    org = _branch(people["shuji"])
    # when they try to record a 主题党日 here, then they are sent to volunteer
    with pytest.raises(ValidationError) as err:
        services.record_meeting(
            actor=people["shuji"],
            org=org,
            kind=MeetingKind.THEME_DAY,
            topic="主题党日",
            held_on=timezone.localdate(),
        )
    assert "志愿服务" in str(err.value)


# ---- meetings and make-up -----------------------------------------------------


def test_an_absent_member_makes_the_meeting_up_once(people):
    # given a 支委会 with one member present and one absent with a reason
    shuji = people["shuji"]
    org = _branch(shuji)
    present, absent = list(PartyMember.objects.filter(org=org).order_by("pk")[:2])
    meeting = services.record_meeting(
        actor=shuji,
        org=org,
        kind=MeetingKind.COMMITTEE,
        topic="研究志愿服务",
        held_on=timezone.localdate() - timedelta(days=3),
        present=[present],
        absent=[(absent, "出差")],
    )
    row = Attendance.objects.get(meeting=meeting, member=absent)
    assert not row.counted
    # when the absence reason is missing, the meeting is refused
    with pytest.raises(ValidationError):
        services.record_meeting(
            actor=shuji,
            org=org,
            kind=MeetingKind.GROUP,
            topic="党小组会",
            held_on=timezone.localdate(),
            absent=[(absent, "  ")],
        )
    # when the absent member makes it up after the meeting
    services.make_up(
        actor=shuji, attendance=row, on=timezone.localdate(), note="学习会议记录"
    )
    row.refresh_from_db()
    # then they count as attending, and a second make-up is a conflict
    assert row.counted and row.made_up_note == "学习会议记录"
    with pytest.raises(Conflict):
        services.make_up(
            actor=shuji, attendance=row, on=timezone.localdate(), note="再次"
        )
    # and a present member has nothing to make up
    with pytest.raises(ValidationError):
        services.make_up(
            actor=shuji,
            attendance=Attendance.objects.get(meeting=meeting, member=present),
            on=timezone.localdate(),
            note="x",
        )


# ---- standardisation -----------------------------------------------------------


def test_the_standardisation_score_on_a_worked_example():
    # given three standards weighted 20, 30 and 50 scored 100, 80 and 60
    a, b, c = (
        Standard(pk=i, weight=w, area=StandardArea.SETUP)
        for i, w in enumerate((20, 30, 50), start=1)
    )
    # then the score is (2000 + 2400 + 3000) / 100 = 74.0, graded 达标
    score = weighted_score({a: 100, b: 80, c: 60})
    assert score == Decimal("74.0")
    assert grade_for(score) == Grade.PASS
    assert grade_for(Decimal("90.0")) == Grade.MODEL
    assert grade_for(Decimal("69.9")) == Grade.BEHIND


def test_a_behind_branch_is_reviewed_above_and_rectifies(people):
    # given the district's checklist and a branch's self-assessment
    shuji, jiedao = people["shuji"], people["jiedao"]
    org = _branch(shuji)
    standards = list(services.standards.standards_for(org))
    assessment = services.self_assess(
        actor=shuji, org=org, year=2030, scores={s.pk: 80 for s in standards}
    )
    assert assessment.self_score == Decimal("80.0")
    # when the street reviews it lower, then the branch is 后进
    assessment = services.review(
        actor=jiedao, assessment=assessment, scores={s.pk: 50 for s in standards}
    )
    assert assessment.grade == Grade.BEHIND
    # and its rectification plan is tracked to done
    item = services.plan_rectification(
        actor=jiedao,
        assessment=assessment,
        problem="记录不全",
        measure="逐月检查",
        due_on=timezone.localdate(),
    )
    services.finish_rectification(actor=shuji, item=item, result="已补齐")
    item.refresh_from_db()
    assert item.done_on is not None


# ---- flexible organisations ---------------------------------------------------


def test_a_temporary_branchs_members_keep_their_formal_branch(people):
    # given a 临时党支部 for a project in the first street
    jiedao = people["jiedao"]
    street = Place.objects.visible_to(jiedao).get(kind="street")
    temporary = services.create_flex_org(
        actor=jiedao,
        name="防汛临时党支部",
        kind=FlexKind.TEMPORARY,
        place=street,
        purpose="汛期值守",
        starts_on=timezone.localdate(),
    )
    member = PartyMember.objects.filter(place__path__startswith=street.path).first()
    formal = (member.org_id, member.place_id, member.status)
    # when a member is attached and the branch is later dissolved
    services.attach_member(actor=jiedao, org=temporary, member=member, role="书记")
    services.dissolve_flex_org(
        actor=jiedao, org=temporary, on=timezone.localdate(), note="汛期结束"
    )
    # then the member's formal relation never moved, and their membership ended
    member.refresh_from_db()
    assert (member.org_id, member.place_id, member.status) == formal
    assert temporary.members.get().left_on == timezone.localdate()
    assert FlexOrg.objects.get(pk=temporary.pk).dissolved_on is not None


# ---- transfers ---------------------------------------------------------------


def test_a_transfer_keeps_the_member_in_a_branch_until_accepted(people):
    # given a member of a branch in the first community and another branch
    shuji = people["shuji"]
    org = _branch(shuji)
    member = PartyMember.objects.filter(org=org).order_by("-pk")[1]
    MemberTransfer.objects.filter(member=member, status="pending").delete()
    target = (
        PartyOrg.objects.filter(kind=PartyOrgKind.GRID_BRANCH)
        .exclude(pk=org.pk)
        .filter(place__path__startswith=org.place.path[:8])
        .last()
    )
    # when the sending branch sends the member
    transfer = services.send_transfer(
        actor=shuji, member=member, org=target, reason="搬家"
    )
    # then until acceptance the member is still in the sending branch
    member.refresh_from_db()
    assert member.org_id == org.pk and transfer.status == TransferStatus.PENDING
    # and a second (racing) transfer of the same member is refused
    with pytest.raises(Conflict):
        services.send_transfer(actor=shuji, member=member, org=target, reason="重复")
    # even when both pass the check: the database keeps one pending transfer
    with pytest.raises(IntegrityError), transaction.atomic():
        MemberTransfer.objects.create(
            member=member,
            kind="within",
            status=TransferStatus.PENDING,
            to_org=target,
            transferred_on=timezone.localdate(),
            reason="并发",
        )
    # when the receiving side accepts, the member moves in one step
    services.accept_transfer(actor=people["jiedao"], transfer=transfer)
    member.refresh_from_db()
    assert member.org_id == target.pk
    # and accepting again is a conflict, never a second move
    with pytest.raises(Conflict):
        services.accept_transfer(actor=people["jiedao"], transfer=transfer)


def test_a_stale_transfer_is_not_accepted_after_the_member_moved(people):
    # given a pending transfer, and the member moved by another way meanwhile
    shuji = people["shuji"]
    org = _branch(shuji)
    member = PartyMember.objects.filter(org=org).order_by("-pk")[2]
    branches = list(
        PartyOrg.objects.visible_to(shuji, "change")
        .filter(kind=PartyOrgKind.GRID_BRANCH)
        .exclude(pk=org.pk)
    )
    transfer = services.send_transfer(
        actor=shuji, member=member, org=branches[0], reason="工作调动"
    )
    services.transfer_member(
        actor=shuji, member=member, org=branches[1], reason="直接转接"
    )
    # when the first transfer is accepted, then it is refused and nothing moves
    with pytest.raises(Conflict):
        services.accept_transfer(actor=shuji, transfer=transfer)
    member.refresh_from_db()
    assert member.org_id == branches[1].pk


# ---- recruitment and dues ------------------------------------------------------


def test_the_pipeline_keeps_its_order_and_minimum_periods(people):
    # given an adult resident who applied to join two years ago
    shuji = people["shuji"]
    org = _branch(shuji)
    resident = Resident.objects.filter(
        place__path__startswith=org.place.path,
        party_member__isnull=True,
        party_recruits__isnull=True,
        birth_date__lt=date(1990, 1, 1),
    ).first()
    today = timezone.localdate()
    applied = today - timedelta(days=800)
    recruit = services.add_recruit(
        actor=shuji, resident=resident, org=org, applied_on=applied
    )
    # when named an activist, then a 发展对象 within the year is refused
    activist_on = applied + timedelta(days=40)
    services.advance(actor=shuji, recruit=recruit, on=activist_on)
    with pytest.raises(ValidationError) as err:
        services.advance(
            actor=shuji, recruit=recruit, on=activist_on + timedelta(days=300)
        )
    assert "未满规定期限" in str(err.value)
    # and after a year of training it goes through
    recruit = services.advance(
        actor=shuji, recruit=recruit, on=activist_on + timedelta(days=370)
    )
    assert recruit.stage == Stage.CANDIDATE
    probationary_on = today - timedelta(days=200)
    recruit = services.advance(actor=shuji, recruit=recruit, on=probationary_on)
    # then 转正 waits for the full year of probation
    with pytest.raises(ValidationError):
        services.advance(actor=shuji, recruit=recruit, on=today)
    # and an imported record with its dates out of order is flagged
    broken = Recruit(
        resident=resident,
        org=org,
        stage=Stage.CANDIDATE,
        applied_on=today,
        activist_on=today - timedelta(days=10),
        candidate_on=today,
    )
    warnings = services.membership.pipeline_warnings([broken])
    assert warnings[0][1].startswith("各阶段日期顺序有误")


@pytest.mark.parametrize(
    ("base", "retired", "expected"),
    [
        ("2800", False, "14.00"),  # ≤3000: 0.5%
        ("3000", False, "15.00"),  # the band's upper edge stays in it
        ("4200", False, "42.00"),  # 3000-5000: 1%
        ("6500", False, "97.50"),  # 5000-10000: 1.5%
        ("12000", False, "240.00"),  # >10000: 2%
        ("4800", True, "24.00"),  # retired ≤5000: 0.5%
        ("6000", True, "60.00"),  # retired >5000: 1%
        ("0", False, "0.20"),  # no income: 0.2 元
    ],
)
def test_dues_bands_on_worked_examples(base, retired, expected):
    bands = [(Decimal(a), Decimal(r)) for a, r in DEFAULT_BANDS[retired]]
    assert dues_for(Decimal(base), bands) == Decimal(expected)


def test_dues_are_paid_once_a_month_and_arrears_show(people):
    shuji = people["shuji"]
    member = PartyMember.objects.filter(org=_branch(shuji), status="in_service")[0]
    payment = services.pay_dues(
        actor=shuji, member=member, year=2020, month=3, base="6500"
    )
    assert payment.amount == Decimal("97.50")
    with pytest.raises(Conflict):
        services.pay_dues(actor=shuji, member=member, year=2020, month=3, base="1")
    statement = services.annual_statement([member], 2020)[0]
    assert statement.total == Decimal("97.50")
    assert statement.owed_months == [1, 2, *range(4, 13)]


# ---- coverage ----------------------------------------------------------------


def test_coverage_rates_on_demo_data(people):
    # given the demo district's 两新组织, some covered, some not
    quadmin = people["quadmin"]
    units = services.work.new_units(quadmin)
    rates = services.coverage_rates(units)
    overall = rates["overall"]
    covered = sum(1 for u in units if u.coverage.org_form != "none")
    # then the rates are the covered shares, and every uncovered unit has an assignee
    assert overall.units == units.count() > 0
    assert overall.org_covered == covered
    assert overall.org_rate == round(100 * covered / overall.units, 1)
    uncovered = list(rates["uncovered"])
    assert len(uncovered) == overall.units - covered > 0
    assert all(u.coverage.assignee for u in uncovered)
    assert sum(r.units for r in rates["by_street"]) == overall.units


# ---- API and scope -----------------------------------------------------------


def test_the_api_serves_meetings_transfers_and_coverage(people, api_for):
    # given the street's admin and the district's coverage
    api = api_for("jiedao")
    meetings = api.get("/api/v1/party/meetings/").json()
    assert meetings["count"] > 0 and "attendance" in meetings["items"][0]
    transfers = api.get("/api/v1/party/transfers/?status=pending").json()
    assert all(t["status"] == "pending" for t in transfers["items"])
    street = Place.objects.visible_to(people["jiedao"]).get(kind="street")
    body = api.get(f"/api/v1/party/coverage/?place={street.code}").json()
    assert body["overall"]["units"] == sum(r["units"] for r in body["by_street"])
    # and a place outside the street's scope is not found
    other = Place.objects.filter(kind="street").exclude(pk=street.pk).first()
    assert api.get(f"/api/v1/party/coverage/?place={other.code}").status_code == 404
    # when a meeting is posted without an absence reason, the error is structured
    org = _branch(people["jiedao"])
    member = PartyMember.objects.filter(org=org).first()
    bad = api.post(
        "/api/v1/party/meetings/",
        {
            "org_id": org.pk,
            "kind": "committee",
            "topic": "支委会",
            "held_on": str(timezone.localdate()),
            "absent": [{"member_id": member.pk, "reason": ""}],
        },
        content_type="application/json",
    )
    assert bad.status_code == 422 and "absent" in bad.content.decode()


def test_an_industry_committee_sees_its_members_but_not_their_residents(people):
    # given the 快递行业党委's own account, a grant on its lead unit
    from django.contrib.auth import get_user_model

    from jiceng.core.models import Assignment
    from jiceng.party.models import FlexMembership, FlowingMember

    express = FlexOrg.objects.get(kind=FlexKind.INDUSTRY)
    user = get_user_model().objects.create(username="kuaidi-dangwei")
    Assignment.objects.create(user=user, role="unit_org", unit=express.lead_unit)
    # then its members and 流动党员 across territories are visible
    rows = FlexMembership.objects.visible_to(user)
    assert set(rows.values_list("pk", flat=True)) == set(
        express.members.values_list("pk", flat=True)
    )
    assert FlowingMember.objects.visible_to(user).count() == (
        express.flowing_members.count()
    )
    # and the residents' registry rows behind them are not
    residents = Resident.objects.visible_to(user).filter(
        pk__in=express.members.values("member__resident")
    )
    assert not residents.exists()


def test_rules_are_configured_per_place(people):
    jiedao = people["jiedao"]
    street = Place.objects.visible_to(jiedao).get(kind="street")
    services.set_rule(
        actor=jiedao, place=street, kind=MeetingKind.LESSON, period=Period.HALF
    )
    rule = MeetingRule.objects.get(place=street, kind=MeetingKind.LESSON)
    assert rule.period == Period.HALF
    org = _branch(people["shuji"])
    assert services.life.rules_for(org.place)[MeetingKind.LESSON] == (Period.HALF, 1)


def test_the_meeting_form_keeps_what_was_typed_when_refused(people, client_for):
    # given a branch secretary recording a 支委会 on the web
    org = _branch(people["shuji"])
    member = PartyMember.objects.filter(org=org).first()
    client = client_for("shuji")
    data = {
        "org": org.pk,
        "kind": "committee",
        "form": "ordinary",
        "topic": "研究冬季送温暖",
        "held_on": str(timezone.localdate()),
        f"att_{member.pk}": "absent",
        f"reason_{member.pk}": "",
    }
    # when an absence has no reason, then the form comes back with the input kept
    response = client.post("/party/meetings/new/", data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "研究冬季送温暖" in page and "缺席的党员请填写缺席原因" in page
    # when the reason is given, the meeting is recorded with its attendance
    data[f"reason_{member.pk}"] = "出差"
    response = client.post("/party/meetings/new/", data)
    meeting = Meeting.objects.get(pk=response["Location"].split("/")[-2])
    assert meeting.attendance.get(member=member).absence_reason == "出差"
