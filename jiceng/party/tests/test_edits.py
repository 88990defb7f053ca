"""Everything created in the party registers can be corrected: organisations are
renamed, moved under another parent and dissolved (their members moved on), a
大工委's member units and part-time members removed, members transferred and their
status changed. Each write is audited; two people editing at once are told."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from jiceng.core.audit import entries_for
from jiceng.core.errors import Conflict
from jiceng.core.models import AuditAction, AuditEntry
from jiceng.party import services
from jiceng.party.models import (
    JointCommitteeUnit,
    MemberStatus,
    MemberTransfer,
    PartTimeMember,
    PartyMember,
    PartyOrg,
    PartyOrgKind,
    TransferKind,
)
from jiceng.people.models import Unit
from jiceng.places.models import Place

pytestmark = pytest.mark.django_db


@pytest.fixture
def committee(people):
    return PartyOrg.objects.get(
        kind=PartyOrgKind.COMMUNITY_COMMITTEE, place__assignments__user=people["shuji"]
    )


@pytest.fixture
def branch(committee):
    return PartyOrg.objects.get_children(committee).filter(
        kind=PartyOrgKind.GRID_BRANCH
    )[0]


@pytest.fixture
def twin_branch(people, committee, branch):
    """A second branch on the same grid: somewhere a building group may move to."""
    return services.create_org(
        actor=people["shuji"],
        parent=committee,
        kind=PartyOrgKind.GRID_BRANCH,
        name="第二党支部",
        place=branch.place,
    )


@pytest.fixture
def group(people, branch):
    """A building group with its own member under the branch."""
    compound = Place.objects.get_children(branch.place)[0]
    return services.create_org(
        actor=people["shuji"],
        parent=branch,
        kind=PartyOrgKind.BUILDING_GROUP,
        name="一号院党小组",
        place=compound,
    )


def a_member_of(org, *, but=()):
    """An in-service member of the org's community, put into the org."""
    community = org.place.ancestor_of_kind("community")
    member = (
        PartyMember.objects.filter(
            place__path__startswith=community.path, status=MemberStatus.IN_SERVICE
        )
        .exclude(pk__in=[m.pk for m in but])
        .first()
    )
    member.org, member.place = org, org.place
    member.save()
    return member


# --- organisations ------------------------------------------------------------


def test_renaming_an_organisation_is_audited_and_a_stale_form_is_told(
    client_for, branch
):
    # given two people who opened the edit page at the same version
    page = f"/party/orgs/{branch.pk}/edit/"
    assert client_for("shuji").get(page).status_code == 200
    form = {"name": "幸福网格党支部", "note": "", "version": branch.version}
    # when the first saves a new name
    response = client_for("shuji").post(page, form)
    # then it is renamed and audited
    assert response.status_code == 302
    branch.refresh_from_db()
    assert branch.name == "幸福网格党支部"
    row = entries_for(branch).first()
    assert row.action == AuditAction.UPDATE
    assert row.changes["name"][1] == "幸福网格党支部"
    # and the second, saving from the old page, is told and keeps what they typed
    response = client_for("jiedao").post(page, {**form, "name": "别的名字"})
    assert response.status_code == 400
    assert "已被他人更新" in response.content.decode()
    assert "别的名字" in response.content.decode()
    branch.refresh_from_db()
    assert branch.name == "幸福网格党支部"


def test_moving_a_group_under_another_branch_keeps_the_tree_consistent(
    client_for, people, group, twin_branch
):
    # given a building group with a member, under the first branch
    member = a_member_of(group)
    # when the secretary moves it under the second branch on the same grid
    response = client_for("shuji").post(
        f"/party/orgs/{group.pk}/move/",
        {"new_parent": twin_branch.pk, "version": group.version},
    )
    # then it hangs under the new parent, its path inside the parent's
    assert response.status_code == 302
    group.refresh_from_db()
    assert PartyOrg.objects.get_parent(group) == twin_branch
    assert group.path.startswith(twin_branch.path)
    assert PartyOrg.objects.find_problems() == ([], [], [], [], [])
    # and its members go with it, still in scope, and the move is audited
    member.refresh_from_db()
    assert member.org == group
    assert entries_for(group).first().action == AuditAction.MOVE


def test_an_organisation_cannot_move_under_itself_or_its_own(people, branch, group):
    # when the branch is put under its own building group
    with pytest.raises(ValidationError) as info:
        services.move_org(actor=people["shuji"], org=branch, new_parent=group)
    # then the move is refused and nothing changed
    assert "下级" in info.value.messages[0]
    assert (
        PartyOrg.objects.get_parent(PartyOrg.objects.get(pk=group.pk)).pk == branch.pk
    )


def test_the_move_page_offers_only_parents_that_make_no_cycle(
    client_for, branch, group, twin_branch
):
    # when the secretary opens the move page of the first branch's group
    response = client_for("shuji").get(f"/party/orgs/{group.pk}/move/")
    # then the other branch is offered, the group's own parent and itself are not
    choices = {o.pk for o in response.context["form"].fields["new_parent"].queryset}
    assert twin_branch.pk in choices
    assert group.pk not in choices


def test_a_move_outside_ones_scope_is_refused(people, group):
    # given a branch of another street
    foreign = PartyOrg.objects.visible_to(people["jiedao2"], "change").filter(
        kind=PartyOrgKind.GRID_BRANCH
    )[0]
    # when the community secretary tries to move her group under it
    with pytest.raises(PermissionDenied):
        services.move_org(actor=people["shuji"], org=group, new_parent=foreign)
    assert PartyOrg.objects.get(pk=group.pk).path.startswith(
        PartyOrg.objects.get_parent(group).path
    )


def test_dissolving_moves_every_member_to_the_chosen_organisation(
    client_for, people, group, twin_branch
):
    # given a building group with two members
    first = a_member_of(group)
    second = a_member_of(group, but=[first])
    # when the secretary dissolves it without saying where the members go
    page = f"/party/orgs/{group.pk}/dissolve/"
    refused = client_for("shuji").post(
        page, {"version": group.version, "confirm": "on"}
    )
    # then nothing happens
    assert refused.status_code == 400
    assert PartyOrg.objects.filter(pk=group.pk).exists()
    # when she names the second branch
    response = client_for("shuji").post(
        page,
        {"version": group.version, "confirm": "on", "members_to": twin_branch.pk},
    )
    # then the group is gone and both members belong to the branch, with a record
    assert response.status_code == 302
    assert not PartyOrg.objects.filter(pk=group.pk).exists()
    assert set(PartyMember.objects.filter(org=twin_branch)) >= {first, second}
    assert not PartyMember.objects.filter(org=None, pk__in=[first.pk, second.pk])
    transfer = MemberTransfer.objects.get(member=first)
    assert transfer.kind == TransferKind.WITHIN and "撤销" in transfer.reason
    entry = AuditEntry.objects.filter(
        target_type="party.partyorg", target_id=str(group.pk)
    ).first()
    assert entry.action == AuditAction.DELETE
    assert entry.changes["members"] == 2


def test_an_organisation_with_suborganisations_is_not_dissolved(people, branch):
    with pytest.raises(ValidationError) as info:
        services.dissolve_org(actor=people["shuji"], org=branch, members_to=branch)
    assert "下级组织" in info.value.messages[0]
    assert PartyOrg.objects.filter(pk=branch.pk).exists()


# --- 大工委: member units and part-time members -------------------------------


@pytest.fixture
def joint(people):
    return (
        PartyOrg.objects.visible_to(people["jiedao"], "change")
        .filter(is_joint_committee=True, member_units__isnull=False)
        .distinct()[0]
    )


def test_a_part_time_member_is_added_and_removed_from_the_committee_page(
    client_for, people, joint
):
    # given a member unit of the joint committee
    unit = JointCommitteeUnit.objects.filter(committee=joint)[0].unit
    # when the street adds a part-time member from it
    response = client_for("jiedao").post(
        f"/party/orgs/{joint.pk}/part-time/new/",
        {"name": "王兼职", "unit": unit.pk, "position": "党委副书记"},
    )
    assert response.status_code == 302
    row = PartTimeMember.objects.get(committee=joint, name="王兼职")
    assert entries_for(row).first().action == AuditAction.CREATE
    # and the page shows the remove button
    page = client_for("jiedao").get(f"/party/orgs/{joint.pk}/").content.decode()
    assert f"/party/part-time/{row.pk}/remove/" in page
    # when they remove them
    joint.refresh_from_db()
    response = client_for("jiedao").post(
        f"/party/part-time/{row.pk}/remove/", {"version": joint.version}
    )
    # then the part-time member is gone, and the removal audited
    assert response.status_code == 302
    assert not PartTimeMember.objects.filter(pk=row.pk).exists()
    assert (
        AuditEntry.objects.filter(
            target_type="party.parttimemember", target_id=str(row.pk)
        )
        .first()
        .action
        == AuditAction.DELETE
    )


def test_a_member_unit_is_removed_once_it_has_no_part_time_members(people, joint):
    row = JointCommitteeUnit.objects.filter(committee=joint)[0]
    PartTimeMember.objects.filter(committee=joint, unit=row.unit).delete()
    services.add_part_time_member(
        actor=people["jiedao"], committee=joint, name="李委员", unit=row.unit
    )
    # when the unit still has a part-time member, it stays
    with pytest.raises(ValidationError):
        services.remove_joint_unit(actor=people["jiedao"], row=row)
    # once they are removed, the unit can go
    PartTimeMember.objects.filter(committee=joint, unit=row.unit).delete()
    joint.refresh_from_db()
    services.remove_joint_unit(actor=people["jiedao"], row=row, version=joint.version)
    assert not JointCommitteeUnit.objects.filter(pk=row.pk).exists()
    entry = AuditEntry.objects.filter(
        target_type="party.jointcommitteeunit", target_id=str(row.pk)
    ).first()
    assert entry.action == AuditAction.DELETE


def test_removing_twice_at_once_tells_the_second(people, joint):
    row = JointCommitteeUnit.objects.filter(committee=joint)[0]
    PartTimeMember.objects.filter(committee=joint, unit=row.unit).delete()
    version = joint.version
    services.remove_joint_unit(actor=people["jiedao"], row=row, version=version)
    with pytest.raises(Conflict):
        services.remove_joint_unit(actor=people["jiedao"], row=row, version=version)


def test_out_of_scope_removals_are_404_and_change_nothing(client_for, joint):
    row = JointCommitteeUnit.objects.filter(committee=joint)[0]
    response = client_for("jiedao2").post(
        f"/party/joint-units/{row.pk}/remove/", {"version": joint.version}
    )
    assert response.status_code == 404
    assert JointCommitteeUnit.objects.filter(pk=row.pk).exists()
    # and someone without party.change is refused outright
    response = client_for("wangge").post(f"/party/joint-units/{row.pk}/remove/")
    assert response.status_code == 403


# --- members: status and transfers ---------------------------------------------


def test_a_members_status_is_corrected_and_audited(client_for, branch):
    member = a_member_of(branch)
    response = client_for("shuji").post(
        f"/party/members/{member.pk}/edit/",
        {"status": MemberStatus.RETIRED, "version": member.version, "note": "已退休"},
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.status == MemberStatus.RETIRED
    assert entries_for(member).first().changes["status"] == [
        MemberStatus.IN_SERVICE,
        MemberStatus.RETIRED,
    ]
    # and an edit from the page as it was before is refused
    stale = client_for("shuji").post(
        f"/party/members/{member.pk}/edit/",
        {"status": MemberStatus.MOBILE, "version": member.version - 1},
    )
    assert stale.status_code == 400
    member.refresh_from_db()
    assert member.status == MemberStatus.RETIRED


def test_a_transfer_within_the_district_changes_the_org_with_reason_and_date(
    client_for, branch, twin_branch
):
    member = a_member_of(branch)
    response = client_for("shuji").post(
        f"/party/members/{member.pk}/transfer/",
        {
            "kind": "within",
            "org": twin_branch.pk,
            "reason": "工作调动",
            "on": "2026-11-02",
            "version": member.version,
        },
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.org == twin_branch and member.place == twin_branch.place
    transfer = member.transfers.get()
    assert (transfer.from_org, transfer.to_org) == (branch, twin_branch)
    assert transfer.reason == "工作调动"
    assert transfer.transferred_on == date(2026, 11, 2)
    assert entries_for(member).first().changes["reason"] == "工作调动"
    # the member's page lists the transfer
    page = client_for("shuji").get(f"/party/members/{member.pk}/").content.decode()
    assert "工作调动" in page


def test_a_member_leaves_the_district_and_comes_back(people, branch, twin_branch):
    member = a_member_of(branch)
    services.transfer_out(
        actor=people["shuji"],
        member=member,
        destination="外省某社区党委",
        reason="迁居外地",
        version=member.version,
    )
    member.refresh_from_db()
    assert member.status == MemberStatus.TRANSFERRED_OUT and member.org is None
    assert member.transfers.get().kind == TransferKind.OUT
    # a transferred-out member's status is not edited by hand
    with pytest.raises(ValidationError):
        services.update_member(
            actor=people["shuji"], member=member, status=MemberStatus.IN_SERVICE
        )
    # when they return, they transfer in to a branch and are in service again
    services.transfer_member(
        actor=people["shuji"], member=member, org=twin_branch, reason="返回本区"
    )
    member.refresh_from_db()
    assert member.status == MemberStatus.IN_SERVICE and member.org == twin_branch
    assert member.transfers.first().kind == TransferKind.IN


def test_transfer_and_edit_pages_are_404_outside_scope_and_403_without_the_role(
    client_for, branch
):
    member = a_member_of(branch)
    for page in (
        f"/party/members/{member.pk}/edit/",
        f"/party/members/{member.pk}/transfer/",
        f"/party/orgs/{branch.pk}/edit/",
        f"/party/orgs/{branch.pk}/move/",
        f"/party/orgs/{branch.pk}/dissolve/",
    ):
        assert client_for("jiedao2").get(page).status_code == 404, page
        assert client_for("wangge").get(page).status_code == 403, page
        assert client_for("shuji").get(page).status_code == 200, page


def test_edit_links_show_only_to_those_who_may_use_them(client_for, people, branch):
    member = a_member_of(branch)
    # a grid worker may read the member but not change it
    reader = client_for("wangge").get(f"/party/members/{member.pk}/")
    if reader.status_code == 200:
        assert f"/party/members/{member.pk}/transfer/" not in reader.content.decode()
    writer = client_for("shuji").get(f"/party/members/{member.pk}/").content.decode()
    assert f"/party/members/{member.pk}/transfer/" in writer
    assert f"/party/orgs/{branch.pk}/dissolve/" in (
        client_for("shuji").get(f"/party/orgs/{branch.pk}/").content.decode()
    )
    assert Unit.objects.exists()
