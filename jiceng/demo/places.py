"""The demo district's place tree: streets, communities and grids tiled on a map,
compounds, buildings, entrances and dwellings inside them, written in bulk with
precomputed materialised paths (not treebeard's per-node add_child)."""

import math

from jiceng.core.scope import path_prefix
from jiceng.places.models import Place, PlaceKind

from . import place_names as P
from .common import (
    BATCH_SIZE,
    DISTRICT_CODE,
    DISTRICT_NAME,
    next_root_index,
    number_tree,
    path_step,
    purge,
)

# Layout of the grid tiling: one grid cell in degrees (≈ 300 m × 300 m at 28.9° N).
CENTER_LNG, CENTER_LAT = 105.44, 28.87
CELL_W, CELL_H = 0.0032, 0.0028


class Node:
    """A lightweight place in the tree being built (no Django model overhead)."""

    __slots__ = (
        "address",
        "children",
        "code",
        "extra",
        "kind",
        "lat",
        "lng",
        "name",
        "parent",
        "path",
        "pk",
        "rect",
    )

    def __init__(
        self, kind, name, code, parent=None, address="", rect=None, lat=None, lng=None
    ):
        self.kind, self.name, self.code, self.parent = kind, name, code, parent
        self.children = []
        self.pk = self.path = None
        self.address, self.rect, self.lat, self.lng = address, rect, lat, lng
        self.extra = None
        if parent is not None:
            parent.children.append(self)


def rect_polygon(x0, y0, x1, y1):
    ring = [[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]
    return {
        "type": "Polygon",
        "coordinates": [[[round(x, 6), round(y, 6)] for x, y in ring]],
    }


def arrange(n):
    """Columns and rows for laying n equal cells out as a near-square block."""
    cols = math.ceil(math.sqrt(n))
    return cols, math.ceil(n / cols)


def split_rect(rect, n, inset=0.12):
    """n smaller rectangles inside rect, each inset from its share of the area."""
    x0, y0, x1, y1 = rect
    cols, rows = arrange(n)
    w, h = (x1 - x0) / cols, (y1 - y0) / rows
    out = []
    for i in range(n):
        cx, cy = i % cols, i // cols
        left, top = x0 + cx * w, y1 - cy * h
        out.append(
            (
                left + w * inset,
                top - h * (1 - inset),
                left + w * (1 - inset),
                top - h * inset,
            )
        )
    return out


def bbox(rects):
    return (
        min(r[0] for r in rects),
        min(r[1] for r in rects),
        max(r[2] for r in rects),
        max(r[3] for r in rects),
    )


def build_places(*, size, streams, note, spec=None):
    """Write the place tree; return the district node (pks and paths filled in) and
    the number of places."""
    district = lay_out(size, streams, spec)
    # Paths: the district is a new root; everything else is numbered 1.. per parent.
    district.path = path_step(next_root_index(Place))
    save_places([district], note)
    total = 1
    for position, street in enumerate(district.children, start=1):
        total += save_places(number_tree(street, district.path + path_step(position)))
    return district, total


def lay_out(size, streams, spec=None):
    """The tree of place nodes, with map rectangles, names, codes and addresses.

    spec (city.DistrictSpec): a further district of a city, with its own code and
    name, street and community names further down the lists, and its own square of
    the map beside the first district's."""
    code, name = (spec.code, spec.name) if spec else (DISTRICT_CODE, DISTRICT_NAME)
    rng = streams("places")
    compound_names = _compound_names(streams("compound-names"))
    addresses = set()

    s_cols, s_rows = arrange(size.streets)
    c_cols, c_rows = arrange(size.communities)
    g_cols, g_rows = arrange(size.grids)
    total_w = s_cols * c_cols * g_cols * CELL_W
    total_h = s_rows * c_rows * g_rows * CELL_H
    left, top = CENTER_LNG - total_w / 2, CENTER_LAT + total_h / 2
    if spec is not None:
        col, row = spec.slot
        left, top = left + col * total_w * 1.05, top + row * total_h * 1.05

    def grid_rect(s, c, g):
        col = ((s % s_cols) * c_cols + c % c_cols) * g_cols + g % g_cols
        row = ((s // s_cols) * c_rows + c // c_cols) * g_rows + g // g_cols
        x0, y1 = left + col * CELL_W, top - row * CELL_H
        return (x0, y1 - CELL_H, x0 + CELL_W, y1)

    def address():
        while True:
            text = f"{rng.choice(P.ROAD_NAMES)}{rng.randint(1, 399)}号"
            if text not in addresses:
                addresses.add(text)
                return text

    district = Node(PlaceKind.DISTRICT, name, code)
    community_no = spec.shift(0, size.streets * size.communities) if spec else 0
    for s in range(size.streets):
        named = spec.shift(s, size.streets) if spec else s
        street = Node(
            PlaceKind.STREET,
            P.STREET_NAMES[named % len(P.STREET_NAMES)],
            f"{code}{s + 1:03d}",
            district,
        )
        srng = streams("places", s)
        for c in range(size.communities):
            community = Node(
                PlaceKind.COMMUNITY,
                P.COMMUNITY_NAMES[community_no % len(P.COMMUNITY_NAMES)],
                f"{street.code}{c + 1:03d}",
                street,
            )
            community_no += 1
            for g in range(size.grids):
                rect = grid_rect(s, c, g)
                grid = Node(
                    PlaceKind.GRID,
                    P.grid_name(g + 1),
                    f"{community.code}{g + 1:03d}",
                    community,
                    rect=rect,
                )
                n_compounds = srng.choice(size.compounds)
                for k, sub in enumerate(split_rect(rect, n_compounds)):
                    compound = Node(
                        PlaceKind.COMPOUND,
                        next(compound_names),
                        f"{grid.code}{k + 1:03d}",
                        grid,
                        address=address(),
                        rect=sub,
                    )
                    n_buildings = srng.choice(size.buildings)
                    for b, spot in enumerate(split_rect(sub, n_buildings, inset=0.3)):
                        building = Node(
                            PlaceKind.BUILDING,
                            f"{b + 1}号楼",
                            f"{compound.code}{b + 1:03d}",
                            compound,
                            lat=round((spot[1] + spot[3]) / 2, 6),
                            lng=round((spot[0] + spot[2]) / 2, 6),
                        )
                        floors = srng.choice(size.floors)
                        for e in range(srng.choice(size.entrances)):
                            entrance = Node(
                                PlaceKind.ENTRANCE,
                                f"{e + 1}单元",
                                f"{building.code}{e + 1:02d}",
                                building,
                            )
                            for f in range(1, floors + 1):
                                for u in range(1, size.per_floor + 1):
                                    Node(
                                        PlaceKind.DWELLING,
                                        f"{f}{u:02d}室",
                                        f"{entrance.code}{f:02d}{u:02d}",
                                        entrance,
                                    )
            community.rect = bbox([g.rect for g in community.children])
        street.rect = bbox([c.rect for c in street.children])
    district.rect = bbox([s.rect for s in district.children])
    return district


def _compound_names(rng):
    pool = [
        w + s
        for w in P.COMPOUND_WORDS
        for s in P.COMPOUND_SUFFIXES
        if w[-1] != s[0] and not (s == "城" and "城" in w)
    ]
    pool += P.OLD_COMPOUNDS
    rng.shuffle(pool)
    yield from pool
    for phase in ("二期", "三期", "四期"):
        for name in pool:
            yield name + phase


def save_places(nodes, note=""):
    objs = []
    for node in nodes:
        geometry = lat = lng = None
        if node.rect is not None:
            x0, y0, x1, y1 = node.rect
            geometry = rect_polygon(x0, y0, x1, y1)
            lat, lng = round((y0 + y1) / 2, 6), round((x0 + x1) / 2, 6)
        else:
            lat, lng = node.lat, node.lng
        objs.append(
            Place(
                path=node.path,
                depth=len(node.path) // Place.steplen,
                numchild=len(node.children),
                name=node.name,
                kind=node.kind,
                code=node.code,
                address=node.address,
                geometry=geometry,
                lat=lat,
                lng=lng,
                note=note if node.kind == PlaceKind.DISTRICT else "",
            )
        )
    Place.objects.bulk_create(objs, batch_size=BATCH_SIZE)
    for node, obj in zip(nodes, objs, strict=True):
        node.pk = obj.pk
    return len(objs)


def purge_places(district):
    purge(Place.objects.filter(path_prefix(district.path)))
