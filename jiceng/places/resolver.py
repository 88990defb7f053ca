"""Find the places people name: by code, or by an address as 台账 write it.

Codes typed into a form resolve through place_by_code; an import job's rows through
one PlaceResolver, which caches what it has looked up, so a chunk of rows costs one
query for its codes; addresses are matched against the names of the compounds,
buildings, entrances and dwellings within the importer's scope. Either way a code
that names no place and one outside the caller's reach get the same answer.
"""

import re

from django.core.exceptions import ValidationError
from django.db.models import Q

from jiceng.core.scope import covers, path_prefix, place_path_allowed, place_prefixes
from jiceng.core.validators import to_half_width

from .errors import PlaceError
from .models import KIND_ORDER, Place, PlaceKind

ADDRESS_KINDS = (
    PlaceKind.COMPOUND,
    PlaceKind.BUILDING,
    PlaceKind.ENTRANCE,
    PlaceKind.DWELLING,
)


def normalize_address(text) -> str:
    """Drop spaces and punctuation; 3号楼 and 3栋, 2单元 and 2-单元 read the same."""
    text = to_half_width(str(text or "")).lower()
    text = re.sub(r"[\s,，.。、\-—_#()（）]", "", text)
    return text.replace("号楼", "栋").replace("幢", "栋").replace("号房", "室")


def address_names(prefixes):
    """Yield (pk, path, kind, "幸福小区 3栋 2单元 301室") for places below the grids.

    One query for the whole scope; names are joined down the materialised path.
    """
    rows = Place.objects.filter(kind__in=ADDRESS_KINDS).order_by("path")
    if "" not in prefixes:
        condition = Q(pk__in=[])
        for prefix in prefixes:
            condition |= path_prefix(prefix)
        rows = rows.filter(condition)
    names = {}
    for pk, path, kind, name in rows.values_list("pk", "path", "kind", "name"):
        parent = names.get(path[: -Place.steplen])
        names[path] = f"{parent} {name}" if parent else name
        yield pk, path, kind, names[path]


def not_found(code) -> ValidationError:
    return ValidationError(
        f"编码{code}不存在或不在您的权限范围内", code=PlaceError.NOT_FOUND
    )


def check_kind(code, kind, kinds):
    """Raise unless kind is one of kinds (a dwelling named where a grid belongs)."""
    if kinds and kind not in kinds:
        labels = "、".join(str(PlaceKind(k).label) for k in KIND_ORDER if k in kinds)
        raise ValidationError(
            f"编码{code}是{PlaceKind(kind).label}，应为{labels}",
            code=PlaceError.WRONG_KIND,
        )


def place_by_code(actor, code, *, permission, kinds=None) -> Place:
    """The place with this code where the actor holds permission (a row is put
    there, or the place itself is changed), of one of kinds when given."""
    code = (code or "").strip()
    place = Place.objects.filter(code=code).first() if code else None
    if place is None or not covers(actor, place, permission):
        raise not_found(code)
    check_kind(code, place.kind, kinds)
    return place


class PlaceResolver:
    def __init__(self, actor, permission, *, kinds):
        self.prefixes = place_prefixes(actor, permission)
        self.kinds = set(kinds)
        self._by_code = {}
        self._by_address = None

    def allowed(self, path) -> bool:
        return place_path_allowed(path, self.prefixes)

    def prefetch_codes(self, codes):
        wanted = {c for c in codes if c and c not in self._by_code}
        if not wanted:
            return
        found = {
            code: (pk, path, kind)
            for pk, code, path, kind in Place.objects.filter(code__in=wanted)
            .order_by()
            .values_list("pk", "code", "path", "kind")
        }
        for code in wanted:
            self._by_code[code] = found.get(code)

    def by_code(self, code):
        """Return (pk, path) or raise ValidationError with the reason in Chinese."""
        if code not in self._by_code:
            self.prefetch_codes([code])
        found = self._by_code.get(code)
        if found is None or not self.allowed(found[1]):
            raise not_found(code)
        check_kind(code, found[2], self.kinds)
        return found[0], found[1]

    def _address_index(self):
        """Normalised 小区+楼栋+单元+户 name paths → (pk, path), within scope."""
        index = {}
        for pk, path, kind, name in address_names(self.prefixes):
            if kind in self.kinds:
                full = normalize_address(name)
                # An ambiguous address (two compounds of one name) matches nothing.
                index[full] = None if full in index else (pk, path)
        return index

    def by_address(self, text):
        if self._by_address is None:
            self._by_address = self._address_index()
        key = normalize_address(text)
        found = self._by_address.get(key)
        if found is None:
            if key in self._by_address:
                raise ValidationError(
                    f"住址“{text}”对应多处地点，请填写住址编码",
                    code=PlaceError.NOT_FOUND,
                )
            raise ValidationError(
                f"住址“{text}”在您的辖区内找不到，请填写住址编码",
                code=PlaceError.NOT_FOUND,
            )
        return found
