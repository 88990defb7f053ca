"""The party tiles equal direct queries on the demo district (core.tiles)."""

from datetime import timedelta

import pytest

from jiceng.core.tiles import TILES, add_months, current_month, month_bounds
from jiceng.party import services
from jiceng.party.models import MemberStatus, PartyMember, PartyOrg
from jiceng.party.services.life import BRANCH_KINDS
from jiceng.party.services.work import NEW_KINDS
from jiceng.people.models import Unit
from jiceng.places.models import Place, PlaceKind

pytestmark = pytest.mark.django_db


def streets():
    return list(Place.objects.filter(kind=PlaceKind.STREET))


def test_orgs_and_members_equal_direct_counts():
    places = streets()
    orgs = TILES["party.orgs"].figures(places, current_month())
    members = TILES["party.members"].figures(places, current_month())
    for place in places:
        assert (
            orgs.get(place.pk, 0)
            == PartyOrg.objects.filter(place__path__startswith=place.path).count()
        )
        assert (
            members.get(place.pk, 0)
            == PartyMember.objects.filter(place__path__startswith=place.path)
            .exclude(status=MemberStatus.TRANSFERRED_OUT)
            .count()
        )


@pytest.mark.parametrize("month_back", [0, 2])
def test_compliance_rate_equals_the_compliance_page_rule_per_community(month_back):
    # given the communities and a month
    places = list(Place.objects.filter(kind=PlaceKind.COMMUNITY))
    month = add_months(current_month(), -month_back)
    last = month_bounds(month)[1] - timedelta(days=1)
    # when the tile computes them
    figures = TILES["party.compliance_rate"].figures(places, month)
    # then each is the rule applied to that community's branches alone
    for place in places:
        branches = PartyOrg.objects.filter(
            place__path__startswith=place.path, kind__in=BRANCH_KINDS
        ).select_related("place")
        rows = services.compliance(branches, month, last)
        assert figures.get(place.pk) == (
            services.compliance_rate(rows) if rows else None
        ), place.code


def test_coverage_rates_equal_the_coverage_page_per_street():
    places = streets()
    org = TILES["party.org_coverage"].figures(places, current_month())
    work = TILES["party.work_coverage"].figures(places, current_month())
    for place in places:
        units = Unit.objects.filter(
            kind__in=NEW_KINDS, place__path__startswith=place.path
        )
        overall = services.coverage_rates(units)["overall"]
        assert org.get(place.pk) == overall.org_rate
        assert work.get(place.pk) == overall.work_rate
