"""The demo district's units (机关、事业单位、国企、企业、社会组织、个体户、物业):
names from the word lists, valid unified social credit codes, each unit placed in a
community so that every 大党委 has member units nearby."""

from dataclasses import dataclass

from stdnum.cn import uscc

from jiceng.core.scope import path_prefix
from jiceng.people.models import Unit, UnitKind
from jiceng.places.models import PlaceKind

from . import names as N
from . import place_names as P
from . import unit_names as U
from .common import BATCH_SIZE, DISTRICT_CODE, purge


class UnitRec:
    __slots__ = ("community", "has_org", "kind", "name", "pk", "street")

    def __init__(self, pk, name, kind, street, community, has_org):
        self.pk, self.name, self.kind = pk, name, kind
        self.street, self.community, self.has_org = street, community, has_org


UNIT_PREFIX = {
    UnitKind.AGENCY: "11",
    UnitKind.INSTITUTION: "12",
    UnitKind.SOCIAL_ORG: "52",
    UnitKind.INDIVIDUAL: "92",
}
USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
ORG_CODE_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)

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
    return U.POSITIONS.get(unit.kind, U.POSITIONS["other"])


def org_code(body: str) -> str:
    """Append the GB 11714 check character to an 8-character organisation code body."""
    total = sum(int(ch, 36) * w for ch, w in zip(body, ORG_CODE_WEIGHTS, strict=True))
    check = 11 - total % 11
    return body + ("X" if check == 10 else "0" if check == 11 else str(check))


@dataclass
class Units:
    """The units written, as the people and party builders draw on them."""

    all: list
    by_street: list  # [street index] -> units placed in that street
    org_by_street: list  # the same, only units with a party organisation
    with_org: list

    @classmethod
    def of(cls, units, streets):
        by_street = [[u for u in units if u.street == s] for s in range(streets)]
        return cls(
            all=units,
            by_street=by_street,
            org_by_street=[[u for u in us if u.has_org] for us in by_street],
            with_org=[u for u in units if u.has_org],
        )


def pick_unit(rng, local, everywhere):
    """A unit's pk: mostly a local one when there is any."""
    return (
        rng.choice(local) if local and rng.random() < 0.6 else rng.choice(everywhere)
    ).pk


def build_units(*, district, size, streams, identities, spec=None):
    """Write the units; return them as Units. spec: a further district of a city
    (its name in the district's agencies and shops, its code in credit codes)."""
    rng = streams("units")
    region = spec.code if spec else DISTRICT_CODE
    streets = district.children
    communities = [c for s in streets for c in s.children]
    street_of = {id(c): si for si, s in enumerate(streets) for c in s.children}
    cands = _candidates(size, streets, communities)
    placed = _place(rng, size, cands, communities)
    credit_codes = set()
    objs = []
    for kind, name, place, _community in placed:
        if spec is not None and not spec.first:
            name = name.replace(N.DISTRICT_NAME, spec.name)
        has_org = (
            kind in PUBLIC_UNITS
            or (kind == UnitKind.PROPERTY and rng.random() < 0.6)
            or (kind in {UnitKind.PRIVATE, UnitKind.SOCIAL_ORG} and rng.random() < 0.35)
        )
        staff = rng.randint(*staff_range(kind, name))
        party_org_name = (
            f"中共{name}{party_org_suffix(kind, name, staff)}" if has_org else ""
        )
        address = place.address or f"{rng.choice(P.ROAD_NAMES)}{rng.randint(1, 399)}号"
        objs.append(
            Unit(
                name=name,
                kind=kind,
                credit_code=_credit_code(rng, kind, name, credit_codes, region),
                place_id=place.pk,
                address=address,
                party_org_name=party_org_name,
                contact_name=identities.person_name(
                    rng, rng.choice("MF"), rng.randint(1965, 1995)
                ),
                contact_phone=identities.phone(rng),
                staff_count=staff,
            )
        )
    Unit.objects.bulk_create(objs, batch_size=BATCH_SIZE)
    units = [
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
    return Units.of(units, len(streets))


def _candidates(size, streets, communities):
    """Candidate names per kind, each optionally tied to a street or a community."""
    cands = {kind: [] for kind in size.units}
    cands[UnitKind.AGENCY] = [(n, None) for n in U.AGENCY_NAMES]
    cands[UnitKind.INSTITUTION] = [(n, None) for n in U.INSTITUTION_NAMES]
    for template, count in U.INSTITUTION_NUMBERED:
        cands[UnitKind.INSTITUTION] += [
            (template.format(n=P.chinese_number(i)), None) for i in range(1, count + 1)
        ]
    cands[UnitKind.STATE_OWNED] = [(n, None) for n in U.STATE_OWNED_NAMES]
    cands[UnitKind.SOCIAL_ORG] = [(n, None) for n in U.SOCIAL_ORG_NAMES]
    for street in streets:
        short = street.name.removesuffix("街道")
        fmt = {"street": short, "street_full": street.name}
        cands[UnitKind.AGENCY] += [
            (t.format(**fmt), street) for t in U.AGENCY_STREET_TEMPLATES
        ]
        cands[UnitKind.INSTITUTION] += [
            (t.format(**fmt), street) for t in U.INSTITUTION_STREET_TEMPLATES
        ]
        cands[UnitKind.STATE_OWNED] += [
            (U.STATE_OWNED_TEMPLATES[0].format(bank=bank, street=short), street)
            for bank in U.BANKS
        ]
    for community in communities:
        cands[UnitKind.INSTITUTION] += [
            (t.format(community=community.name), community)
            for t in U.INSTITUTION_COMMUNITY_TEMPLATES
        ]
        cands[UnitKind.SOCIAL_ORG] += [
            (t.format(community=community.name), community)
            for t in U.SOCIAL_ORG_COMMUNITY_TEMPLATES
        ]
    for road in P.ROAD_NAMES:
        cands[UnitKind.STATE_OWNED] += [
            (t.format(road=road), None) for t in U.STATE_OWNED_TEMPLATES[1:]
        ]
    for word in U.FIRM_WORDS:
        cands[UnitKind.SOCIAL_ORG] += [
            (t.format(word=word), None) for t in U.SOCIAL_ORG_TEMPLATES
        ]
        cands[UnitKind.PROPERTY] += [
            (t.format(word=word), None) for t in U.PROPERTY_TEMPLATES
        ]
        cands[UnitKind.PRIVATE] += [
            (f"{N.CITY_NAME}{word}{industry}{suffix}", None)
            for industry, suffix in zip(
                U.FIRM_INDUSTRIES, U.FIRM_SUFFIXES * 6, strict=True
            )
        ]
        cands[UnitKind.INDIVIDUAL] += [
            (f"{N.DISTRICT_NAME}{word}{shop}", None) for shop in U.INDIVIDUAL_SHOPS
        ]
    return cands


def _place(rng, size, cands, communities):
    """Choose names, then places: tied units go to their street/community, free units
    first top every community up to four so each 大党委 has member units nearby."""
    chosen = []
    names_taken = set()
    for kind, count in size.units.items():
        pool = [c for c in cands[kind] if c[0] not in names_taken]
        rng.shuffle(pool)
        for name, anchor in pool[:count]:
            names_taken.add(name)
            chosen.append((kind, name, anchor))
    rng.shuffle(chosen)
    # The first property company manages compound #1 (the `wuye` demo account).
    first_compound = communities[0].children[0].children[0]
    compounds_free = [p for c in communities for g in c.children for p in g.children]
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
    return placed


def _credit_code(rng, kind, name, taken, region=DISTRICT_CODE):
    prefix = UNIT_PREFIX.get(kind, "91")
    if kind == UnitKind.SOCIAL_ORG and name.endswith(("会", "协会")):
        prefix = "51"
    while True:
        if prefix.startswith("9") and rng.random() < 0.7:
            body = "MA" + "".join(rng.choice(USCC_CHARS) for _ in range(6))
        else:
            body = f"{rng.randrange(10**8):08d}"
        number = f"{prefix}{region}{org_code(body)}"
        number += uscc.calc_check_digit(number)
        if number not in taken:
            taken.add(number)
            return number


def purge_units(district):
    purge(Unit.objects.filter(path_prefix(district.path, "place__path")).only("pk"))
