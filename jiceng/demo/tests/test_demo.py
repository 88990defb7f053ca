"""The demo district generator: consistency, idempotency, determinism, demo accounts."""

import json
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db.models import Count, Exists, F, OuterRef

from jiceng.core.models import Assignment, AuditEntry
from jiceng.core.roles import Role
from jiceng.core.validators import (
    validate_credit_code,
    validate_id_number,
    validate_mobile,
)
from jiceng.demo.accounts import DEMO_PASSWORD, USERNAMES
from jiceng.demo.common import DISTRICT_CODE
from jiceng.demo.generator import summarize
from jiceng.party.models import MemberStatus, PartyMember, PartyOrg, PartyOrgKind
from jiceng.people.models import Household, Occupancy, Resident, Unit, UnitKind
from jiceng.places.models import Place, PlaceKind

pytestmark = pytest.mark.django_db


def seed(seed, reset=True):
    out = StringIO()
    call_command("seed_demo", size="small", seed=seed, reset=reset, stdout=out)
    return out.getvalue()


def signature():
    """A sample of what the seed decides: codes, names, ID numbers, structure."""
    return {
        "counts": summarize(),
        "places": list(
            Place.objects.filter(code__startswith=DISTRICT_CODE)
            .order_by("code")
            .values_list("code", "name", "kind", "depth", "numchild", "lat", "lng")[
                ::37
            ]
        ),
        "residents": [
            (
                r.name,
                r.sex,
                r.birth_date,
                r.id_number,
                r.phone,
                r.relation,
                r.residence_type,
            )
            for r in Resident.objects.order_by("place__path", "pk")[::97]
        ],
        "units": list(
            Unit.objects.order_by("credit_code").values_list("credit_code", "name")
        ),
        "orgs": list(
            PartyOrg.objects.order_by("path").values_list("name", "kind", "depth")
        ),
        "members": list(
            PartyMember.objects.order_by(
                "resident__place__path", "resident_id"
            ).values_list("resident__name", "status", "joined_on")
        ),
    }


def test_small_district_is_consistent_and_idempotent():
    seed(11)
    counts = summarize()
    places = counts["places"]
    assert places[PlaceKind.DISTRICT] == 1
    assert places[PlaceKind.STREET] == 2
    assert places[PlaceKind.COMMUNITY] == 4
    assert places[PlaceKind.GRID] == 12
    assert places[PlaceKind.DWELLING] == 2 * 2 * 3 * 2 * 3 * 2 * 6 * 2
    assert 4000 <= counts["residents"] <= 6000
    assert 1400 <= counts["households"] <= 1650
    assert 20 <= counts["units"] <= 40

    # Trees are consistent for treebeard and navigable.
    assert all(not problems for problems in Place.objects.find_problems())
    assert all(not problems for problems in PartyOrg.objects.find_problems())
    district = Place.objects.get(code=DISTRICT_CODE)
    assert Place.objects.get_descendants(district).count() == sum(places.values()) - 1
    streets = list(Place.objects.get_children(district))
    assert [s.code for s in streets] == [f"{DISTRICT_CODE}001", f"{DISTRICT_CODE}002"]
    grid = Place.objects.filter(kind=PlaceKind.GRID).order_by("code").first()
    assert grid.code == f"{DISTRICT_CODE}001001001"
    assert grid.geometry["type"] == "Polygon" and grid.lat and grid.lng
    assert Place.objects.get_parent(grid).kind == PlaceKind.COMMUNITY
    for root in PartyOrg.objects.get_root_nodes():
        assert root.kind == PartyOrgKind.STREET_COMMITTEE and root.is_joint_committee
        assert PartyOrg.objects.get_descendants(root).exists()

    # ID numbers: valid, unique, matching sex and birth date; index and mask filled.
    residents = Resident.objects.all()
    assert residents.filter(id_number_index__isnull=True).count() == 0
    assert residents.filter(id_number_mask="").count() == 0
    assert residents.values("id_number_index").distinct().count() == residents.count()
    for resident in residents.order_by("pk")[::23]:
        facts = validate_id_number(resident.id_number)
        assert facts.birth_date == resident.birth_date
        assert facts.sex == resident.sex
        if resident.phone:
            validate_mobile(resident.phone)
            assert (
                resident.phone_mask == resident.phone[:3] + "****" + resident.phone[-4:]
            )
    for code in Unit.objects.values_list("credit_code", flat=True):
        validate_credit_code(code)

    # Households have heads from among their members; everyone moved in after birth,
    # and some renters lived in another dwelling before, up to the day they moved in.
    assert not Household.objects.filter(head__isnull=True).exists()
    assert not residents.filter(moved_in_on__lt=F("birth_date")).exists()
    stays = Occupancy.objects.select_related("resident")
    assert stays.exists()
    for stay in stays[:300]:
        resident = stay.resident
        assert stay.place_id != resident.place_id
        assert resident.birth_date <= stay.started_on < stay.ended_on
        assert stay.ended_on == resident.moved_in_on
        assert resident.residence_type in ("tenant", "floating")
    # and the flat they left was empty until its present occupants came
    came_before_they_left = Resident.objects.filter(
        place=OuterRef("place"), moved_in_on__lt=OuterRef("ended_on")
    )
    assert not stays.filter(Exists(came_before_they_left)).exists()
    mismatched = [
        h
        for h in Household.objects.select_related("head")[:200]
        if h.head.household_id != h.pk
    ]
    assert not mismatched

    # Party members sit in their grid's branch; joint committees have 3–8 member units.
    assert PartyMember.objects.exclude(org__kind=PartyOrgKind.GRID_BRANCH).count() == 0
    in_service = PartyMember.objects.filter(status=MemberStatus.IN_SERVICE)
    assert in_service.exists() and not in_service.filter(unit__isnull=True).exists()
    joint = PartyOrg.objects.filter(is_joint_committee=True).annotate(
        n=Count("member_units")
    )
    assert joint.count() == 2 + 4
    assert all(3 <= org.n <= 8 for org in joint)
    leads = PartyOrg.objects.filter(kind=PartyOrgKind.MEMBER_HOUSEHOLD)
    assert leads.exists() and not leads.filter(secretary__isnull=True).exists()

    # Demo accounts and their scopes.
    users = {
        u.username: u for u in get_user_model().objects.filter(username__in=USERNAMES)
    }
    assert set(users) == set(USERNAMES)
    assert users["quadmin"].check_password(DEMO_PASSWORD)
    wangge = Assignment.objects.filter(user=users["wangge"]).select_related("place")
    assert [a.place.kind for a in wangge] == [PlaceKind.GRID, PlaceKind.GRID]
    assert len({Place.objects.get_parent(a.place).pk for a in wangge}) == 1
    danwei = Assignment.objects.get(user=users["danwei"])
    assert danwei.unit.party_members.filter(status=MemberStatus.IN_SERVICE).exists()
    wuye = Assignment.objects.get(user=users["wuye"])
    assert wuye.place.kind == PlaceKind.COMPOUND
    assert Unit.objects.filter(place=wuye.place, kind=UnitKind.PROPERTY).exists()
    bumen = Assignment.objects.get(user=users["bumen"])
    assert bumen.department.name == "城市管理局" and bumen.place == district
    member = Resident.objects.get(user=users["dangyuan"])
    assert member.party_member and member.place.path.startswith(wangge[0].place.path)
    assert users["sysadmin"].is_superuser and not users["sysadmin"].assignments.exists()

    # Running again without --reset generates nothing new.
    before = summarize()
    assignments = Assignment.objects.count()
    out = seed(11, reset=False)
    assert "已存在" in out
    assert summarize() == before
    assert Assignment.objects.count() == assignments

    out = StringIO()
    call_command("demo_accounts", json=True, stdout=out)
    rows = json.loads(out.getvalue())
    assert [r["username"] for r in rows] == USERNAMES
    assert all(set(r) == {"username", "password", "role", "scope"} for r in rows)
    roles = {r["username"]: r["role"] for r in rows}
    assert roles["wangge"] == Role.GRID_WORKER and roles["sysadmin"] == "superuser"
    scopes = {r["username"]: r["scope"] for r in rows}
    assert "、" in scopes["wangge"] and scopes["quadmin"] == "中和区"

    out = StringIO()
    call_command("demo_accounts", stdout=out)
    assert "账号" in out.getvalue() and "wangge" in out.getvalue()


def test_same_seed_same_district_and_reset_keeps_audit_log():
    seed(21)
    first = signature()
    user = get_user_model().objects.get(username="shuji")
    AuditEntry.objects.create(actor=user, actor_name=user.username, action="login")

    seed(21)  # --reset, then the same seed again
    assert signature() == first
    assert AuditEntry.objects.filter(actor_name="shuji").count() == 1

    seed(22)
    other = signature()
    assert other["residents"] != first["residents"]
    assert other["units"] != first["units"]
