"""The portal's place picker: a reader narrows the pages to a district, a street or
a community one level at a time, as the 省/市/区 pickers of every Chinese app do.

It offers the districts, the streets of the chosen district and the communities
of the chosen street, never the whole list: a city has thousands of communities,
a phone shows a select one screen at a time, and the page should weigh the same
in a city's database as in a district's.
"""

from dataclasses import dataclass

from django.db.models import Q

from jiceng.core.scope import path_prefix
from jiceng.places.models import Place, PlaceKind, indented

# Places a reader may pick: names only, never anything below a community.
PUBLIC_KINDS = (PlaceKind.DISTRICT, PlaceKind.STREET, PlaceKind.COMMUNITY)
FIELDS = ("pk", "name", "code", "kind", "path", "depth")


@dataclass(frozen=True)
class Picker:
    place: Place | None  # the chosen place, None for the whole area
    whole: str  # what "no place" is called: 全区 (one district) or 全市
    area: str  # the name the pages carry: the place's, or the only district's
    options: list  # (place, indent) in tree order
    notice: str  # a Chinese notice when the code asked for is unknown


def _public():
    return Place.objects.filter(kind__in=PUBLIC_KINDS).only(*FIELDS)


def picker_for(code) -> Picker:
    """The picker for ?place=code (empty: the whole area), in at most three
    queries whatever the size of the city."""
    code = (code or "").strip()
    place = _public().filter(code=code).first() if code else None
    if place is not None:
        rows = list(_public().filter(Q(depth=1) | _around(place)))
        tops = [p for p in rows if p.depth == 1]
    else:
        rows = tops = list(_public().filter(depth=1))
        if len(tops) == 1:  # one district: its streets at once
            rows = tops + list(_public().filter(_around(tops[0])))
    whole = "全市" if len(tops) > 1 else "全区"
    if place is not None:
        area = place.name
    else:
        area = tops[0].name if len(tops) == 1 else whole
    options = sorted({p.pk: p for p in rows}.values(), key=lambda p: p.path)
    return Picker(
        place=place,
        whole=whole,
        area=area,
        options=indented(options),
        notice=f"未找到所选地区，已显示{whole}内容" if code and place is None else "",
    )


def _around(focus) -> Q:
    """Each level down to the focus: the places beside every place on its line
    (the chosen district's streets, the chosen street's communities), so moving to
    a neighbouring street or community is one step, and one level below it."""
    condition = Q()
    for path in Place.lineage_paths(focus.path):
        depth = len(path) // Place.steplen
        condition |= Q(depth=depth + 1) & path_prefix(path)
    return condition
