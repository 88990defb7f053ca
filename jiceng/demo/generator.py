"""Generate the demo district deterministically from a seed.

Everything random comes from ``random.Random`` instances seeded with the seed plus a
label (one stream per street, community, …), so the same seed gives the same names,
codes, ID numbers and structure, and one level can change without reshuffling the rest.
Dates derive from the fixed BASE_DATE, never from today.

Trees (places, party organisations) are written with precomputed materialised paths
and bulk_create instead of treebeard's per-node add_child. People are generated and
written one community at a time so that the encrypted rows are never all in memory.
"""

import gc
import math
import random
import time
from bisect import bisect_left
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import connections, router, transaction
from django.db.models import DO_NOTHING, Count, Q, signals
from stdnum import numdb
from stdnum.cn import ric, uscc

from jiceng.core.models import Assignment, Department
from jiceng.core.planner import sqlite_cache
from jiceng.party.models import (
    JointCommitteeUnit,
    MemberStatus,
    PartTimeMember,
    PartyMember,
    PartyOrg,
    PartyOrgKind,
)
from jiceng.people.models import (
    Household,
    Occupancy,
    Relation,
    ResidenceType,
    Resident,
    Unit,
    UnitKind,
)
from jiceng.places.models import Place, PlaceKind

from . import names as N

BASE_DATE = date(2026, 1, 1)
GENERATOR_CACHE_KIB = 131072  # SQLite page cache while writing residents
BATCH_SIZE = 2000
DISTRICT_CODE = N.DISTRICT_CODE
DISTRICT_NAME = N.DISTRICT_NAME

# Layout of the grid tiling: one grid cell in degrees (≈ 300 m × 300 m at 28.9° N).
CENTER_LNG, CENTER_LAT = 105.44, 28.87
CELL_W, CELL_H = 0.0032, 0.0028


@dataclass(frozen=True)
class Size:
    """Shape of a generated district; tuples are the choices drawn per parent."""

    streets: int
    communities: int
    grids: int
    compounds: tuple
    buildings: tuple
    entrances: tuple
    floors: tuple
    per_floor: int
    units: dict
    empty_share: float = 0.10
    family_group_share: float = 0.3


SIZES = {
    "small": Size(
        streets=2,
        communities=2,
        grids=3,
        compounds=(2,),
        buildings=(3,),
        entrances=(2,),
        floors=(6,),
        per_floor=2,
        units={
            UnitKind.AGENCY: 3,
            UnitKind.INSTITUTION: 5,
            UnitKind.STATE_OWNED: 3,
            UnitKind.PRIVATE: 9,
            UnitKind.SOCIAL_ORG: 3,
            UnitKind.INDIVIDUAL: 3,
            UnitKind.PROPERTY: 4,
        },
    ),
    "district": Size(
        streets=5,
        communities=4,
        grids=30,
        compounds=(1, 2, 2, 3),
        buildings=(1, 2, 2, 3),
        entrances=(2,),
        floors=(5, 6, 7, 8, 9, 10, 11),
        per_floor=2,
        units={
            UnitKind.AGENCY: 60,
            UnitKind.INSTITUTION: 170,
            UnitKind.STATE_OWNED: 100,
            UnitKind.PRIVATE: 600,
            UnitKind.SOCIAL_ORG: 170,
            UnitKind.INDIVIDUAL: 250,
            UnitKind.PROPERTY: 150,
        },
    ),
}


# ---- helpers --------------------------------------------------------------------------


def path_step(index: int) -> str:
    """The materialised-path step of a 1-based sibling index (treebeard's encoding)."""
    alphabet, steplen = Place.alphabet, Place.steplen
    digits = ""
    while index:
        index, rest = divmod(index, len(alphabet))
        digits = alphabet[rest] + digits
    if len(digits) > steplen:
        raise ValueError("too many siblings for the path step length")
    return digits.rjust(steplen, alphabet[0])


def next_root_index(model) -> int:
    last = model.objects.get_last_root_node()
    return int(last.path[: model.steplen], len(model.alphabet)) + 1 if last else 1


def weighted(pairs):
    """(values, cumulative weights) for rng.choices."""
    values, cum, total = [], [], 0
    for value, weight in pairs:
        total += weight
        values.append(value)
        cum.append(total)
    return values, cum


def pick(rng, table):
    values, cum = table
    return rng.choices(values, cum_weights=cum)[0]


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


def years_ago(years: int, rng) -> date:
    """A date about `years` years before BASE_DATE, spread over that year."""
    return date(BASE_DATE.year - years - 1, 1, 1) + timedelta(days=rng.randrange(365))


def set_column(model, field_name, pairs):
    """UPDATE one column for many rows: pairs of (value, pk), one executemany."""
    if not pairs:
        return
    connection = connections[router.db_for_write(model)]
    quote = connection.ops.quote_name
    column = model._meta.get_field(field_name).column
    # Only quoted identifiers from the model's metadata are interpolated.
    sql = (
        f"UPDATE {quote(model._meta.db_table)} SET {quote(column)} = %s "  # noqa: S608
        f"WHERE {quote(model._meta.pk.column)} = %s"
    )
    with connection.cursor() as cursor:
        for start in range(0, len(pairs), BATCH_SIZE):
            cursor.executemany(sql, pairs[start : start + BATCH_SIZE])


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


class OrgNode:
    """A party organisation being built."""

    __slots__ = (
        "children",
        "founded",
        "joint",
        "kind",
        "name",
        "path",
        "pk",
        "place_pk",
        "scope",
        "secretary",
    )

    def __init__(self, kind, name, place_pk, founded, parent=None, joint=False):
        self.kind, self.name, self.place_pk, self.founded = (
            kind,
            name,
            place_pk,
            founded,
        )
        self.joint = joint
        self.children = []
        self.pk = self.secretary = self.path = self.scope = None
        if parent is not None:
            parent.children.append(self)


class MemberRec:
    """What the organisation builder needs to know about one party member."""

    __slots__ = (
        "age",
        "building",
        "dwelling",
        "grid",
        "joined_on",
        "name",
        "pk",
        "probationary",
        "resident",
        "status",
        "unit_pk",
    )

    def __init__(self, **kwargs):
        self.pk = None
        for key, value in kwargs.items():
            setattr(self, key, value)


class UnitRec:
    __slots__ = ("community", "has_org", "kind", "name", "pk", "street")

    def __init__(self, pk, name, kind, street, community, has_org):
        self.pk, self.name, self.kind = pk, name, kind
        self.street, self.community, self.has_org = street, community, has_org


class Regions:
    """Weighted region codes for ID numbers, limited to codes valid in the birth year.

    python-stdnum (and so validate_id_number) rejects a code for births before the code
    existed, e.g. 510502 only from 1983, so each pool is filtered per birth year. The
    year spans are read once per code from stdnum's own GB/T 2260 table.
    """

    POOLS = {
        "local": N.LOCAL_REGIONS,
        "local_old": N.LOCAL_REGIONS_OLD,
        "other": N.OTHER_REGIONS,
    }

    def __init__(self):
        self._tables = {}
        self._spans = {}

    def spans(self, code):
        """[(first_year, last_year)] in which python-stdnum accepts the code."""
        if code not in self._spans:
            info = {}
            for _, props in numdb.get("cn/loc").info(code):
                info.update(props)
            spans = []
            for county in filter(None, info.get("county", "").split(",")):
                if not county.startswith("["):
                    spans = [(0, 9999)]
                    break
                start, end = county[1:].split("]")[0].split("-")
                spans.append((int(start or 0), int(end or 9999)))
            self._spans[code] = spans
        return self._spans[code]

    def valid(self, code, year):
        return any(start <= year <= end for start, end in self.spans(code))

    def pick(self, rng, pool, year):
        if pool == "local" and year < 1983:
            pool = "local_old"
        key = (pool, year)
        table = self._tables.get(key)
        if table is None:
            pairs = [(c, w) for c, w in self.POOLS[pool] if self.valid(c, year)]
            if not pairs:
                pairs = [(c, w) for c, w in N.OTHER_REGIONS if self.valid(c, year)]
            table = self._tables[key] = weighted(pairs)
        return pick(rng, table)


# Household compositions with weights (per 100 households): mean size ≈ 2.9,
# about 18–20 % of people over 60.
HOUSEHOLD_TYPES = weighted(
    [
        ("elder_alone", 7),
        ("elder_couple", 10),
        ("single", 7),
        ("couple", 10),
        ("one_child", 26),
        ("two_children", 15),
        ("three_gen", 15),
        ("single_parent", 5),
        ("elder_with_child", 5),
    ]
)
OLD_TYPES = {"elder_alone", "elder_couple", "three_gen", "elder_with_child"}
RESIDENCE_OLD = weighted(
    [
        (ResidenceType.REGISTERED, 85),
        (ResidenceType.PERMANENT, 13),
        (ResidenceType.TENANT, 2),
    ]
)
RESIDENCE_YOUNG = weighted(
    [
        (ResidenceType.REGISTERED, 60),
        (ResidenceType.PERMANENT, 14),
        (ResidenceType.TENANT, 13),
        (ResidenceType.FLOATING, 13),
    ]
)
SURNAMES = weighted(N.SURNAMES)
ETHNICITIES = weighted(N.ETHNICITIES)
UNIT_PREFIX = {
    UnitKind.AGENCY: "11",
    UnitKind.INSTITUTION: "12",
    UnitKind.SOCIAL_ORG: "52",
    UnitKind.INDIVIDUAL: "92",
}
USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
ORG_CODE_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
PARTY_RATE = ((30, 0.031), (45, 0.047), (60, 0.062), (80, 0.13), (200, 0.13))


PUBLIC_UNITS = {UnitKind.AGENCY, UnitKind.INSTITUTION, UnitKind.STATE_OWNED}
STAFF = {
    UnitKind.AGENCY: (30, 200),
    UnitKind.INSTITUTION: (20, 300),
    UnitKind.STATE_OWNED: (40, 800),
    UnitKind.PRIVATE: (5, 300),
    UnitKind.SOCIAL_ORG: (3, 30),
    UnitKind.INDIVIDUAL: (1, 8),
    UnitKind.PROPERTY: (10, 120),
}
# Smaller outfits whose names say so: (name ending, staff range).
SMALL_UNITS = (
    ("加油站", (8, 30)),
    ("支行", (12, 60)),
    ("所", (8, 40)),
    ("中队", (15, 40)),
    ("幼儿园", (12, 60)),
    ("卫生服务站", (5, 15)),
    ("文化站", (3, 10)),
    ("营业部", (8, 30)),
)


def staff_range(kind, name):
    for ending, span in SMALL_UNITS:
        if name.endswith(ending):
            return span
    return STAFF.get(kind, (5, 50))


def party_org_suffix(kind, name, staff):
    """机关党委 for bureaus; otherwise 党委/党总支/党支部 by size, as the party rules set."""
    if kind == UnitKind.AGENCY and name.endswith("局"):
        return "机关党委"
    if kind in PUBLIC_UNITS and staff >= 300:
        return "党委"
    return "党总支" if kind in PUBLIC_UNITS and staff >= 100 else "党支部"


def positions_for(unit):
    if unit.kind == UnitKind.INSTITUTION:
        if unit.name.endswith("幼儿园"):
            return ["园长", "党支部书记"]
        if unit.name.endswith(("学", "学校")):
            return ["校长", "党总支书记", "副校长"]
        if unit.name.endswith(("院", "中心", "站")):
            return ["院长", "主任", "党支部书记"]
    if unit.kind == UnitKind.STATE_OWNED and unit.name.endswith("支行"):
        return ["行长", "副行长"]
    if unit.kind == UnitKind.STATE_OWNED and unit.name.endswith("加油站"):
        return ["站长"]
    return N.POSITIONS.get(unit.kind, N.POSITIONS["other"])


def org_code(body: str) -> str:
    """Append the GB 11714 check character to an 8-character organisation code body."""
    total = sum(int(ch, 36) * w for ch, w in zip(body, ORG_CODE_WEIGHTS, strict=True))
    check = 11 - total % 11
    return body + ("X" if check == 10 else "0" if check == 11 else str(check))


class DemoGenerator:
    """Build the demo district; run() writes everything in one transaction."""

    def __init__(self, size="small", seed=1, log=None):
        if size not in SIZES:
            raise ValueError(f"unknown size {size!r}")
        self.size_name, self.size, self.seed = size, SIZES[size], seed
        self.log = log or (lambda message: None)
        self.regions = Regions()
        self.id_numbers = set()
        self.phones = set()
        self.counts = {}

    def rng(self, *parts) -> random.Random:
        return random.Random(":".join(str(p) for p in (self.seed, *parts)))

    # ---- orchestration ----------------------------------------------------------------

    def run(self):
        # The cyclic GC rescans every live object on each collection; with hundreds of
        # thousands of fresh model instances that dominates the run, so pause it.
        was_enabled = gc.isenabled()
        gc.disable()
        try:
            return self._run()
        finally:
            if was_enabled:
                gc.enable()

    def _run(self):
        started = time.monotonic()
        with transaction.atomic(), sqlite_cache(GENERATOR_CACHE_KIB, model=Resident):
            self.departments = ensure_departments()
            district = self.build_places()
            elapsed = time.monotonic() - started
            self.log(f"地点已生成：{self.counts['places']} 个（{elapsed:.1f} 秒）")
            self.build_units()
            self.log(f"单位已生成：{len(self.units)} 个")
            self.committees = []
            self.next_org_root = next_root_index(PartyOrg)
            for street in district.children:
                t0 = time.monotonic()
                people, members = self.build_street_people(street)
                orgs = self.build_street_orgs(street, members)
                gc.collect()
                self.log(
                    f"{street.name}：居民 {people} 人，党员 {len(members)} 名，"
                    f"党组织 {orgs} 个（{time.monotonic() - t0:.1f} 秒）"
                )
            self.build_joint_committees()
        return district

    # ---- places -----------------------------------------------------------------------

    def build_places(self):
        size = self.size
        rng = self.rng("places")
        compound_names = self._compound_names()
        addresses = set()

        s_cols, s_rows = arrange(size.streets)
        c_cols, c_rows = arrange(size.communities)
        g_cols, g_rows = arrange(size.grids)
        total_w = s_cols * c_cols * g_cols * CELL_W
        total_h = s_rows * c_rows * g_rows * CELL_H
        left, top = CENTER_LNG - total_w / 2, CENTER_LAT + total_h / 2

        def grid_rect(s, c, g):
            col = ((s % s_cols) * c_cols + c % c_cols) * g_cols + g % g_cols
            row = ((s // s_cols) * c_rows + c // c_cols) * g_rows + g // g_cols
            x0, y1 = left + col * CELL_W, top - row * CELL_H
            return (x0, y1 - CELL_H, x0 + CELL_W, y1)

        def address():
            while True:
                text = f"{rng.choice(N.ROAD_NAMES)}{rng.randint(1, 399)}号"
                if text not in addresses:
                    addresses.add(text)
                    return text

        district = Node(PlaceKind.DISTRICT, DISTRICT_NAME, DISTRICT_CODE)
        community_no = 0
        for s in range(size.streets):
            street = Node(
                PlaceKind.STREET,
                N.STREET_NAMES[s],
                f"{DISTRICT_CODE}{s + 1:03d}",
                district,
            )
            srng = self.rng("places", s)
            for c in range(size.communities):
                community = Node(
                    PlaceKind.COMMUNITY,
                    N.COMMUNITY_NAMES[community_no],
                    f"{street.code}{c + 1:03d}",
                    street,
                )
                community_no += 1
                for g in range(size.grids):
                    rect = grid_rect(s, c, g)
                    grid = Node(
                        PlaceKind.GRID,
                        N.grid_name(g + 1),
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
                        for b, spot in enumerate(
                            split_rect(sub, n_buildings, inset=0.3)
                        ):
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

        # Paths: the district is a new root; everything else is numbered 1.. per parent.
        district.path = path_step(next_root_index(Place))
        note = f"演示数据（规模 {self.size_name}，种子 {self.seed}）"
        self._save_places([district], note)
        total = 1
        for street in district.children:
            total += self._save_places(self._walk(street, district.path, []))
        self.counts["places"] = total
        self.district = district
        return district

    def _compound_names(self):
        rng = self.rng("compound-names")
        pool = [
            w + s
            for w in N.COMPOUND_WORDS
            for s in N.COMPOUND_SUFFIXES
            if w[-1] != s[0] and not (s == "城" and "城" in w)
        ]
        pool += N.OLD_COMPOUNDS
        rng.shuffle(pool)
        yield from pool
        for phase in ("二期", "三期", "四期"):
            for name in pool:
                yield name + phase

    def _walk(self, root, parent_path, rows):
        """Give root (the n-th child of its parent) and its subtree paths, in path order."""
        position = root.parent.children.index(root) + 1
        stack = [(root, parent_path + path_step(position))]
        while stack:
            node, path = stack.pop()
            node.path = path
            rows.append(node)
            for i in range(len(node.children), 0, -1):
                stack.append((node.children[i - 1], path + path_step(i)))
        return rows

    def _save_places(self, nodes, note=""):
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

    # ---- units ------------------------------------------------------------------------

    def build_units(self):
        rng = self.rng("units")
        district = self.district
        streets = district.children
        communities = [c for s in streets for c in s.children]
        street_of = {id(c): si for si, s in enumerate(streets) for c in s.children}

        # Candidate names per kind, each optionally tied to a street or a community.
        cands = {kind: [] for kind in self.size.units}
        cands[UnitKind.AGENCY] = [(n, None) for n in N.AGENCY_NAMES]
        cands[UnitKind.INSTITUTION] = [(n, None) for n in N.INSTITUTION_NAMES]
        for template, count in N.INSTITUTION_NUMBERED:
            cands[UnitKind.INSTITUTION] += [
                (template.format(n=N.chinese_number(i)), None)
                for i in range(1, count + 1)
            ]
        cands[UnitKind.STATE_OWNED] = [(n, None) for n in N.STATE_OWNED_NAMES]
        cands[UnitKind.SOCIAL_ORG] = [(n, None) for n in N.SOCIAL_ORG_NAMES]
        for street in streets:
            short = street.name.removesuffix("街道")
            fmt = {"street": short, "street_full": street.name}
            cands[UnitKind.AGENCY] += [
                (t.format(**fmt), street) for t in N.AGENCY_STREET_TEMPLATES
            ]
            cands[UnitKind.INSTITUTION] += [
                (t.format(**fmt), street) for t in N.INSTITUTION_STREET_TEMPLATES
            ]
            cands[UnitKind.STATE_OWNED] += [
                (N.STATE_OWNED_TEMPLATES[0].format(bank=bank, street=short), street)
                for bank in N.BANKS
            ]
        for community in communities:
            cands[UnitKind.INSTITUTION] += [
                (t.format(community=community.name), community)
                for t in N.INSTITUTION_COMMUNITY_TEMPLATES
            ]
            cands[UnitKind.SOCIAL_ORG] += [
                (t.format(community=community.name), community)
                for t in N.SOCIAL_ORG_COMMUNITY_TEMPLATES
            ]
        for road in N.ROAD_NAMES:
            cands[UnitKind.STATE_OWNED] += [
                (t.format(road=road), None) for t in N.STATE_OWNED_TEMPLATES[1:]
            ]
        for word in N.FIRM_WORDS:
            cands[UnitKind.SOCIAL_ORG] += [
                (t.format(word=word), None) for t in N.SOCIAL_ORG_TEMPLATES
            ]
            cands[UnitKind.PROPERTY] += [
                (t.format(word=word), None) for t in N.PROPERTY_TEMPLATES
            ]
            cands[UnitKind.PRIVATE] += [
                (f"{N.CITY_NAME}{word}{industry}{suffix}", None)
                for industry, suffix in zip(
                    N.FIRM_INDUSTRIES, N.FIRM_SUFFIXES * 6, strict=True
                )
            ]
            cands[UnitKind.INDIVIDUAL] += [
                (f"{N.DISTRICT_NAME}{word}{shop}", None) for shop in N.INDIVIDUAL_SHOPS
            ]

        # Choose names, then places: tied units go to their street/community, free units
        # first top every community up to four so each 大党委 has member units nearby.
        chosen = []
        names_taken = set()
        for kind, count in self.size.units.items():
            pool = [c for c in cands[kind] if c[0] not in names_taken]
            rng.shuffle(pool)
            for name, anchor in pool[:count]:
                names_taken.add(name)
                chosen.append((kind, name, anchor))
        rng.shuffle(chosen)
        # The first property company manages compound #1 (the `wuye` demo account).
        first_compound = communities[0].children[0].children[0]
        compounds_free = [
            p for c in communities for g in c.children for p in g.children
        ]
        compounds_free.remove(first_compound)
        rng.shuffle(compounds_free)
        per_community = {id(c): 0 for c in communities}
        placed = []
        first_property = True
        for kind, name, anchor in chosen:
            if kind == UnitKind.PROPERTY:
                place = first_compound if first_property else compounds_free.pop()
                first_property = False
                community = place.parent.parent
            else:
                if anchor is not None and anchor.kind == PlaceKind.COMMUNITY:
                    community = anchor
                elif anchor is not None:
                    community = rng.choice(anchor.children)
                else:
                    short = [c for c in communities if per_community[id(c)] < 4]
                    community = short[0] if short else rng.choice(communities)
                grid = rng.choice(community.children)
                place = rng.choice(grid.children) if rng.random() < 0.4 else grid
            per_community[id(community)] += 1
            placed.append((kind, name, place, community))

        credit_codes = set()
        objs = []
        for kind, name, place, _community in placed:
            has_org = (
                kind in PUBLIC_UNITS
                or (kind == UnitKind.PROPERTY and rng.random() < 0.6)
                or (
                    kind in {UnitKind.PRIVATE, UnitKind.SOCIAL_ORG}
                    and rng.random() < 0.35
                )
            )
            staff = rng.randint(*staff_range(kind, name))
            party_org_name = (
                f"中共{name}{party_org_suffix(kind, name, staff)}" if has_org else ""
            )
            address = (
                place.address or f"{rng.choice(N.ROAD_NAMES)}{rng.randint(1, 399)}号"
            )
            objs.append(
                Unit(
                    name=name,
                    kind=kind,
                    credit_code=self._credit_code(rng, kind, name, credit_codes),
                    place_id=place.pk,
                    address=address,
                    party_org_name=party_org_name,
                    contact_name=self._person_name(
                        rng, rng.choice("MF"), rng.randint(1965, 1995)
                    ),
                    contact_phone=self._phone(rng),
                    staff_count=staff,
                )
            )
        Unit.objects.bulk_create(objs, batch_size=BATCH_SIZE)
        self.units = [
            UnitRec(
                obj.pk,
                obj.name,
                obj.kind,
                street_of[id(community)],
                communities.index(community),
                bool(obj.party_org_name),
            )
            for obj, (_, _, _, community) in zip(objs, placed, strict=True)
        ]
        self.units_by_street = [
            [u for u in self.units if u.street == s] for s in range(len(streets))
        ]
        self.org_units_by_street = [
            [u for u in units if u.has_org] for units in self.units_by_street
        ]
        self.org_units = [u for u in self.units if u.has_org]

    def _credit_code(self, rng, kind, name, taken):
        prefix = UNIT_PREFIX.get(kind, "91")
        if kind == UnitKind.SOCIAL_ORG and name.endswith(("会", "协会")):
            prefix = "51"
        while True:
            if prefix.startswith("9") and rng.random() < 0.7:
                body = "MA" + "".join(rng.choice(USCC_CHARS) for _ in range(6))
            else:
                body = f"{rng.randrange(10**8):08d}"
            number = f"{prefix}{DISTRICT_CODE}{org_code(body)}"
            number += uscc.calc_check_digit(number)
            if number not in taken:
                taken.add(number)
                return number

    # ---- people -----------------------------------------------------------------------

    def _person_name(self, rng, sex, birth_year):
        surname = pick(rng, SURNAMES)
        return surname + self._given_name(rng, sex, birth_year)

    def _given_name(self, rng, sex, birth_year):
        era = "old" if birth_year < 1960 else "middle" if birth_year < 1990 else "young"
        pool = N.GIVEN_NAMES[era]
        chars, doubles = pool[sex]
        roll = rng.random()
        if roll < pool[f"{sex}_weight"]:
            return rng.choice(chars)
        if roll < 0.75:
            return rng.choice(doubles.split())
        return rng.choice(chars) + rng.choice(chars)

    def _phone(self, rng):
        while True:
            number = rng.choice(N.MOBILE_PREFIXES) + f"{rng.randrange(10**8):08d}"
            if number not in self.phones:
                self.phones.add(number)
                return number

    def _id_number(self, rng, origin, birth, sex):
        region = self.regions.pick(rng, origin, birth.year)
        while True:
            order = rng.randrange(1, 500) * 2 + (1 if sex == "M" else 0)
            body = f"{region}{birth:%Y%m%d}{order:03d}"
            number = body + ric.calc_check_digit(body + "0")
            if number not in self.id_numbers:
                self.id_numbers.add(number)
                return number

    def _household_plan(self, rng):
        """(kind, [(relation, sex, age)]) for one household, the head first."""
        kind = pick(rng, HOUSEHOLD_TYPES)
        male_head = rng.random() < 0.7
        head_sex, spouse_sex = ("M", "F") if male_head else ("F", "M")
        members = []

        def couple(age_lo, age_hi):
            age = rng.randint(age_lo, age_hi)
            members.append((Relation.HEAD, head_sex, age))
            gap = rng.randint(0, 4)
            spouse_age = age - gap if head_sex == "M" else age + gap
            members.append((Relation.SPOUSE, spouse_sex, max(20, spouse_age)))
            return age

        def children(parent_age, n):
            oldest = min(parent_age - 22, 26)
            if oldest < 0:
                return
            age = rng.randint(0, oldest)
            for _ in range(n):
                members.append((Relation.CHILD, rng.choice("MF"), age))
                age = max(0, age - rng.randint(2, 8))

        if kind == "elder_alone":
            sex = "F" if rng.random() < 0.65 else "M"
            members.append(
                (Relation.HEAD, sex, min(95, int(rng.triangular(62, 95, 74))))
            )
        elif kind == "elder_couple":
            head_sex, spouse_sex = "M", "F"
            couple(60, 88)
        elif kind == "single":
            members.append(
                (Relation.HEAD, rng.choice("MF"), int(rng.triangular(20, 59, 28)))
            )
            if rng.random() < 0.12:
                members.append(
                    (
                        Relation.SIBLING,
                        rng.choice("MF"),
                        max(18, members[0][2] + rng.randint(-6, 6)),
                    )
                )
        elif kind == "couple":
            couple(*((22, 35) if rng.random() < 0.6 else (45, 59)))
        elif kind == "one_child":
            children(couple(25, 55), 1)
        elif kind == "two_children":
            children(couple(28, 55), 2)
        elif kind == "three_gen":
            age = couple(28, 52)
            children(age, rng.choice((1, 1, 2)))
            parent_age = min(95, age + rng.randint(23, 32))
            if rng.random() < 0.5:
                members.append((Relation.PARENT, "M", parent_age))
                members.append(
                    (Relation.PARENT, "F", max(55, parent_age - rng.randint(0, 4)))
                )
            else:
                members.append(
                    (Relation.PARENT, "F" if rng.random() < 0.7 else "M", parent_age)
                )
        elif kind == "single_parent":
            sex = "F" if rng.random() < 0.75 else "M"
            age = rng.randint(28, 50)
            members.append((Relation.HEAD, sex, age))
            children(age, 1)
        else:  # elder_with_child
            age = rng.randint(60, 85)
            sex = "M" if rng.random() < 0.5 else "F"
            members.append((Relation.HEAD, sex, age))
            if rng.random() < 0.5:
                members.append(
                    (
                        Relation.SPOUSE,
                        "F" if sex == "M" else "M",
                        max(56, age - rng.randint(-3, 4)),
                    )
                )
            members.append(
                (Relation.CHILD, rng.choice("MF"), age - rng.randint(24, 34))
            )
        return kind, members

    def _phone_share(self, age):
        if age < 14:
            return 0.0
        if age < 18:
            return 0.3
        if age < 70:
            return 0.93
        return 0.7 if age < 80 else 0.4

    def build_street_people(self, street):
        """Households and residents of one street, one community at a time."""
        s = self.district.children.index(street)
        members = []
        people = 0
        for c, community in enumerate(street.children):
            rng = self.rng("people", s, c)
            people += self._build_community_people(rng, s, community, members)
        street.extra = members
        return people, members

    def _build_community_people(self, rng, s, community, members):
        size = self.size
        households, residents, heads = [], [], []
        for grid in community.children:
            grid.extra = []  # [(building, dwelling, [MemberRec])] in dwelling order
            for compound in grid.children:
                for building in compound.children:
                    for entrance in building.children:
                        for dwelling in entrance.children:
                            if rng.random() < size.empty_share:
                                continue
                            household = Household(
                                number=dwelling.code + "01", place_id=dwelling.pk
                            )
                            households.append(household)
                            first = len(residents)
                            here = self._make_household(
                                rng,
                                s,
                                household,
                                dwelling,
                                grid,
                                building,
                                residents,
                                members,
                            )
                            heads.append(residents[first])
                            grid.extra.append((building, dwelling, here))
        Household.objects.bulk_create(households, batch_size=BATCH_SIZE)
        Resident.objects.bulk_create(residents, batch_size=BATCH_SIZE)
        Occupancy.objects.bulk_create(
            self._past_stays(self.rng("stays", s, community.code), residents),
            batch_size=BATCH_SIZE,
        )
        set_column(
            Household,
            "head",
            [(head.pk, hh.pk) for hh, head in zip(households, heads, strict=True)],
        )
        for rec in members:
            if not isinstance(rec.resident, int):
                rec.resident = rec.resident.pk
        return len(residents)

    def _past_stays(self, rng, residents):
        """Where some renting households lived before, so dwelling pages show former
        occupants: about one in four moved from another dwelling of the community,
        all members together, one whose present occupants came after they left. A
        separate random stream: the people stay the same."""
        first_in = {}
        movers = {}
        for resident in residents:
            place, day = resident.place_id, resident.moved_in_on
            first_in[place] = min(first_in.get(place, day), day)
            if resident.residence_type in (
                ResidenceType.TENANT,
                ResidenceType.FLOATING,
            ):
                movers.setdefault(resident.household.pk, []).append(resident)
        by_first_in = sorted((day, place) for place, day in first_in.items())
        days = [day for day, _ in by_first_in]
        stays = []
        for members in movers.values():
            if rng.random() >= 0.25:
                continue
            here = members[0].place_id
            moved_in = min(r.moved_in_on for r in members)  # born later: no stay
            free = [
                p for _, p in by_first_in[bisect_left(days, moved_in) :] if p != here
            ]
            if not free:
                continue
            before = rng.choice(free)
            started = moved_in - timedelta(days=rng.randint(180, 3 * 365))
            stays.extend(
                Occupancy(
                    resident_id=r.pk,
                    place_id=before,
                    started_on=max(started, r.birth_date),
                    ended_on=r.moved_in_on,
                )
                for r in members
                if r.birth_date < r.moved_in_on
            )
        return stays

    def _make_household(
        self,
        rng,
        s,
        household,
        dwelling,
        grid,
        building,
        residents,
        members,
    ):
        kind, plan = self._household_plan(rng)
        table = RESIDENCE_OLD if kind in OLD_TYPES else RESIDENCE_YOUNG
        rtype = pick(rng, table)
        if rtype == ResidenceType.FLOATING:
            origin = "other"
        elif rtype == ResidenceType.TENANT:
            origin = "other" if rng.random() < 0.5 else "local"
        else:
            origin = "local"
        head_age = plan[0][2]
        if rtype in (ResidenceType.FLOATING, ResidenceType.TENANT):
            moved_in = BASE_DATE - timedelta(days=rng.randint(20, 5 * 365))
        else:
            moved_in = years_ago(rng.randint(0, max(0, min(30, head_age - 21))), rng)
        head_surname = pick(rng, SURNAMES)
        spouse_surname = pick(rng, SURNAMES)
        head_sex = plan[0][1]
        father_surname = head_surname if head_sex == "M" else spouse_surname
        here = []
        for relation, sex, age in plan:
            birth = years_ago(age, rng)
            if relation in (Relation.HEAD, Relation.SIBLING):
                surname = head_surname
            elif relation == Relation.SPOUSE:
                surname = spouse_surname
            elif relation == Relation.CHILD:
                surname = (
                    father_surname
                    if rng.random() < 0.92
                    else (spouse_surname if head_sex == "M" else head_surname)
                )
            elif relation == Relation.PARENT and sex == "M":
                surname = head_surname
            else:
                surname = pick(rng, SURNAMES)
            name = surname + self._given_name(rng, sex, birth.year)
            person_origin = origin
            if (
                origin == "other"
                and relation == Relation.CHILD
                and age < 10
                and rng.random() < 0.4
            ):
                person_origin = "local"
            resident = Resident(
                name=name,
                sex=sex,
                birth_date=birth,
                ethnicity=pick(rng, ETHNICITIES),
                id_number=self._id_number(rng, person_origin, birth, sex),
                phone=self._phone(rng) if rng.random() < self._phone_share(age) else "",
                place_id=dwelling.pk,
                household=household,
                relation=relation,
                residence_type=rtype,
                moved_in_on=max(moved_in, birth),
            )
            working = 18 <= age < 60
            if working and rng.random() < 0.07:
                resident.work_unit_id = self._pick_unit(
                    rng, self.units_by_street[s], self.units
                )
            member = self._maybe_member(
                rng, s, resident, age, rtype, grid, building, dwelling
            )
            if member is not None:
                members.append(member)
                here.append(member)
            residents.append(resident)
        return here

    def _pick_unit(self, rng, local, everywhere):
        return (
            rng.choice(local)
            if local and rng.random() < 0.6
            else rng.choice(everywhere)
        ).pk

    def _maybe_member(self, rng, s, resident, age, rtype, grid, building, dwelling):
        if age < 18:
            return None
        rate = next(r for limit, r in PARTY_RATE if age < limit)
        if rng.random() >= rate:
            return None
        retired_age = 60 if resident.sex == "M" else 55
        unit_pk = None
        if rtype == ResidenceType.FLOATING and rng.random() < 0.7:
            status = MemberStatus.MOBILE
        elif age >= retired_age:
            status = MemberStatus.RETIRED if rng.random() < 0.93 else MemberStatus.OTHER
        else:
            roll = rng.random()
            if roll < 0.72:
                status = MemberStatus.IN_SERVICE
                unit_pk = self._pick_unit(
                    rng, self.org_units_by_street[s], self.org_units or self.units
                )
                resident.work_unit_id = unit_pk
            elif roll < 0.86:
                status = MemberStatus.MOBILE
            else:
                status = MemberStatus.OTHER
        birth = resident.birth_date
        probationary = age < 20 or (age < 40 and rng.random() < 0.05)
        if probationary:
            joined = BASE_DATE - timedelta(days=rng.randint(20, 360))
        else:
            oldest = max(19, min(age, 60))
            join_age = int(rng.triangular(18, oldest, min(24, oldest)))
            joined = min(
                date(birth.year + join_age, 7, 1)
                + timedelta(days=rng.randint(-150, 150)),
                BASE_DATE - timedelta(days=400),
            )
        joined = max(joined, date(birth.year + 18, birth.month, min(birth.day, 28)))
        return MemberRec(
            resident=resident,
            name=resident.name,
            age=age,
            status=status,
            unit_pk=unit_pk,
            joined_on=joined,
            probationary=probationary,
            grid=grid,
            building=building,
            dwelling=dwelling,
        )

    # ---- party organisations ----------------------------------------------------------

    def build_street_orgs(self, street, members):
        """The street's organisation tree, its members and the secretaries."""
        s = self.district.children.index(street)
        rng = self.rng("orgs", s)
        root = OrgNode(
            PartyOrgKind.STREET_COMMITTEE,
            f"{street.name}党工委",
            street.pk,
            years_ago(rng.randint(20, 40), rng),
            joint=True,
        )
        root.scope = members
        self.committees.append((root, s, None))
        branch_of = {}
        group_of = {}
        for community in street.children:
            committee = OrgNode(
                PartyOrgKind.COMMUNITY_COMMITTEE,
                f"{community.name}党委",
                community.pk,
                years_ago(rng.randint(10, 25), rng),
                root,
                joint=True,
            )
            committee.scope = [m for m in members if m.grid.parent is community]
            self.committees.append((committee, s, community))
            for grid in community.children:
                branch = OrgNode(
                    PartyOrgKind.GRID_BRANCH,
                    f"{community.name}{grid.name}党支部",
                    grid.pk,
                    years_ago(rng.randint(3, 9), rng),
                    committee,
                )
                branch.scope = [m for m in committee.scope if m.grid is grid]
                branch_of[id(grid)] = branch
                for compound in grid.children:
                    for building in compound.children:
                        group = OrgNode(
                            PartyOrgKind.BUILDING_GROUP,
                            f"{compound.name}{building.name}党小组",
                            building.pk,
                            years_ago(rng.randint(1, 7), rng),
                            branch,
                        )
                        group.scope = [
                            m for m in branch.scope if m.building is building
                        ]
                        group_of[id(building)] = group
                self._member_households(rng, grid, group_of)
                self._family_groups(rng, grid, group_of)

        # Secretaries: someone from the organisation's own subtree, preferring people
        # of working or early-retirement age; a member household is led by its lead.
        used = set()
        self._walk_orgs(root, lambda node: self._pick_secretary(rng, node, used))

        # Paths, then rows.
        root.path = path_step(self.next_org_root)
        self.next_org_root += 1
        nodes = []
        stack = [root]
        while stack:
            node = stack.pop()
            nodes.append(node)
            for i in range(len(node.children), 0, -1):
                child = node.children[i - 1]
                child.path = node.path + path_step(i)
                stack.append(child)
        objs = [
            PartyOrg(
                path=n.path,
                depth=len(n.path) // PartyOrg.steplen,
                numchild=len(n.children),
                name=n.name,
                kind=n.kind,
                place_id=n.place_pk,
                is_joint_committee=n.joint,
                founded_on=n.founded,
            )
            for n in nodes
        ]
        PartyOrg.objects.bulk_create(objs, batch_size=BATCH_SIZE)
        for node, obj in zip(nodes, objs, strict=True):
            node.pk = obj.pk

        member_objs = [
            PartyMember(
                resident_id=m.resident,
                org_id=branch_of[id(m.grid)].pk,
                unit_id=m.unit_pk,
                place_id=m.grid.pk,
                status=m.status,
                joined_on=m.joined_on,
                is_probationary=m.probationary,
            )
            for m in members
        ]
        PartyMember.objects.bulk_create(member_objs, batch_size=BATCH_SIZE)
        for rec, obj in zip(members, member_objs, strict=True):
            rec.pk = obj.pk
        set_column(
            PartyOrg,
            "secretary",
            [(n.secretary.pk, n.pk) for n in nodes if n.secretary is not None],
        )
        for node in nodes:
            node.scope = None
        for community in street.children:
            for grid in community.children:
                grid.extra = None
        street.extra = None
        return len(nodes)

    def _walk_orgs(self, node, visit):
        visit(node)
        for child in node.children:
            self._walk_orgs(child, visit)

    def _pick_secretary(self, rng, node, used):
        if node.secretary is not None or not node.scope:
            return
        fresh = [
            m
            for m in node.scope
            if id(m) not in used
            and 30 <= m.age < 70
            and m.status != MemberStatus.MOBILE
            and not m.probationary
        ]
        fresh = fresh or [m for m in node.scope if id(m) not in used]
        if fresh:
            chosen = rng.choice(fresh)
            used.add(id(chosen))
            node.secretary = chosen

    def _member_households(self, rng, grid, group_of):
        """One 党员中心户 per 30–50 households, led by a member living among them."""
        households = grid.extra
        start = 0
        while start < len(households):
            end = min(len(households), start + rng.randint(30, 50))
            if len(households) - end < 15:
                end = len(households)
            chunk = households[start:end]
            start = end
            candidates = [
                m
                for _, _, here in chunk
                for m in here
                if m.status != MemberStatus.MOBILE and not m.probationary
            ]
            if not candidates:
                continue
            retired = [m for m in candidates if m.status == MemberStatus.RETIRED]
            lead = rng.choice(retired if retired and rng.random() < 0.7 else candidates)
            dwelling = lead.dwelling
            place = dwelling if rng.random() < 0.7 else dwelling.parent
            node = OrgNode(
                PartyOrgKind.MEMBER_HOUSEHOLD,
                f"{lead.name}党员中心户",
                place.pk,
                years_ago(rng.randint(0, 5), rng),
                group_of[id(lead.building)],
            )
            node.secretary = lead
            node.scope = [lead]

    def _family_groups(self, rng, grid, group_of):
        if rng.random() >= self.size.family_group_share:
            return
        buildings = [
            b
            for c in grid.children
            for b in c.children
            if len(group_of[id(b)].scope) >= 2
        ]
        if not buildings:
            return
        building = rng.choice(buildings)
        group = group_of[id(building)]
        node = OrgNode(
            PartyOrgKind.FAMILY_GROUP,
            f"{building.parent.name}{building.name}党员家庭联组",
            building.pk,
            years_ago(rng.randint(0, 4), rng),
            group,
        )
        node.scope = list(group.scope)

    # ---- joint committees -------------------------------------------------------------

    def build_joint_committees(self):
        rng = self.rng("joint")
        communities = [c for s in self.district.children for c in s.children]
        joint_rows, part_time_rows = [], []
        for committee, s, community in self.committees:
            if community is None:
                pool = self.units_by_street[s]
            else:
                ci = communities.index(community)
                pool = [u for u in self.units_by_street[s] if u.community == ci]
            with_org = [u for u in pool if u.has_org]
            others = [u for u in pool if not u.has_org]
            rng.shuffle(with_org)
            rng.shuffle(others)
            picked = (with_org + others)[: rng.randint(3, 8)]
            for unit in picked:
                joint_rows.append(
                    JointCommitteeUnit(
                        committee_id=committee.pk,
                        unit_id=unit.pk,
                        joined_on=years_ago(rng.randint(0, 7), rng),
                    )
                )
            for unit in picked[: rng.randint(2, 5)]:
                part_time_rows.append(
                    PartTimeMember(
                        committee_id=committee.pk,
                        unit_id=unit.pk,
                        name=self._person_name(
                            rng,
                            "M" if rng.random() < 0.7 else "F",
                            rng.randint(1965, 1988),
                        ),
                        position=rng.choice(positions_for(unit)),
                        since=years_ago(rng.randint(0, 5), rng),
                    )
                )
        JointCommitteeUnit.objects.bulk_create(joint_rows, batch_size=BATCH_SIZE)
        PartTimeMember.objects.bulk_create(part_time_rows, batch_size=BATCH_SIZE)


def ensure_departments():
    """The functional departments cases are dispatched to (idempotent)."""
    departments = {}
    for code, name, duties in N.DEPARTMENTS:
        department, _ = Department.objects.update_or_create(
            code=code, defaults={"name": name, "duties": duties}
        )
        departments[code] = department
    return departments


def find_district():
    return Place.objects.filter(code=DISTRICT_CODE, kind=PlaceKind.DISTRICT).first()


def summarize(district=None):
    """Counts of what the demo district holds, for the command's summary."""
    district = district or find_district()
    if district is None:
        return {}
    prefix = district.path
    places = dict(
        Place.objects.filter(path__startswith=prefix)
        .order_by()
        .values_list("kind")
        .annotate(n=Count("id"))
        .values_list("kind", "n")
    )
    in_district = Q(place__path__startswith=prefix)
    return {
        "places": {kind: places.get(kind, 0) for kind in PlaceKind.values},
        "residents": Resident.objects.filter(in_district).count(),
        "households": Household.objects.filter(in_district).count(),
        "party_members": PartyMember.objects.filter(in_district).count(),
        "party_orgs": PartyOrg.objects.filter(in_district).count(),
        "units": Unit.objects.filter(in_district).count(),
        "joint_units": JointCommitteeUnit.objects.filter(
            committee__place__path__startswith=prefix
        ).count(),
        "part_time_members": PartTimeMember.objects.filter(
            committee__place__path__startswith=prefix
        ).count(),
        "departments": Department.objects.filter(
            code__in=[d[0] for d in N.DEPARTMENTS]
        ).count(),
    }


def purge(queryset):
    """Delete the rows: one raw DELETE when nothing references them and no delete signals
    listen, otherwise Django's collector (which cascades, nulls or refuses as declared)."""
    model = queryset.model
    if not (
        signals.pre_delete.has_listeners(model)
        or signals.post_delete.has_listeners(model)
    ):
        pks = queryset.values("pk")
        for rel in model._meta.related_objects:
            on_delete = getattr(rel, "on_delete", None)
            if on_delete is DO_NOTHING and not getattr(
                rel.field, "db_constraint", True
            ):
                continue  # e.g. the audit log's actor: kept on purpose, no constraint
            manager = rel.related_model._base_manager
            if manager.filter(**{f"{rel.field.name}__in": pks}).exists():
                break
        else:
            queryset.query.clear_ordering(force=True)
            return queryset._raw_delete(queryset.db)
    return queryset.delete()


def delete_demo_data(usernames, log=None):
    """Remove the demo district and everything generated in it, plus the demo users.

    Deletes go child-first so that PROTECT references are gone before their targets.
    The audit log is never touched: its actor column has no database constraint.
    """
    from django.contrib.auth import get_user_model

    from jiceng.cases.models import Case, RoutingRule
    from jiceng.party.models import RosterCheck
    from jiceng.people.models import GigWorker, ResidentTag, TagReview
    from jiceng.transfer.models import ImportJob

    log = log or (lambda message: None)
    district = find_district()
    with transaction.atomic():
        from .volunteer import purge_volunteering

        purge_volunteering(district)
        # Rows that name a demo user as their author go before the users.
        demo_users = get_user_model().objects.filter(username__in=usernames)
        by_demo = Q(created_by__in=demo_users)
        if district is not None:
            in_district = Q(tag__resident__place__path__startswith=district.path)
            purge(TagReview.objects.filter(in_district))
            purge(
                ResidentTag.objects.filter(
                    resident__place__path__startswith=district.path
                )
            )
            purge(GigWorker.objects.filter(community__path__startswith=district.path))
            # cases cascade to their events and photos
            Case.objects.filter(place__path__startswith=district.path).delete()
            RoutingRule.objects.filter(place__path__startswith=district.path).delete()
            by_demo |= Q(community__path__startswith=district.path)
        RosterCheck.objects.filter(by_demo).delete()
        ImportJob.objects.filter(created_by__in=demo_users).delete()
        demo_users.delete()
        if district is not None:
            prefix = district.path
            here = Q(place__path__startswith=prefix)
            purge(Assignment.objects.filter(here))
            PartyOrg.objects.filter(here).update(secretary=None)
            committee_here = Q(committee__place__path__startswith=prefix)
            unit_here = Q(unit__place__path__startswith=prefix)
            purge(PartTimeMember.objects.filter(committee_here | unit_here))
            purge(JointCommitteeUnit.objects.filter(committee_here | unit_here))
            purge(
                PartyMember.objects.filter(
                    here | Q(resident__place__path__startswith=prefix)
                )
            )
            # Whole organisation trees rooted in the district go at once; anything else
            # anchored here goes through treebeard, which fixes its parents' numchild.
            roots = PartyOrg.objects.filter(here, depth=1).values_list(
                "path", flat=True
            )
            subtrees = Q(pk__in=[])
            for path in roots:
                subtrees |= Q(path__startswith=path)
            purge(PartyOrg.objects.filter(subtrees))
            PartyOrg.objects.filter(here).delete()
            Household.objects.filter(here).update(head=None)
            purge(
                Occupancy.objects.filter(
                    here | Q(resident__place__path__startswith=prefix)
                )
            )
            purge(Resident.objects.filter(here).only("pk"))
            purge(Household.objects.filter(here))
            purge(Unit.objects.filter(here).only("pk"))
            purge(Place.objects.filter(path__startswith=prefix))
            log(f"已删除演示区「{district.name}」及其全部数据")
        purge(Department.objects.filter(code__in=[d[0] for d in N.DEPARTMENTS]))
