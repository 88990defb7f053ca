"""Every party write leaves one audit row: organisations, members, 大工委 rosters,
双向核查 and the members ledger."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from jiceng.core.audit import entries_for
from jiceng.core.models import AuditAction
from jiceng.party import services
from jiceng.party.models import (
    JointCommitteeUnit,
    MemberStatus,
    PairKind,
    PartTimeMember,
    PartyMember,
    PartyOrg,
    PartyOrgKind,
    RosterPair,
)
from jiceng.people.models import Resident, Unit
from jiceng.places.models import Place

pytestmark = pytest.mark.django_db


@pytest.fixture
def committee(people):
    return PartyOrg.objects.get(
        kind=PartyOrgKind.COMMUNITY_COMMITTEE, place__assignments__user=people["shuji"]
    )


def test_a_new_branch_is_audited(people, committee):
    # when the community secretary founds a branch on a grid of hers
    grid = Place.objects.get_children(committee.place).first()
    branch = services.create_org(
        actor=people["shuji"],
        parent=committee,
        kind=PartyOrgKind.GRID_BRANCH,
        name="审计网格党支部",
        place=grid,
    )
    # then its creation is audited with where it sits
    (entry,) = entries_for(branch).filter(action=AuditAction.CREATE)
    assert entry.actor == people["shuji"] and entry.changes["place"] == grid.name


def test_registering_and_changing_a_member_are_audited(people, committee):
    # given a resident of the community who is not a member
    resident = Resident.objects.visible_to(people["shuji"]).filter(
        party_member__isnull=True, birth_date__year__lt=1980
    )[0]
    # when she is registered, then moved to the retired list
    member = services.register_member(
        actor=people["shuji"], resident=resident, org=committee, status="in_service"
    )
    services.update_member(
        actor=people["shuji"], member=member, status=MemberStatus.RETIRED
    )
    # then both writes are audited, the change with its values
    assert entries_for(member).filter(action=AuditAction.CREATE).count() == 1
    (entry,) = entries_for(member).filter(action=AuditAction.UPDATE)
    assert entry.changes["status"] == ["in_service", "retired"]


def test_joint_committee_rosters_are_audited(people, committee):
    # when a unit joins the 大党委 and sends a part-time committee member
    unit = Unit.objects.exclude(joint_committees__committee=committee).first()
    joined = services.add_joint_unit(
        actor=people["shuji"], committee=committee, unit=unit
    )
    part_time = services.add_part_time_member(
        actor=people["shuji"], committee=committee, name="钱审计", unit=unit
    )
    # then each is audited
    assert entries_for(joined).filter(action=AuditAction.CREATE).count() == 1
    assert entries_for(part_time).filter(action=AuditAction.CREATE).count() == 1
    assert JointCommitteeUnit.objects.filter(pk=joined.pk).exists()
    assert PartTimeMember.objects.filter(pk=part_time.pk).exists()


def test_a_roster_check_and_each_decision_are_audited(people, committee):
    # given an in-service member of the community, listed by name only
    member = PartyMember.objects.filter(
        place__in=Place.objects.subtree_of(committee.place),
        status=MemberStatus.IN_SERVICE,
    ).select_related("resident")[0]
    roster = f"姓名,身份证号\n{member.resident.name},\n".encode()
    # when the community checks the roster
    check = services.start_check(
        actor=people["shuji"],
        community=committee.place,
        unit=None,
        upload=SimpleUploadedFile("名单.csv", roster),
    )
    # then the check is audited
    assert (
        entries_for(check).filter(action=AuditAction.CREATE).get().changes["roster"]
        == 1
    )
    # when the doubtful pair is settled as the same person
    pair = RosterPair.objects.get(roster_check=check, kind=PairKind.REVIEW)
    services.decide(
        actor=people["shuji"], pair=pair, same_person=True, version=pair.version
    )
    # then the decision is audited on the check, naming the pair
    (entry,) = entries_for(check).filter(action=AuditAction.UPDATE)
    assert entry.changes == {"pair": pair.pk, "same_person": True}


def test_the_members_ledger_is_audited_row_by_row_and_as_an_import(
    people, committee, run_import
):
    # given a members ledger naming a resident who is not a member yet
    resident = Resident.objects.visible_to(people["shuji"]).filter(
        party_member__isnull=True, birth_date__year__lt=1980
    )[0]
    ledger = (
        f"身份证号,党员状态,所在党组织\n{resident.id_number},离退休,{committee.name}\n"
    )
    # when it is imported
    job = run_import(people["shuji"], "members", ledger.encode(), "党员.csv")
    # then the new member and the import are each audited
    member = PartyMember.objects.get(resident=resident)
    assert job.created == 1 and member.org == committee
    assert entries_for(member).filter(action=AuditAction.CREATE).count() == 1
    assert entries_for(job).filter(action=AuditAction.IMPORT).count() == 1


def test_a_member_whose_employer_is_unknown_is_refused_not_left_without_one(
    people, committee, run_import
):
    # given a members ledger whose 工作单位 names no unit the secretary can see
    resident = Resident.objects.visible_to(people["shuji"]).filter(
        party_member__isnull=True, birth_date__year__lt=1980
    )[0]
    ledger = (
        "身份证号,党员状态,所在党组织,工作单位\n"
        f"{resident.id_number},在职,{committee.name},不存在的单位\n"
    )
    # when it is imported
    job = run_import(people["shuji"], "members", ledger.encode(), "党员.csv")
    # then the row is refused with its number and the reason, and nobody is added
    assert job.created == 0
    assert "工作单位“不存在的单位”不在单位库中" in job.errors[2]
    assert not PartyMember.objects.filter(resident=resident).exists()
