"""Households are registered, split (分户) and merged (合户) from their pages; every
resident stays in exactly one household, the moves keep the residence history, and
each write is audited. Two registrars at once: the second is told."""

import pytest
from django.core.exceptions import ValidationError

from jiceng.core.audit import entries_for
from jiceng.core.errors import Conflict
from jiceng.core.models import AuditAction, AuditEntry
from jiceng.people import services
from jiceng.people.models import Household, Occupancy, Relation, Resident
from jiceng.places.models import Place, PlaceKind

pytestmark = pytest.mark.django_db


def household_of(user, size=3):
    """A household in the user's scope with at least `size` members and a head."""
    for household in Household.objects.visible_to(user, "change").exclude(head=None):
        if Resident.objects.filter(household=household).count() >= size:
            return household
    pytest.skip("no household that large in the demo")


def every_resident_in_one_household(residents):
    for resident in residents:
        resident.refresh_from_db()
        assert resident.household_id is not None
        assert Household.objects.filter(pk=resident.household_id).exists()


def test_a_split_moves_the_chosen_members_into_a_new_household(client_for, people):
    # given a household of three or more
    household = household_of(people["shuji"])
    members = list(Resident.objects.filter(household=household).order_by("pk"))
    leaving = [m for m in members if m.pk != household.head_id][:1]
    # when the registrar splits one member off into a new household at the same address
    response = client_for("shuji").post(
        f"/people/households/{household.pk}/split/",
        {
            "residents": [r.pk for r in leaving],
            "head": leaving[0].pk,
            "number": household.number + "-分",
            "place_code": household.place.code,
            "version": household.version,
        },
    )
    # then the new household holds exactly that member, as its head
    assert response.status_code == 302
    new = Household.objects.get(number=household.number + "-分")
    assert list(Resident.objects.filter(household=new)) == leaving
    assert new.head == leaving[0]
    leaving[0].refresh_from_db()
    assert leaving[0].relation == Relation.HEAD
    # and the others stay, everyone in exactly one household
    staying = Resident.objects.filter(household=household).count()
    assert staying == len(members) - 1
    every_resident_in_one_household(members)
    # and the history and the audit remember it
    assert Occupancy.objects.filter(resident=leaving[0], household=household).exists()
    assert entries_for(new).first().changes["split_from"] == household.number
    assert entries_for(household).first().changes["split_to"] == new.number


def test_a_split_to_another_dwelling_in_scope(people):
    household = household_of(people["shuji"], size=2)
    member = (
        Resident.objects.filter(household=household)
        .exclude(pk=household.head_id)
        .first()
    )
    other = (
        Place.objects.visible_to(people["shuji"])
        .filter(kind=PlaceKind.DWELLING)
        .exclude(pk=household.place_id)
        .first()
    )
    new = services.split_household(
        actor=people["shuji"],
        household=household,
        residents=[member],
        head=member,
        number="NEW-0001",
        place=other,
        version=household.version,
    )
    member.refresh_from_db()
    assert new.place == other and member.place == other


def test_a_split_that_takes_the_head_names_one_who_stays(people):
    household = household_of(people["shuji"])
    head = household.head
    others = list(Resident.objects.filter(household=household).exclude(pk=head.pk))
    kwargs = dict(
        actor=people["shuji"],
        household=household,
        residents=[head],
        head=head,
        number="NEW-0002",
    )
    # without naming a new head for those who stay, the split is refused
    with pytest.raises(ValidationError) as info:
        services.split_household(**kwargs)
    assert "remaining_head" in info.value.message_dict
    # naming one, it goes through
    services.split_household(**kwargs, remaining_head=others[0])
    household.refresh_from_db()
    assert household.head == others[0]
    others[0].refresh_from_db()
    assert others[0].relation == Relation.HEAD


def test_a_split_must_leave_someone_and_move_someone(people):
    household = household_of(people["shuji"], size=2)
    everyone = list(Resident.objects.filter(household=household))
    with pytest.raises(ValidationError):
        services.split_household(
            actor=people["shuji"],
            household=household,
            residents=everyone,
            head=everyone[0],
            number="NEW-0003",
        )
    with pytest.raises(ValidationError):
        services.split_household(
            actor=people["shuji"],
            household=household,
            residents=[],
            head=everyone[0],
            number="NEW-0003",
        )
    assert not Household.objects.filter(number="NEW-0003").exists()


def test_a_merge_brings_every_member_into_one_household(client_for, people):
    # given two households of the same compound
    household = household_of(people["shuji"], size=1)
    from jiceng.people.views.households import merge_candidates

    other = merge_candidates(people["shuji"], household)[0]
    joining = list(Resident.objects.filter(household=other))
    before = Resident.objects.filter(household=household).count()
    # when the registrar merges the other into this one
    response = client_for("shuji").post(
        f"/people/households/{household.pk}/merge/",
        {"other": other.pk, "version": household.version, "confirm": "on"},
    )
    # then every member of both lives in this household, at its address
    assert response.status_code == 302
    assert not Household.objects.filter(pk=other.pk).exists()
    assert Resident.objects.filter(household=household).count() == before + len(joining)
    for resident in joining:
        resident.refresh_from_db()
        assert resident.household == household
        assert resident.place == household.place
        assert resident.relation != Relation.HEAD
    # and one head, the household's own
    household.refresh_from_db()
    heads = Resident.objects.filter(household=household, relation=Relation.HEAD)
    assert list(heads) == [household.head]
    entry = AuditEntry.objects.filter(
        target_type="people.household", target_id=str(other.pk)
    ).first()
    assert entry.action == AuditAction.DELETE
    assert entries_for(household).first().changes["merged"] == other.number


def test_two_registrars_splitting_at_once_the_second_is_told(people):
    household = household_of(people["shuji"])
    version = household.version
    members = list(
        Resident.objects.filter(household=household).exclude(pk=household.head_id)
    )
    services.split_household(
        actor=people["shuji"],
        household=household,
        residents=members[:1],
        head=members[0],
        number="NEW-0004",
        version=version,
    )
    with pytest.raises(Conflict):
        services.split_household(
            actor=people["shuji"],
            household=household,
            residents=members[1:2],
            head=members[1],
            number="NEW-0005",
            version=version,
        )
    assert not Household.objects.filter(number="NEW-0005").exists()


def test_a_household_is_registered_with_a_resident_as_its_head(client_for, people):
    resident = (
        Resident.objects.visible_to(people["shuji"], "change")
        .filter(household=None, place__kind=PlaceKind.DWELLING)
        .first()
    )
    if resident is None:
        resident = Resident.objects.visible_to(people["shuji"], "change").filter(
            place__kind=PlaceKind.DWELLING
        )[0]
    response = client_for("shuji").post(
        f"/people/households/new/?resident={resident.pk}",
        {"number": "NEW-0006", "place_code": resident.place.code},
    )
    assert response.status_code == 302
    household = Household.objects.get(number="NEW-0006")
    resident.refresh_from_db()
    assert household.head == resident and resident.household == household
    assert entries_for(household).first().action == AuditAction.CREATE
    # a number already taken is refused, keeping what was typed
    again = client_for("shuji").post(
        "/people/households/new/",
        {"number": "NEW-0006", "place_code": resident.place.code, "note": "备注文字"},
    )
    assert again.status_code == 400 and "备注文字" in again.content.decode()


def test_household_edit_pages_are_404_outside_scope_and_403_without_the_role(
    client_for, people
):
    household = household_of(people["shuji"], size=1)
    for page in ("split", "merge"):
        url = f"/people/households/{household.pk}/{page}/"
        assert client_for("shuji").get(url).status_code == 200
        assert client_for("jiedao2").get(url).status_code == 404
        assert client_for("dangyuan").get(url).status_code == 403
    # the split and merge links show only to those who may change the household
    page = client_for("shuji").get(f"/people/households/{household.pk}/")
    assert f"/people/households/{household.pk}/split/" in page.content.decode()
    reader = client_for("loudong").get(f"/people/households/{household.pk}/")
    if reader.status_code == 200:
        assert f"/households/{household.pk}/split/" not in reader.content.decode()
