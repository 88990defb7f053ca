"""The registry's dashboard tiles (core.tiles): residents, households, units and
the key populations due a review.

Key populations: the tile counts every category in the subtree; a reader who may
not open the tags list (people.change, which building leads and members lack)
sees the count only (issue 23: "counts only for roles that cannot see them")."""

from django.urls import reverse

from jiceng.core.tiles import count_by_subtree, month_closes_at, register_tile

from .models import Household, Resident, ResidentTag, Unit
from .services.tags import due_condition

SECTION = "人口与单位"
PERMISSION = "people.view"


def listed(url_name, **params):
    def link(place):
        query = "&".join(f"{k}={v}" for k, v in {**params, "place": place.pk}.items())
        return f"{reverse(url_name)}?{query}"

    return link


@register_tile(
    "people.residents",
    title="登记居民",
    unit="人",
    section=SECTION,
    permission=PERMISSION,
    order=10,
    link=listed("people:resident_list"),
)
def residents(places, month):
    # on record at the month's end (registered before it)
    rows = Resident.objects.filter(created_at__lt=month_closes_at(month))
    return count_by_subtree(rows, places, "place__path")


@register_tile(
    "people.households",
    title="登记户数",
    unit="户",
    section=SECTION,
    permission=PERMISSION,
    order=20,
    link=listed("people:household_list"),
    history=False,
)
def households(places, month):
    return count_by_subtree(Household.objects.all(), places, "place__path")


@register_tile(
    "people.units",
    title="驻区单位",
    unit="家",
    section=SECTION,
    permission=PERMISSION,
    order=30,
    link=listed("people:unit_list"),
    history=False,
)
def units(places, month):
    return count_by_subtree(Unit.objects.all(), places, "place__path")


@register_tile(
    "people.key_due",
    title="重点人群待复核",
    unit="人次",
    section=SECTION,
    permission=PERMISSION,
    order=40,
    better="lower",
    link=listed("people:tag_list", status="due"),
    detail_permission="people.change",
    history=False,
)
def key_populations_due(places, month):
    rows = ResidentTag.objects.filter(due_condition())
    return count_by_subtree(rows, places, "resident__place__path")
