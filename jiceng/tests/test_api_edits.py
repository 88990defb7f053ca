"""The corrections the pages make are in the API too, through the same services:
moving and dissolving a party organisation, transferring a member, splitting and
merging households, cancelling an activity. A stale version answers 409, a row
outside scope 404."""

import pytest

from jiceng.party.models import MemberStatus, PartyMember, PartyOrg, PartyOrgKind
from jiceng.people.models import Household, Resident
from jiceng.volunteer.models import Activity, ActivityStatus

pytestmark = pytest.mark.django_db

API = "/api/v1"


def post(client, url, data):
    return client.post(API + url, data, content_type="application/json")


def test_a_member_is_transferred_out_and_a_stale_version_answers_409(api_for, people):
    member = PartyMember.objects.visible_to(people["shuji"], "change").filter(
        status=MemberStatus.IN_SERVICE
    )[0]
    body = {"reason": "迁居外地", "destination": "外省某社区党委", "version": 0}
    body["version"] = member.version
    response = post(api_for("shuji"), f"/members/{member.pk}/transfer", body)
    assert response.status_code == 201, response.content
    assert response.json()["kind"] == "out"
    member.refresh_from_db()
    assert member.status == MemberStatus.TRANSFERRED_OUT
    again = post(api_for("shuji"), f"/members/{member.pk}/transfer", body)
    assert again.status_code == 409
    foreign = post(api_for("jiedao2"), f"/members/{member.pk}/transfer", body)
    assert foreign.status_code == 404


def test_an_organisation_cannot_move_under_its_own_branch(api_for, people):
    committee = PartyOrg.objects.get(
        kind=PartyOrgKind.COMMUNITY_COMMITTEE, place__assignments__user=people["shuji"]
    )
    branch = PartyOrg.objects.get_children(committee)[0]
    response = post(
        api_for("jiedao"),
        f"/party-orgs/{committee.pk}/move",
        {"new_parent_id": branch.pk, "version": committee.version},
    )
    assert response.status_code == 422
    assert PartyOrg.objects.get_parent(PartyOrg.objects.get(pk=committee.pk)) != branch


def test_households_split_and_merge_through_the_api(api_for, people):
    household = next(
        h
        for h in Household.objects.visible_to(people["shuji"], "change").exclude(
            head=None
        )
        if Resident.objects.filter(household=h).count() >= 2
    )
    mover = Resident.objects.filter(household=household).exclude(pk=household.head_id)[
        0
    ]
    response = post(
        api_for("shuji"),
        f"/households/{household.pk}/split",
        {
            "resident_ids": [mover.pk],
            "head_id": mover.pk,
            "number": "API-0001",
            "version": household.version,
        },
    )
    assert response.status_code == 201, response.content
    new_id = response.json()["id"]
    household.refresh_from_db()
    response = post(
        api_for("shuji"),
        f"/households/{household.pk}/merge",
        {"other_id": new_id, "version": household.version},
    )
    assert response.status_code == 200, response.content
    mover.refresh_from_db()
    assert mover.household_id == household.pk
    assert not Household.objects.filter(pk=new_id).exists()


def test_an_activity_is_cancelled_through_the_api(api_for, people):
    activity = Activity.objects.visible_to(people["shuji"], "manage").filter(
        status=ActivityStatus.PUBLISHED
    )[0]
    url = f"/volunteer/activities/{activity.pk}/cancel"
    stale = post(api_for("shuji"), url, {"version": activity.version + 1})
    assert stale.status_code == 409
    response = post(api_for("shuji"), url, {"version": activity.version})
    assert response.status_code == 200
    assert response.json()["status"] == ActivityStatus.CANCELLED
    assert post(api_for("jiedao2"), url, {"version": 0}).status_code == 404
