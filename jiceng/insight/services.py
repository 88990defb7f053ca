"""The dashboards' rollups and their reading.

refresh_figures computes every registered tile (core.tiles) for every place of the
district, street, community and grid levels, one figures() call per tile, level
and month, and upserts the Figure rows. A dashboard then reads its place and
children's figures in one query (dashboard_for).
"""

from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.http import Http404
from django.utils import timezone

from jiceng.core import audit
from jiceng.core.models import AuditAction
from jiceng.core.planner import ANALYZE_AFTER_ROWS, refresh_statistics
from jiceng.core.scope import path_prefix, place_path_allowed, place_prefixes
from jiceng.core.tiles import (
    TileKind,
    add_months,
    current_month,
    registered_tiles,
    visible_tiles,
)
from jiceng.places.models import Place, PlaceKind

from .models import Figure

PERMISSION = "insight.view"
LEVELS = (PlaceKind.DISTRICT, PlaceKind.STREET, PlaceKind.COMMUNITY, PlaceKind.GRID)
TREND_MONTHS = 12
MAX_BACKFILL = 36


# --- writing ---------------------------------------------------------------------


def refresh_figures(*, months=1, actor=None, today=None) -> int:
    """Recompute the figures of the last `months` months (the current one first)
    for every place of the dashboard levels; returns the rows written.

    Tiles that read the present state (history=False) are computed for the
    current month only. Idempotent: a second run rewrites the same rows. One audit
    row per run, not per figure; fresh planner statistics after a large run."""
    months = max(1, min(int(months), MAX_BACKFILL))
    this_month = current_month(today)
    wanted = [add_months(this_month, -i) for i in range(months)]
    levels = {kind: [] for kind in LEVELS}
    for place in Place.objects.filter(kind__in=LEVELS).only("pk", "path", "kind"):
        levels[place.kind].append(place)
    written = 0
    for tile in registered_tiles():
        tile_months = wanted if tile.history else [this_month]
        batch = []
        now = timezone.now()
        for places in levels.values():
            for month in tile_months:
                values = tile.figures(places, month) if places else {}
                empty = None if tile.kind == TileKind.RATE else 0
                batch.extend(
                    Figure(
                        place_id=place.pk,
                        key=tile.key,
                        month=month,
                        value=_number(values.get(place.pk, empty)),
                        computed_at=now,
                    )
                    for place in places
                )
        with transaction.atomic():
            Figure.objects.bulk_create(
                batch,
                batch_size=1000,
                update_conflicts=True,
                unique_fields=["place", "key", "month"],
                update_fields=["value", "computed_at"],
            )
        written += len(batch)
    if written >= ANALYZE_AFTER_ROWS:
        # a backfill writes millions of rows at city size; until the planner knows,
        # a district's dashboard read the whole table (263 ms instead of ~100)
        refresh_statistics(Figure)
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        target_type="insight.figure",
        target_repr="数据看板汇总",
        changes={"months": months, "figures": written},
    )
    return written


def _number(value):
    return None if value is None else float(value)


def refresh_on_commit(months=1):
    """Queue a refresh of the current month once the write around it commits."""
    from .tasks import refresh_figures_task

    transaction.on_commit(lambda: refresh_figures_task.enqueue(months=months))


def refresh_after_bulk_write(sender, **kwargs):
    """core.tiles.figures_changed: an import changed many rows."""
    refresh_on_commit()


# --- reading ---------------------------------------------------------------------


def scope_prefixes(user) -> list[str]:
    return place_prefixes(user, PERMISSION)


def top_place(user):
    """The reader's top dashboard place: the highest of their insight.view grants
    (the district for superusers), or 404."""
    prefixes = scope_prefixes(user)
    if not prefixes:
        raise Http404
    if "" in prefixes:
        place = Place.objects.filter(kind=PlaceKind.DISTRICT).order_by("path").first()
    else:
        ordered = sorted(prefixes, key=lambda p: (len(p), p))
        place = (
            Place.objects.filter(path__in=ordered, kind__in=LEVELS)
            .order_by("depth", "path")
            .first()
        )
    if place is None:
        raise Http404
    return place


def scope_places(user) -> list:
    """The reader's own dashboard places when they hold more than one (a grid
    worker of two grids switches between them)."""
    prefixes = scope_prefixes(user)
    if "" in prefixes or len(prefixes) < 2:
        return []
    return list(
        Place.objects.filter(path__in=prefixes, kind__in=LEVELS).order_by("path")
    )


def place_for(user, code):
    """The place of a dashboard by its code, when the reader's insight.view grants
    cover it (core.scope's place grants); otherwise 404, as for no such place."""
    code = (code or "").strip()
    if not code or len(code) > 32:
        raise Http404
    place = Place.objects.filter(code=code, kind__in=LEVELS).first()
    if place is None or not place_path_allowed(place.path, scope_prefixes(user)):
        raise Http404
    return place


def parse_month(text, today=None):
    """A "YYYY-MM" month no later than the current one, else the current month."""
    this_month = current_month(today)
    try:
        year, month = (int(part) for part in (text or "").split("-"))
        asked = date(year, month, 1)
    except (TypeError, ValueError, OverflowError):
        return this_month
    return asked if date(2000, 1, 1) <= asked <= this_month else this_month


def month_choices(today=None) -> list[date]:
    """The months a dashboard offers: the current one and two years back."""
    this_month = current_month(today)
    return [add_months(this_month, -i) for i in range(24)]


@dataclass
class TileView:
    tile: object
    value: float | None
    previous: float | None
    trend: list  # [(month, value)], oldest first
    link: str | None
    children: dict = field(default_factory=dict)  # child pk -> value

    @property
    def change(self):
        if self.value is None or self.previous is None:
            return None
        return round(self.value - self.previous, 1)

    @property
    def verdict(self):
        """ "good", "bad" or "" for the change, by the tile's better direction."""
        change = self.change
        if not change:
            return ""
        up_is_good = self.tile.better != "lower"
        return "good" if (change > 0) == up_is_good else "bad"


@dataclass
class Dashboard:
    place: Place
    month: date
    months: list
    sections: list  # [(section, [TileView])]
    children: list
    ancestors: list
    updated_at: object

    @property
    def tiles(self):
        return [view for _section, views in self.sections for view in views]


def dashboard_for(user, place, month=None, *, with_children=True) -> Dashboard:
    """The figures of the tiles the reader may see at place, over twelve months,
    with the children's figures of the month: one read of the rollup."""
    month = month or current_month()
    months = [add_months(month, -i) for i in range(TREND_MONTHS - 1, -1, -1)]
    tiles = visible_tiles(user, place)
    children = []
    if with_children and place.kind != PlaceKind.GRID:
        children = list(
            Place.objects.filter(
                path_prefix(place.path), depth=place.depth + 1, kind__in=LEVELS
            ).order_by("path")
        )
    prefixes = scope_prefixes(user)
    lineage = Place.lineage_paths(place.path, include_self=False)
    ancestors = [
        p
        for p in Place.objects.filter(path__in=lineage).order_by("depth")
        if place_path_allowed(p.path, prefixes)
    ]
    values, updated = {}, None
    if tiles:
        rows = Figure.objects.filter(
            place__in=[place.pk, *(c.pk for c in children)],
            key__in=[t.key for t in tiles],
            month__gte=add_months(month, -(TREND_MONTHS - 1)),
            month__lte=month,
        ).values_list("place_id", "key", "month", "value", "computed_at")
        for place_id, key, at, value, computed in rows:
            values[(place_id, key, at)] = value
            if place_id == place.pk and (updated is None or computed > updated):
                updated = computed
    previous_month = add_months(month, -1)
    sections: dict = {}
    for tile in tiles:
        view = TileView(
            tile=tile,
            value=values.get((place.pk, tile.key, month)),
            previous=values.get((place.pk, tile.key, previous_month)),
            trend=[(m, values.get((place.pk, tile.key, m))) for m in months],
            link=tile.link_for(user, place),
            children={c.pk: values.get((c.pk, tile.key, month)) for c in children},
        )
        sections.setdefault(tile.section, []).append(view)
    return Dashboard(
        place=place,
        month=month,
        months=months,
        sections=list(sections.items()),
        children=children,
        ancestors=ancestors,
        updated_at=updated,
    )


def export_rows(dashboard) -> list[list]:
    """Tiles × places (the place, then its children) × months, for the xlsx."""
    header = ["指标", "单位", "地点", *(f"{m:%Y-%m}" for m in dashboard.months)]
    rows = [header]
    places = [dashboard.place, *dashboard.children]
    keys = [view.tile.key for view in dashboard.tiles]
    values = {}
    if keys:
        for place_id, key, at, value in Figure.objects.filter(
            place__in=[p.pk for p in places],
            key__in=keys,
            month__gte=dashboard.months[0],
            month__lte=dashboard.months[-1],
        ).values_list("place_id", "key", "month", "value"):
            values[(place_id, key, at)] = value
    for view in dashboard.tiles:
        for place in places:
            rows.append(
                [
                    view.tile.title,
                    view.tile.unit,
                    place.name,
                    *(
                        values.get((place.pk, view.tile.key, m))
                        for m in dashboard.months
                    ),
                ]
            )
    return rows
