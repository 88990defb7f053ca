"""A grid worker registers and updates residents; bad input keeps what was typed."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from jiceng.core.models import AuditAction, AuditEntry
from jiceng.people import services
from jiceng.people.models import Occupancy, Resident
from jiceng.places.models import Place, PlaceKind

pytestmark = pytest.mark.django_db
NEW_ID = "110105194912310046"  # valid checksum, not in the demo data


@pytest.fixture
def dwelling(people):
    grid = (
        Place.objects.filter(assignments__user=people["wangge"])
        .order_by("code")
        .first()
    )
    return Place.objects.subtree_of(grid).filter(kind=PlaceKind.DWELLING).first()


def test_registering_a_resident_derives_birth_and_sex_and_records_moving_in(
    people, dwelling
):
    # given a dwelling in wangge's grid
    # when wangge registers a resident with messy input
    resident = services.create_resident(
        actor=people["wangge"],
        place=dwelling,
        name=" 王小红 ",
        id_number="１１０１０５１９４９１２３１００４６",
        phone="1.3800138000E10",
    )
    # then the values are normalised, derived, protected and audited
    resident.refresh_from_db()
    assert resident.name == "王小红" and resident.id_number == NEW_ID
    assert str(resident.birth_date) == "1949-12-31" and resident.sex == "F"
    assert resident.phone_mask == "138****8000"
    assert resident.place == dwelling
    assert resident.moved_in_on == timezone.localdate()
    assert not Occupancy.objects.filter(resident=resident).exists()
    entry = AuditEntry.objects.get(
        action=AuditAction.CREATE,
        target_id=str(resident.pk),
        target_type="people.resident",
    )
    assert NEW_ID not in str(entry.changes) and entry.changes["id_number"] == [
        "***",
        "***",
    ]


def test_the_same_id_number_cannot_be_registered_twice(people, dwelling):
    existing = Resident.objects.first()
    with pytest.raises(ValidationError) as info:
        services.create_resident(
            actor=people["quadmin"],
            place=dwelling,
            name="重复",
            id_number=existing.id_number,
        )
    assert "已在系统中登记" in str(info.value)


def test_an_invalid_form_keeps_what_was_typed(client_for, dwelling):
    before = Resident.objects.count()
    response = client_for("wangge").post(
        "/people/residents/new/",
        {
            "name": "李四",
            "id_number": "110105194912310021",
            "phone": "12345",
            "place_code": dwelling.code,
            "residence_type": "tenant",
            "note": "三楼东户",
        },
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "身份证号校验位错误" in html
    assert 'value="李四"' in html and "三楼东户" in html and 'value="12345"' in html
    assert Resident.objects.count() == before


def test_moving_house_keeps_the_history(people, dwelling):
    resident = (
        Resident.objects.visible_to(people["wangge"]).exclude(place=dwelling).first()
    )
    old_place, old_household = resident.place, resident.household
    moved_in = resident.moved_in_on
    services.update_resident(actor=people["wangge"], resident=resident, place=dwelling)
    resident.refresh_from_db()
    today = timezone.localdate()
    assert resident.place == dwelling and resident.moved_in_on == today
    (before,) = Occupancy.objects.filter(resident=resident)
    assert (before.place, before.household) == (old_place, old_household)
    assert (before.started_on, before.ended_on) == (moved_in, today)


def test_blank_protected_fields_in_an_edit_keep_the_stored_values(client_for, people):
    resident = (
        Resident.objects.visible_to(people["wangge"]).exclude(phone_mask="").first()
    )
    id_number, phone = resident.id_number, resident.phone
    response = client_for("wangge").post(
        f"/people/residents/{resident.pk}/edit/",
        {
            "name": resident.name + "（更正）",
            "id_number": "",
            "phone": "",
            "place_code": resident.place.code,
            "residence_type": resident.residence_type,
        },
    )
    assert response.status_code == 302
    resident.refresh_from_db()
    assert resident.id_number == id_number and resident.phone == phone
    assert resident.name.endswith("（更正）")


def test_search_by_name_and_by_tail(client_for, people):
    resident = (
        Resident.objects.visible_to(people["wangge"]).exclude(phone_mask="").first()
    )
    client = client_for("wangge")
    by_name = client.get("/people/residents/", {"q": resident.name}).context["page"]
    assert resident in by_name.object_list
    tail = resident.id_number[-4:]
    by_tail = client.get("/people/residents/", {"q": tail}).context["page"]
    assert resident in by_tail.object_list
    assert all(
        r.id_number.endswith(tail) or r.phone.endswith(tail)
        for r in by_tail.object_list
    )


def test_a_searched_list_reads_its_pages_between_its_own_lowest_and_highest_id(
    client_for, people
):
    # given the community worker's residents named 王, newest first, read whole
    client = client_for("shegong")
    expected = list(
        Resident.objects.visible_to(people["shegong"])
        .filter(name__contains="王")
        .order_by("-id")
        .values_list("pk", flat=True)
    )
    assert len(expected) > 25

    # when the list is searched and read page by page
    pages, number = [], 1
    while True:
        page = client.get("/people/residents/", {"q": "王", "page": number}).context[
            "page"
        ]
        pages += [r.pk for r in page.object_list]
        if not page.has_next():
            break
        number += 1

    # then every resident is listed once, in the same order, and counted
    assert pages == expected
    assert page.paginator.count == len(expected)
    # and the pages were read within the list's own ids, not the whole table
    bounds = str(page.paginator.object_list.query)
    assert f"BETWEEN {min(expected)} AND {max(expected)}" in bounds


def test_the_api_pages_a_search_as_the_list_page_does(api_for, people):
    # given the community worker's residents named 王, newest first, read whole
    expected = list(
        Resident.objects.visible_to(people["shegong"])
        .filter(name__contains="王")
        .order_by("-id")
        .values_list("pk", flat=True)
    )

    # when an API client reads the search 40 at a time
    api, found, offset = api_for("shegong"), [], 0
    while True:
        body = api.get(
            "/api/v1/residents/", {"q": "王", "limit": 40, "offset": offset}
        ).json()
        found += [row["id"] for row in body["items"]]
        offset += 40
        if offset >= body["count"]:
            break

    # then it holds every resident once, in the same order, and the same count
    assert found == expected
    assert body["count"] == len(expected)


def test_list_pages_have_bounded_queries(client_for, django_assert_max_num_queries):
    client = client_for("quadmin")
    for url in [
        "/people/residents/",
        "/people/households/",
        "/people/units/",
        "/party/members/",
        "/party/orgs/",
    ]:
        with django_assert_max_num_queries(12):
            assert client.get(url).status_code == 200


def test_list_filters_return_htmx_fragments(client_for):
    response = client_for("shuji").get(
        "/people/residents/",
        {"residence_type": "tenant"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="results",
    )
    html = response.content.decode()
    assert "<html" not in html and "resident-table" in html


def test_search_by_address_finds_the_buildings_residents(client_for, people):
    resident = (
        Resident.objects.visible_to(people["shuji"])
        .filter(place__kind=PlaceKind.DWELLING)
        .select_related("place")
        .first()
    )
    ancestors = {p.kind: p for p in Place.objects.get_ancestors(resident.place)}
    query = f"{ancestors['compound'].name} {ancestors['building'].name}"
    response = client_for("shuji").get("/people/residents/", {"q": query})
    found = list(response.context["filter"].qs)
    assert resident in found
    building = ancestors["building"]
    assert all(r.place.path.startswith(building.path) for r in found)


def test_a_dwelling_page_lists_who_lives_there_now_and_before(
    client_for, people, dwelling
):
    resident = (
        Resident.objects.visible_to(people["wangge"])
        .exclude(place=dwelling)
        .exclude(household=None)
        .first()
    )
    old_place, old_household = resident.place, resident.household
    services.update_resident(actor=people["wangge"], resident=resident, place=dwelling)
    html = client_for("wangge").get(old_place.get_absolute_url()).content.decode()
    assert resident.name in html and "已迁出" in html
    html = client_for("wangge").get(dwelling.get_absolute_url()).content.decode()
    assert resident.name in html and "至今" in html
    # and the household they left lists them as a former member
    html = client_for("wangge").get(old_household.get_absolute_url()).content.decode()
    assert resident.name in html.split('data-testid="past-members"')[1]
    # and the resident's own page lists both stays, the current one first
    html = client_for("wangge").get(resident.get_absolute_url()).content.decode()
    stays = html[html.index('data-testid="stays"') :]
    assert stays.index(dwelling.name) < stays.index(old_place.name)


def test_party_membership_shows_only_to_those_who_may_see_it(client_for, people):
    # given a party member living in a building the building lead covers
    from jiceng.party.models import PartyMember

    member = (
        PartyMember.objects.filter(
            resident__in=Resident.objects.visible_to(people["loudong"])
        )
        .select_related("resident")
        .first()
    )
    url = f"/people/residents/{member.resident.pk}/"
    # when the community secretary opens the resident's page
    page = client_for("shuji").get(url)
    # then the membership is shown
    assert page.status_code == 200 and "党员信息" in page.content.decode()
    # when the building lead (no party.view) opens it
    page = client_for("loudong").get(url)
    # then the resident is there, the membership is not
    html = page.content.decode()
    assert page.status_code == 200 and member.resident.name in html
    assert "党员信息" not in html
