"""Dashboard tiles: the figures each app contributes to the place dashboards
(district → street → community → grid) and the big screen.

An app registers its tiles in its AppConfig.ready, usually from its own
`tiles.py`; the insight app rolls every registered tile up per place and month
and draws it. A new app adds tiles without touching the dashboard code.

A tile's `figures(places, month)` answers for many places at once, all of one
kind (the children being compared on a dashboard), with one grouped query:
`count_by_subtree` below does the grouping for the usual "rows under each
place" count. It returns {place.pk: number}; a place with no rows may be left
out (it reads as 0).
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q
from django.db.models.functions import Substr

from .scope import path_prefix


class TileKind:
    # A level at the end of the month (residents on record, open cases).
    STOCK = "stock"
    # What happened within the month (cases received, hours served).
    FLOW = "flow"
    # A percentage 0–100 (closing rate, 三会一课 compliance); never summed.
    RATE = "rate"


@dataclass(frozen=True)
class Tile:
    # "cases.open": app label first; stable, since rollup rows and the API use it.
    key: str
    title: str  # "在办案件"
    unit: str  # "件", "人", "户", "小时", "%"
    section: str  # "案件办理": tiles are grouped by section on the page
    # The reader must hold this permission; the place is their scope.
    permission: str
    # (places, month) -> {place.pk: number}; month is the first day of a month.
    figures: Callable
    kind: str = TileKind.STOCK
    order: int = 0
    # Which way is good when the figure moves: "higher" or "lower" (overdue cases).
    better: str = "higher"
    # (place) -> the URL of the list behind the figure, or None.
    link: Callable | None = None
    # Sensitive counts (key populations): shown only to readers holding this too.
    detail_permission: str | None = None


TILES: dict[str, Tile] = {}


def register_tile(key, *, title, unit, section, permission, **options):
    """Decorator for a tile's figures function: add the tile under key."""

    def decorator(figures):
        TILES[key] = Tile(
            key=key,
            title=title,
            unit=unit,
            section=section,
            permission=permission,
            figures=figures,
            **options,
        )
        return figures

    return decorator


def registered_tiles() -> list[Tile]:
    return sorted(TILES.values(), key=lambda t: (t.section, t.order, t.key))


def count_by_subtree(
    queryset, places: Iterable, path_field: str, *, distinct: str | None = None
) -> dict[int, int]:
    """{place.pk: rows of queryset whose place (path_field, e.g. "place__path")
    lies in that place's subtree}, for places of one kind, in one grouped query.

    distinct counts distinct values of that field instead of rows.
    """
    places = list(places)
    if not places:
        return {}
    depth = len(places[0].path)
    by_path = {p.path: p.pk for p in places}
    within = Q()
    for path in by_path:
        within |= path_prefix(path, path_field)
    counted = Count(distinct, distinct=True) if distinct else Count("pk")
    rows = (
        queryset.filter(within)
        .annotate(_subtree=Substr(path_field, 1, depth))
        .order_by()
        .values("_subtree")
        .annotate(n=counted)
    )
    return {by_path[r["_subtree"]]: r["n"] for r in rows if r["_subtree"] in by_path}


def month_bounds(month: date) -> tuple[date, date]:
    """[first day of month, first day of the next month)."""
    first = month.replace(day=1)
    following = date(first.year + first.month // 12, first.month % 12 + 1, 1)
    return first, following
