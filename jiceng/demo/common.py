"""What every part of the demo generator shares: the district's shape and fixed date,
named random streams, tree paths, weighted choices, bulk writes and purges.

Everything random comes from ``random.Random`` instances seeded with the seed plus a
label (one stream per street, community, …), so the same seed gives the same names,
codes, ID numbers and structure, and one level can change without reshuffling the rest.
Dates derive from the fixed BASE_DATE, never from today.
"""

import random
from dataclasses import dataclass, replace
from datetime import date, timedelta

from django.db import connections, router
from django.db.models import DO_NOTHING, signals

from jiceng.people.models import UnitKind
from jiceng.places.models import Place, PlaceKind

from . import names as N

BASE_DATE = date(2026, 1, 1)
BATCH_SIZE = 2000
DISTRICT_CODE = N.DISTRICT_CODE
DISTRICT_NAME = N.DISTRICT_NAME


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
    districts: int = 1  # how many such districts one seed makes (a city: 10)


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


# A city: ten district-size districts in one database (about 2M residents).
SIZES["city"] = replace(SIZES["district"], districts=10)


def stream(seed, *parts) -> random.Random:
    """The random stream named by the seed and a label such as ("people", 0, 1)."""
    return random.Random(":".join(str(p) for p in (seed, *parts)))


def find_district(code=DISTRICT_CODE):
    return Place.objects.filter(code=code, kind=PlaceKind.DISTRICT).first()


# ---- trees ----------------------------------------------------------------------------


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


def number_tree(root, path):
    """Give root the path and its subtree the paths below it; return the nodes in
    path order (each node has ``path`` and ``children``)."""
    nodes = []
    stack = [(root, path)]
    while stack:
        node, path = stack.pop()
        node.path = path
        nodes.append(node)
        for i in range(len(node.children), 0, -1):
            stack.append((node.children[i - 1], path + path_step(i)))
    return nodes


# ---- random choices -------------------------------------------------------------------


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


def years_ago(years: int, rng) -> date:
    """A date about `years` years before BASE_DATE, spread over that year."""
    return date(BASE_DATE.year - years - 1, 1, 1) + timedelta(days=rng.randrange(365))


# ---- writes ---------------------------------------------------------------------------


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
            # The rows' own many-to-many links (hidden through tables) go first.
            for field in model._meta.many_to_many:
                through = field.remote_field.through
                through._base_manager.filter(
                    **{f"{field.m2m_field_name()}__in": pks}
                ).delete()
            queryset.query.clear_ordering(force=True)
            return queryset._raw_delete(queryset.db)
    return queryset.delete()
