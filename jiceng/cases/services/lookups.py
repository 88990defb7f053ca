"""What every report looks up — categories by code, routing rules, the outlines
of grids and compounds — held per process and rebuilt only when the database
says one of them changed (core.config_cache). A report then reads one row of
tokens instead of every grid's outline (thousands at district size) and three
more queries."""

import bisect
from collections import defaultdict
from dataclasses import dataclass, field

from jiceng.core.config_cache import VersionedCache
from jiceng.core.geo import contains
from jiceng.places.models import Place, PlaceKind

from ..models import Category, RoutingRule


@dataclass(frozen=True)
class Outline:
    place: Place
    bbox: tuple | None  # (min lng, min lat, max lng, max lat); None: no outline

    def holds(self, lng, lat):
        if self.bbox is None:
            return False
        min_lng, min_lat, max_lng, max_lat = self.bbox
        return (
            min_lng <= lng <= max_lng
            and min_lat <= lat <= max_lat
            and contains(self.place.geometry, lng, lat)
        )


def _bbox(geometry):
    """The box around a Polygon's or MultiPolygon's outer rings, else None."""
    kind = (geometry or {}).get("type")
    try:
        if kind == "Polygon":
            rings = [geometry["coordinates"][0]]
        elif kind == "MultiPolygon":
            rings = [polygon[0] for polygon in geometry["coordinates"] if polygon]
        else:
            return None
        xs = [float(point[0]) for ring in rings for point in ring]
        ys = [float(point[1]) for ring in rings for point in ring]
    except (IndexError, KeyError, TypeError, ValueError):
        return None
    return (min(xs), min(ys), max(xs), max(ys)) if xs else None


@dataclass(frozen=True)
class Lookups:
    categories: dict  # code → Category, its parent loaded
    rules: dict  # category id → [RoutingRule], place and department loaded
    grids: list  # [Outline]
    grids_by_code: dict = field(default_factory=dict)  # code → grid Place
    compounds: list = field(default_factory=list)  # [Outline], in path order
    compound_paths: list = field(default_factory=list)  # their paths, for bisect

    def compounds_under(self, path):
        start = bisect.bisect_left(self.compound_paths, path)
        for outline in self.compounds[start:]:
            if not outline.place.path.startswith(path):
                break
            yield outline


def _build():
    rules = defaultdict(list)
    for rule in RoutingRule.objects.select_related("place", "department"):
        rules[rule.category_id].append(rule)
    # kind too: the report reads it, and a deferred field would cost a query
    grids = Place.objects.filter(kind=PlaceKind.GRID).only(
        "pk", "kind", "code", "path", "name", "geometry", "lat", "lng"
    )
    compounds = Place.objects.filter(kind=PlaceKind.COMPOUND).only(
        "pk", "kind", "path", "name", "address", "geometry"
    )
    compounds = sorted(
        (Outline(c, _bbox(c.geometry)) for c in compounds), key=lambda o: o.place.path
    )
    return Lookups(
        categories={c.code: c for c in Category.objects.select_related("parent")},
        rules=dict(rules),
        grids=[Outline(g, _bbox(g.geometry)) for g in grids],
        grids_by_code={g.code: g for g in grids},
        compounds=compounds,
        compound_paths=[c.place.path for c in compounds],
    )


_lookups = VersionedCache(("cases.routing", "places.areas"), _build)


def lookups() -> Lookups:
    """The current copy (one query to check it; rebuilt when it moved)."""
    return _lookups.get()
