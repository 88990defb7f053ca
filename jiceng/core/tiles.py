"""Dashboard tiles: the figures each app contributes to the place dashboards
(district → street → community → grid) and the big screen.

An app registers its tiles in its AppConfig.ready, usually from its own
`tiles.py`; the insight app rolls every registered tile up per place and month
and draws it. A new app adds tiles without touching the dashboard code.

A tile's `figures(places, month)` answers for many places at once, all of one
kind (the children being compared on a dashboard), with one grouped query:
`count_by_subtree` below does the grouping for the usual "rows under each
place" count. It returns {place.pk: number}; a place with no rows may be left
out (it reads as 0); a RATE with nothing to divide by is None (shown as "—").

A tile whose figures read the present state (open cases, households on record)
and cannot say what they were in a past month sets history=False: the rollup
refreshes it for the current month only, and past months keep what their last
refresh stored.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Q, Sum
from django.db.models.functions import Substr
from django.dispatch import Signal
from django.utils import timezone

from .months import add_months
from .scope import covers, page_opens_for, path_prefix

# Past this many places, count_by_subtree filters on their common ancestor and
# drops the other groups, instead of OR-ing one range per place (a district's
# thousands of grids would otherwise make a statement of thousands of clauses).
MANY_PLACES = 64


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
    # Sensitive rows (key populations): readers without this permission see the
    # count only, never the list behind it (no link), as issue 23 asks.
    detail_permission: str | None = None
    # False when figures() reads the present state only (see the module docstring).
    history: bool = True

    def opens_for(self, user, place) -> bool:
        """Whether the reader holds this tile's permission over place."""
        return covers(user, place, self.permission)

    def link_for(self, user, place) -> str | None:
        """The list behind the figure, when the reader may open its rows."""
        if self.link is None:
            return None
        if self.detail_permission and not covers(user, place, self.detail_permission):
            return None
        url = self.link(place)
        # the list page may need more than the tile (a grid worker reads the
        # funds figure but may not open the funds ledger)
        return url if url and page_opens_for(user, url) else None


TILES: dict[str, Tile] = {}

# Sent after a bulk write (an import) changed many of the rows tiles count: the
# dashboards' rollup (insight) queues a refresh once the write commits, rather
# than waiting for its periodic run.
figures_changed = Signal()


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


def visible_tiles(user, place) -> list[Tile]:
    """The registered tiles the reader may see at place, in page order."""
    return [tile for tile in registered_tiles() if tile.opens_for(user, place)]


def common_prefix(paths) -> str:
    """The longest string every path starts with (character by character: a
    prefix that stops inside a tree step still selects a superset)."""
    if not paths:
        return ""
    first, last = min(paths), max(paths)
    size = 0
    while size < min(len(first), len(last)) and first[size] == last[size]:
        size += 1
    return first[:size]


def within_places(places, path_field: str) -> Q:
    """Rows whose place (path_field) lies under any of places (one kind): one
    range per place, or their common ancestor's when there are many."""
    paths = sorted({p.path for p in places})
    if len(paths) > MANY_PLACES:
        return path_prefix(common_prefix(paths), path_field)
    within = Q(pk__in=[])
    for path in paths:
        within |= path_prefix(path, path_field)
    return within


def tally_by_subtree(
    queryset, places: Iterable, path_field: str, **aggregates
) -> dict[int, dict]:
    """{place.pk: {name: aggregate}} over the rows of queryset whose place
    (path_field, e.g. "place__path") lies in that place's subtree, for places of
    one kind (one path length), in one grouped query. Places with no rows are
    left out."""
    places = list(places)
    if not places:
        return {}
    depth = len(places[0].path)
    if any(len(p.path) != depth for p in places):
        raise ValueError("places of one kind (one path length) only")
    by_path = {p.path: p.pk for p in places}
    rows = (
        queryset.filter(within_places(places, path_field))
        .annotate(_subtree=Substr(path_field, 1, depth))
        .order_by()
        .values("_subtree")
        .annotate(**aggregates)
    )
    return {
        by_path[row.pop("_subtree")]: row for row in rows if row["_subtree"] in by_path
    }


def count_by_subtree(
    queryset, places: Iterable, path_field: str, *, distinct: str | None = None
) -> dict[int, int]:
    """{place.pk: rows of queryset whose place (path_field, e.g. "place__path")
    lies in that place's subtree}, for places of one kind, in one grouped query.

    distinct counts distinct values of that field instead of rows.
    """
    counted = Count(distinct, distinct=True) if distinct else Count("pk")
    tallies = tally_by_subtree(queryset, places, path_field, _n=counted)
    return {pk: row["_n"] for pk, row in tallies.items()}


def rate(part, whole):
    """A percentage with one decimal, None when there is nothing to divide by."""
    return round(100 * part / whole, 1) if whole else None


def sum_by_subtree(queryset, places: Iterable, path_field: str, field: str) -> dict:
    """{place.pk: sum of field over the rows under each place}, one grouped query."""
    tallies = tally_by_subtree(queryset, places, path_field, _total=Sum(field))
    return {pk: row["_total"] or 0 for pk, row in tallies.items()}


def month_bounds(month: date) -> tuple[date, date]:
    """[first day of month, first day of the next month)."""
    first = month.replace(day=1)
    return first, add_months(first, 1)


def month_span(month: date) -> tuple[datetime, datetime]:
    """The month as [start, end) moments in the project's time zone (Asia/Shanghai):
    where a FLOW tile's rows are counted."""
    tz = timezone.get_default_timezone()
    return tuple(datetime.combine(day, time.min, tz) for day in month_bounds(month))


def as_of_day(month: date) -> date:
    """The day a month's level is read on: its last day, or today while it runs."""
    return min(month_bounds(month)[1] - timedelta(days=1), timezone.localdate())


def current_month(today=None) -> date:
    return (today or timezone.localdate()).replace(day=1)


def month_closes_at(month: date) -> datetime:
    """The moment a month ends (local midnight of the next month's first day),
    or now for the month still running: where a STOCK figure is read."""
    return min(month_span(month)[1], timezone.now())
