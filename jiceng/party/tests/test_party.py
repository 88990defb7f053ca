"""The party-organisation tree on places, members and 大工委/大党委 rosters."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from jiceng.party import services
from jiceng.party.models import PartyMember, PartyOrg, PartyOrgKind
from jiceng.people.models import Resident, Unit
from jiceng.places.models import Place, PlaceKind

pytestmark = pytest.mark.django_db


def test_the_demo_tree_has_five_levels_anchored_on_matching_places():
    kinds = set(PartyOrg.objects.values_list("kind", flat=True))
    assert {
        PartyOrgKind.STREET_COMMITTEE,
        PartyOrgKind.COMMUNITY_COMMITTEE,
        PartyOrgKind.GRID_BRANCH,
        PartyOrgKind.BUILDING_GROUP,
        PartyOrgKind.MEMBER_HOUSEHOLD,
    } <= kinds
    branch = (
        PartyOrg.objects.filter(kind=PartyOrgKind.GRID_BRANCH)
        .select_related("place")
        .first()
    )
    assert branch.place.kind == PlaceKind.GRID
    assert PartyOrg.objects.get_parent(branch).kind == PartyOrgKind.COMMUNITY_COMMITTEE
    assert branch.place.path.startswith(PartyOrg.objects.get_parent(branch).place.path)


def test_a_grid_branch_must_sit_on_a_grid_inside_its_committee(people):
    committee = PartyOrg.objects.get(
        kind=PartyOrgKind.COMMUNITY_COMMITTEE, place__assignments__user=people["shuji"]
    )
    community = committee.place
    with pytest.raises(ValidationError) as info:
        services.create_org(
            actor=people["shuji"],
            parent=committee,
            kind=PartyOrgKind.GRID_BRANCH,
            name="错位支部",
            place=community,
        )
    assert "驻地层级" in info.value.messages[0]
    grid = Place.objects.get_children(community).first()
    branch = services.create_org(
        actor=people["shuji"],
        parent=committee,
        kind=PartyOrgKind.GRID_BRANCH,
        name="新网格党支部",
        place=grid,
    )
    assert PartyOrg.objects.get_parent(branch) == committee


def test_registering_a_member_places_them_where_their_org_sits(people):
    user = people["shuji"]
    resident = (
        Resident.objects.visible_to(user)
        .filter(party_member__isnull=True, birth_date__year__lt=1990)
        .first()
    )
    grid = resident.place.ancestor_of_kind(PlaceKind.GRID)
    branch = PartyOrg.objects.get(kind=PartyOrgKind.GRID_BRANCH, place=grid)
    member = services.register_member(
        actor=user, resident=resident, org=branch, status="retired"
    )
    assert member.place == grid
    with pytest.raises(ValidationError):
        services.register_member(actor=user, resident=resident, status="retired")


def test_members_joining_before_eighteen_are_refused(people):
    user = people["shuji"]
    resident = (
        Resident.objects.visible_to(user)
        .filter(party_member__isnull=True, birth_date__isnull=False)
        .order_by("birth_date")
        .first()
    )
    too_early = date(resident.birth_date.year + 10, 1, 1)
    with pytest.raises(ValidationError) as info:
        services.register_member(
            actor=user, resident=resident, status="retired", joined_on=too_early
        )
    assert "18" in str(info.value)


def test_joint_committee_rosters(people):
    committee = PartyOrg.objects.get(
        kind=PartyOrgKind.COMMUNITY_COMMITTEE, place__assignments__user=people["shuji"]
    )
    assert committee.is_joint_committee and committee.member_units.exists()
    outsider = Unit.objects.exclude(joint_committees__committee=committee).first()
    with pytest.raises(ValidationError):
        services.add_part_time_member(
            actor=people["shuji"], committee=committee, name="赵六", unit=outsider
        )
    services.add_joint_unit(actor=people["shuji"], committee=committee, unit=outsider)
    services.add_part_time_member(
        actor=people["shuji"],
        committee=committee,
        name="赵六",
        unit=outsider,
        position="党支部书记",
    )
    assert committee.part_time_members.filter(name="赵六").exists()
    other = (
        PartyOrg.objects.filter(kind=PartyOrgKind.COMMUNITY_COMMITTEE)
        .exclude(
            place__in=Place.objects.subtree_of(
                Place.objects.get_parent(committee.place)
            )
        )
        .first()
    )
    with pytest.raises(PermissionDenied):
        services.add_joint_unit(actor=people["shuji"], committee=other, unit=outsider)


def test_org_pages_show_members_of_the_subtree(client_for, people):
    committee = PartyOrg.objects.get(
        kind=PartyOrgKind.COMMUNITY_COMMITTEE, place__assignments__user=people["shuji"]
    )
    response = client_for("shuji").get(f"/party/orgs/{committee.pk}/")
    assert response.status_code == 200
    shown = response.context["page"].paginator.count
    assert (
        shown
        == PartyMember.objects.filter(
            org__in=PartyOrg.objects.get_tree(committee)
        ).count()
        > 0
    )
    assert client_for("wangge2").get(f"/party/orgs/{committee.pk}/").status_code == 404


def test_the_register_form_offers_only_orgs_on_the_residents_path(client_for, people):
    resident = (
        Resident.objects.visible_to(people["shuji"])
        .filter(party_member__isnull=True)
        .first()
    )
    form = (
        client_for("shuji")
        .get(f"/party/members/register/{resident.pk}/")
        .context["form"]
    )
    offered = list(form.fields["org"].queryset)
    assert offered and all(
        resident.place.path.startswith(o.place.path) for o in offered
    )


def test_org_and_member_api_follow_scope(api_for, people):
    grid_orgs = api_for("wangge").get("/api/v1/party-orgs/?limit=500").json()
    grids = Place.objects.filter(assignments__user=people["wangge"])
    assert (
        grid_orgs["count"]
        == PartyOrg.objects.filter(
            place__path__regex=r"^(" + "|".join(g.path for g in grids) + ")"
        ).count()
    )
    street2 = Place.objects.filter(kind="street").order_by("code")[1]
    street2_member = PartyMember.objects.filter(
        place__in=Place.objects.subtree_of(street2)
    ).first()
    assert (
        api_for("wangge").get(f"/api/v1/members/{street2_member.pk}").status_code == 404
    )
    assert (
        api_for("jiedao2").get(f"/api/v1/members/{street2_member.pk}").status_code
        == 200
    )


def test_the_member_api_takes_only_units_in_the_callers_scope(api_for, people):
    # given a resident the community secretary may see, and a unit she may not
    resident = Resident.objects.visible_to(people["shuji"]).filter(
        party_member__isnull=True, birth_date__year__lt=1980
    )[0]
    foreign_unit = Unit.objects.exclude(
        pk__in=Unit.objects.visible_to(people["shuji"])
    ).first()
    # when she registers the resident as a member of that unit through the API
    response = api_for("shuji").post(
        "/api/v1/members/",
        {
            "resident_id": resident.pk,
            "status": "in_service",
            "unit_id": foreign_unit.pk,
        },
        content_type="application/json",
    )
    # then the unit is not found for her, and nobody is registered
    assert response.status_code == 404
    assert not PartyMember.objects.filter(resident=resident).exists()
