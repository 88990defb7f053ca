"""The party's dashboard tiles (core.tiles): organisations, members, 三会一课
落实率 and 两个覆盖 of the 两新组织, each by the party services' own rules."""

from datetime import timedelta

from django.db.models import Count
from django.urls import reverse

from jiceng.core.tiles import (
    TileKind,
    count_by_subtree,
    month_bounds,
    register_tile,
    tally_by_subtree,
    within_places,
)
from jiceng.people.models import Unit

from .models import MemberStatus, PartyMember, PartyOrg
from .services.life import BRANCH_KINDS, compliance, compliance_rate
from .services.work import NEW_KINDS, ORG_COVERED, WORK_COVERED, Rate

SECTION = "党建引领"
PERMISSION = "party.view"


def by_code(url_name):
    def link(place):
        return f"{reverse(url_name)}?place={place.code}"

    return link


def by_id(url_name):
    def link(place):
        return f"{reverse(url_name)}?place={place.pk}"

    return link


@register_tile(
    "party.orgs",
    title="党组织",
    unit="个",
    section=SECTION,
    permission=PERMISSION,
    order=10,
    link=lambda place: reverse("party:org_index"),
    history=False,
)
def orgs(places, month):
    return count_by_subtree(PartyOrg.objects.all(), places, "place_path")


@register_tile(
    "party.members",
    title="党员",
    unit="名",
    section=SECTION,
    permission=PERMISSION,
    order=20,
    link=by_id("party:member_list"),
    history=False,
)
def members(places, month):
    rows = PartyMember.objects.exclude(status=MemberStatus.TRANSFERRED_OUT)
    return count_by_subtree(rows, places, "place__path")


@register_tile(
    "party.compliance_rate",
    title="三会一课落实率",
    unit="%",
    section=SECTION,
    permission=PERMISSION,
    kind=TileKind.RATE,
    order=30,
    link=by_code("party:compliance"),
)
def meetings_held(places, month):
    places = list(places)
    if not places:
        return {}
    depth = len(places[0].path)
    by_path = {p.path: p.pk for p in places}
    within = within_places(places, "place__path")
    branches = PartyOrg.objects.filter(within, kind__in=BRANCH_KINDS).select_related(
        "place"
    )
    last = month_bounds(month)[1] - timedelta(days=1)
    grouped = {}
    for row in compliance(branches, month, last):
        pk = by_path.get(row.org.place.path[:depth])
        if pk is not None:
            grouped.setdefault(pk, []).append(row)
    return {pk: compliance_rate(rows) for pk, rows in grouped.items()}


def _coverage(attribute):
    def figures(places, month):
        tallies = tally_by_subtree(
            Unit.objects.filter(kind__in=NEW_KINDS),
            places,
            "place__path",
            n=Count("id"),
            org=Count("id", filter=ORG_COVERED),
            work=Count("id", filter=WORK_COVERED),
        )
        return {
            pk: getattr(Rate("", "", t["n"], t["org"], t["work"]), attribute)
            for pk, t in tallies.items()
        }

    return figures


for _key, _title, _attribute, _order in (
    ("party.org_coverage", "两新组织·组织覆盖率", "org_rate", 40),
    ("party.work_coverage", "两新组织·工作覆盖率", "work_rate", 50),
):
    register_tile(
        _key,
        title=_title,
        unit="%",
        section=SECTION,
        permission=PERMISSION,
        kind=TileKind.RATE,
        order=_order,
        link=by_code("party:coverage"),
        history=False,
    )(_coverage(_attribute))
