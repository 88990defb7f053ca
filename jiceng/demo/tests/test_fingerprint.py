"""Seed 1 is the documented demo: the README, the guide and every app's tests rely on
its people, places, cases and volunteering, so a change to the generator that alters
them fails here. If the change is meant, update the figures below (and the README).

Only what the seed decides is fingerprinted: no timestamps, no random tokens, and not
the key-population tags (eligibility follows residents' ages as of today).
"""

import hashlib
import json
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from jiceng.cases.models import Case, RoutingRule
from jiceng.core.scope import path_prefix
from jiceng.demo.accounts import DEMO_PASSWORD, USERNAMES
from jiceng.demo.common import find_district
from jiceng.demo.generator import summarize
from jiceng.party.models import (
    JointCommitteeUnit,
    PartTimeMember,
    PartyMember,
    PartyOrg,
)
from jiceng.people.models import GigWorker, Household, Occupancy, Resident, Unit
from jiceng.places.models import Place
from jiceng.volunteer import models as volunteer

pytestmark = pytest.mark.django_db

COUNTS = {
    "places": {
        "district": 1,
        "street": 2,
        "community": 4,
        "grid": 12,
        "compound": 24,
        "building": 72,
        "entrance": 144,
        "dwelling": 1728,
    },
    "residents": 4485,
    "households": 1575,
    "party_members": 243,
    "party_orgs": 132,
    "units": 30,
    "joint_units": 32,
    "part_time_members": 20,
    "departments": 10,
}
CASES = {"total": 156, "routing_rules": 9}
VOLUNTEERING = {
    "Volunteer": 12,
    "Activity": 7,
    "Wish": 8,
    "WishClaim": 3,
    "Project": 3,
    "MemberRegistration": 12,
    "UnitRegistration": 3,
    "Team": 2,
    "ThemePlan": 3,
    "MallItem": 5,
    "Need": 8,
    "Resource": 5,
    "Match": 6,
    "Signup": 34,
    "ServiceHours": 34,
    "PointsEntry": 38,
}
FINGERPRINTS = {
    "places": "0a5f384f8cb6d1f6",
    "residents": "31f75b3bd1de674d",
    "households": "8675aeada88ce1e8",
    "stays": "38dd8ea05ca15c87",
    "units": "559d072032d5e130",
    "orgs": "5bef710e7044d70a",
    "members": "897452e181347ac9",
    "joint": "571996bd2e0d8699",
    "gig_workers": "45e51f1d748be426",
    "cases": "cd0cf0631b1f0e91",
    "accounts": "643c7cd2b5343408",
}


def digest(rows):
    """A short hash of rows, independent of the order the database returns them."""
    lines = sorted(
        json.dumps([str(v) for v in row], ensure_ascii=False) for row in rows
    )
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()[:16]


def fingerprints(district):
    """The digests of what the seed decided in district (and nothing outside it, so
    a city's first district keeps the figures of the one-district demo)."""
    here = path_prefix(district.path, "place__path")
    lives_here = path_prefix(district.path, "resident__place__path")
    committees_here = path_prefix(district.path, "committee__place__path")
    residents = Resident.objects.filter(here).select_related("place", "work_unit")
    members = PartyMember.objects.filter(lives_here).select_related(
        "resident", "org", "unit"
    )
    orgs = PartyOrg.objects.filter(here).select_related("place", "secretary__resident")
    joint = [
        (r.committee.path, r.unit.credit_code, r.joined_on)
        for r in JointCommitteeUnit.objects.filter(committees_here).select_related(
            "committee", "unit"
        )
    ] + [
        (r.committee.path, r.unit.credit_code, r.name, r.position, r.since)
        for r in PartTimeMember.objects.filter(committees_here).select_related(
            "committee", "unit"
        )
    ]
    accounts = StringIO()
    call_command("demo_accounts", json=True, stdout=accounts)
    return {
        "places": digest(
            Place.objects.filter(path_prefix(district.path)).values_list(
                "path", "code", "name", "kind", "address", "lat", "lng", "geometry"
            )
        ),
        "residents": digest(
            (
                r.place.code,
                r.name,
                r.sex,
                r.birth_date,
                r.ethnicity,
                r.id_number,
                r.phone,
                r.relation,
                r.residence_type,
                r.moved_in_on,
                r.work_unit.credit_code if r.work_unit else "",
            )
            for r in residents
        ),
        "households": digest(
            (h.number, h.place.code, h.head.id_number)
            for h in Household.objects.filter(here).select_related("place", "head")
        ),
        "stays": digest(
            (o.resident.id_number, o.place.code, o.started_on, o.ended_on)
            for o in Occupancy.objects.filter(lives_here).select_related(
                "resident", "place"
            )
        ),
        "units": digest(
            Unit.objects.filter(here).values_list(
                "credit_code",
                "name",
                "kind",
                "place__code",
                "address",
                "party_org_name",
                "contact_name",
                "staff_count",
            )
        ),
        "orgs": digest(
            (
                o.path,
                o.name,
                o.kind,
                o.place.code,
                o.founded_on,
                o.is_joint_committee,
                o.secretary.resident.id_number if o.secretary else "",
            )
            for o in orgs
        ),
        "members": digest(
            (
                m.resident.id_number,
                m.org.path,
                m.unit.credit_code if m.unit else "",
                m.status,
                m.joined_on,
                m.is_probationary,
            )
            for m in members
        ),
        "joint": digest(joint),
        "gig_workers": digest(
            (g.name, g.id_number, g.phone, g.occupation, g.platform, g.community.code)
            for g in GigWorker.objects.filter(
                path_prefix(district.path, "community__path")
            ).select_related("community")
        ),
        "cases": digest(
            Case.objects.filter(here).values_list(
                "category__code",
                "place__code",
                "status",
                "channel",
                "department__code",
                "description",
                "reporter_name",
            )
        ),
        "accounts": digest(
            (row["username"], row["role"], row["scope"])
            for row in json.loads(accounts.getvalue())
        ),
    }


def test_seed_1_gives_the_documented_demo():
    # given the session's demo district (seed_demo --size small --seed 1)
    district = find_district()

    # when it is counted and fingerprinted
    counts = summarize()
    cases = Case.objects.filter(path_prefix(district.path, "place__path"))
    volunteering = {
        name: getattr(volunteer, name)._base_manager.count() for name in VOLUNTEERING
    }
    users = get_user_model().objects.filter(username__in=USERNAMES)

    # then everything the seed decides is as recorded
    assert counts == COUNTS
    assert {"total": cases.count(), "routing_rules": RoutingRule.objects.count()} == (
        CASES
    )
    assert volunteering == VOLUNTEERING
    assert fingerprints(district) == FINGERPRINTS
    # and every demo account opens with the published password
    assert users.count() == len(USERNAMES)
    assert all(user.check_password(DEMO_PASSWORD) for user in users)
