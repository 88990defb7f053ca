"""The case loop's dashboard tiles (core.tiles): intake, open and overdue cases,
and the 三率 (办结率, 按期办结率, 满意率).

Monthly figures read the KPI rollup (kpi.CaseStat) and its rules (kpi.Figures);
open and overdue read the model's own rules (Case.is_open, CaseQuerySet.overdue)."""

from django.urls import reverse

from jiceng.core.tiles import (
    MANY_PLACES,
    TileKind,
    common_prefix,
    count_by_subtree,
    register_tile,
)

from . import kpi
from .models import Case, StatDimension

SECTION = "案件办理"
PERMISSION = "cases.view"


def monthly_figures(places, month) -> dict:
    """{place.pk: kpi.Figures} of the month for places of one kind, one query."""
    places = list(places)
    if not places:
        return {}
    by_path = {p.path: p.pk for p in places}
    prefixes = (
        [common_prefix(list(by_path))] if len(by_path) > MANY_PLACES else list(by_path)
    )
    rows = kpi.stats(StatDimension.PLACE, (month, month), prefixes)
    grouped = kpi.grouped(rows, len(places[0].path))
    return {by_path[path]: f for path, f in grouped.items() if path in by_path}


def cases_link(**params):
    def link(place):
        query = "&".join(f"{k}={v}" for k, v in {**params, "place": place.pk}.items())
        return f"{reverse('cases:list')}?{query}"

    return link


def kpi_link(place):
    return f"{reverse('cases:kpi')}?place={place.pk}"


@register_tile(
    "cases.received",
    title="本月受理",
    unit="件",
    section=SECTION,
    permission=PERMISSION,
    kind=TileKind.FLOW,
    order=10,
    link=kpi_link,
    detail_permission="cases.kpi",
)
def received(places, month):
    return {pk: f.received for pk, f in monthly_figures(places, month).items()}


@register_tile(
    "cases.open",
    title="在办案件",
    unit="件",
    section=SECTION,
    permission=PERMISSION,
    order=20,
    better="lower",
    link=cases_link(status="open"),
    history=False,
)
def open_cases(places, month):
    # IN, not =True: the (is_open, place_path, created_at) index (see CaseFilter)
    return count_by_subtree(
        Case.objects.filter(is_open__in=[True]), places, "place_path"
    )


@register_tile(
    "cases.overdue",
    title="超期案件",
    unit="件",
    section=SECTION,
    permission=PERMISSION,
    order=30,
    better="lower",
    link=cases_link(overdue="on"),
    history=False,
)
def overdue(places, month):
    return count_by_subtree(Case.objects.overdue(), places, "place_path")


def _rate(name):
    def figures(places, month):
        return {
            pk: getattr(f, name) for pk, f in monthly_figures(places, month).items()
        }

    return figures


for _key, _title, _name, _order in (
    ("cases.completion_rate", "办结率", "completion_rate", 40),
    ("cases.on_time_rate", "按期办结率", "on_time_rate", 50),
    ("cases.satisfaction_rate", "满意率", "satisfaction_rate", 60),
):
    register_tile(
        _key,
        title=_title,
        unit="%",
        section=SECTION,
        permission=PERMISSION,
        kind=TileKind.RATE,
        order=_order,
        link=kpi_link,
        detail_permission="cases.kpi",
    )(_rate(_name))
