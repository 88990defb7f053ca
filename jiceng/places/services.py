"""Domain operations on the territory tree. Views, API and commands all call these."""

import math
from itertools import pairwise

from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Value
from django.db.models.functions import Concat, Substr

from jiceng.core import audit
from jiceng.core.models import AuditAction
from jiceng.core.scope import path_prefix, require_in_scope

from .errors import PlaceError
from .models import (
    ALLOWED_PARENT_KINDS,
    CODE_DIGITS,
    Place,
    PlaceKind,
    PlacePathMixin,
)

EDITABLE_FIELDS = ("name", "code", "address", "geometry", "lat", "lng", "note")
GEOMETRY_TYPES = {"Point", "Polygon", "MultiPolygon", "LineString", "MultiLineString"}
# A compound or grid outline has tens of corners; a pasted survey a few thousand.
MAX_RING_POSITIONS = 5000
# Rings up to this many edges are checked for crossing themselves (pairwise).
CROSSING_CHECK_LIMIT = 1000


def validate_parent_kind(kind, parent):
    allowed = ALLOWED_PARENT_KINDS[PlaceKind(kind)]
    parent_kind = parent.kind if parent is not None else None
    if parent_kind not in allowed and not (parent is None and not allowed):
        labels = "、".join(str(PlaceKind(k).label) for k in allowed) or "无（顶级）"
        raise ValidationError(
            f"{PlaceKind(kind).label}只能建在{labels}之下",
            code=PlaceError.KIND_NOT_ALLOWED,
        )


def expected_code_length(kind, parent):
    return (len(parent.code) if parent is not None else 0) + CODE_DIGITS[
        PlaceKind(kind)
    ]


def validate_code(kind, code, parent, *, exclude_pk=None):
    """Check the CJ/T 213-style code: the parent's code plus this level's digits."""
    code = (code or "").strip()
    length = expected_code_length(kind, parent)
    prefix = parent.code if parent is not None else ""
    if not code.isdigit() or len(code) != length or not code.startswith(prefix):
        raise ValidationError(
            f"编码应为{length}位数字，以上级编码{prefix or '（无）'}开头，"
            f"本级{CODE_DIGITS[PlaceKind(kind)]}位",
            code=PlaceError.CODE_FORMAT,
        )
    taken = Place.objects.filter(code=code)
    if exclude_pk is not None:
        taken = taken.exclude(pk=exclude_pk)
    if taken.exists():
        raise ValidationError(f"编码{code}已被使用", code=PlaceError.CODE_TAKEN)
    return code


def _position(value):
    """A [lng, lat] pair of finite degrees, or a ValidationError."""
    try:
        if not isinstance(value, (list, tuple)) or len(value) < 2:
            raise TypeError
        if any(isinstance(v, bool) or not isinstance(v, (int, float)) for v in value):
            raise TypeError
        lng, lat = float(value[0]), float(value[1])
        if not (math.isfinite(lng) and math.isfinite(lat)):
            raise TypeError
    except (TypeError, OverflowError) as exc:
        raise ValidationError(
            "坐标须为[经度, 纬度]两个数字", code=PlaceError.GEOMETRY
        ) from exc
    if not (-180 <= lng <= 180 and -90 <= lat <= 90):
        raise ValidationError(
            "坐标超出范围（经度±180、纬度±90）", code=PlaceError.GEOMETRY
        )
    return (lng, lat)


def _segments_cross(a, b, c, d) -> bool:
    """Whether segments ab and cd properly cross (touching ends do not count)."""

    def side(p, q, r):
        return (q[0] - p[0]) * (r[1] - p[1]) - (q[1] - p[1]) * (r[0] - p[0])

    d1, d2 = side(c, d, a), side(c, d, b)
    d3, d4 = side(a, b, c), side(a, b, d)
    return d1 * d2 < 0 and d3 * d4 < 0


def _ring(value):
    """A closed linear ring of at least three corners that does not cross itself."""
    if not isinstance(value, list):
        raise ValidationError("多边形的边界须为坐标列表", code=PlaceError.GEOMETRY)
    if len(value) > MAX_RING_POSITIONS:
        raise ValidationError(
            f"边界的点数过多（最多{MAX_RING_POSITIONS}个）", code=PlaceError.GEOMETRY
        )
    points = [_position(p) for p in value]
    if len(points) < 4 or len(set(points)) < 3:
        raise ValidationError("多边形至少需要三个不同的顶点", code=PlaceError.GEOMETRY)
    if points[0] != points[-1]:
        raise ValidationError(
            "多边形边界未闭合（首尾坐标须相同）", code=PlaceError.GEOMETRY
        )
    edges = list(pairwise(points))
    if len(edges) > CROSSING_CHECK_LIMIT:
        return points  # a surveyed outline, checked where it was drawn
    for i, (a, b) in enumerate(edges):
        for c, d in edges[i + 2 :]:
            if _segments_cross(a, b, c, d):
                raise ValidationError(
                    "多边形的边界自相交，请调整顶点使边界不交叉",
                    code=PlaceError.GEOMETRY,
                )
    return points


def _polygon(value):
    if not isinstance(value, list) or not value:
        raise ValidationError("多边形缺少边界", code=PlaceError.GEOMETRY)
    for ring in value:
        _ring(ring)


def _line(value):
    if not isinstance(value, list) or len(value) < 2:
        raise ValidationError("线至少需要两个点", code=PlaceError.GEOMETRY)
    for p in value:
        _position(p)


def _nonempty_list(value):
    if not isinstance(value, list) or not value:
        raise ValidationError("GeoJSON缺少coordinates", code=PlaceError.GEOMETRY)
    return value


# How each geometry type's coordinates are checked.
COORDINATE_CHECKS = {
    "Point": _position,
    "LineString": _line,
    "MultiLineString": lambda v: [_line(x) for x in _nonempty_list(v)],
    "Polygon": _polygon,
    "MultiPolygon": lambda v: [_polygon(x) for x in _nonempty_list(v)],
}


def validate_geometry(geometry):
    """A GeoJSON geometry whose coordinates are degrees, rings closed and not
    crossing themselves (what the map editor draws, or a pasted/imported shape)."""
    if geometry in (None, ""):
        return None
    if not isinstance(geometry, dict) or geometry.get("type") not in GEOMETRY_TYPES:
        raise ValidationError(
            "空间范围须为GeoJSON几何对象（Point/Polygon/MultiPolygon…）",
            code=PlaceError.GEOMETRY,
        )
    if not isinstance(geometry.get("coordinates"), list):
        raise ValidationError("GeoJSON缺少coordinates", code=PlaceError.GEOMETRY)
    COORDINATE_CHECKS[geometry["type"]](geometry["coordinates"])
    return geometry


def _snapshot(place):
    return {f: getattr(place, f) for f in EDITABLE_FIELDS}


@transaction.atomic
def create_place(
    *,
    actor,
    parent,
    kind,
    name,
    code,
    address="",
    geometry=None,
    lat=None,
    lng=None,
    note="",
) -> Place:
    """Add a place under parent (a district only when actor is a superuser)."""
    if parent is None:
        if not getattr(actor, "is_superuser", False):
            raise PermissionDenied("只有系统管理员可以新建区")
    else:
        require_in_scope(parent, actor, "change")
    validate_parent_kind(kind, parent)
    code = validate_code(kind, code, parent)
    fields = dict(
        kind=kind,
        name=name.strip(),
        code=code,
        address=address,
        geometry=validate_geometry(geometry),
        lat=lat,
        lng=lng,
        note=note,
    )
    place = (
        Place.objects.add_root(fields)
        if parent is None
        else Place.objects.add_child(parent, fields)
    )
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        target=place,
        changes=audit.diff({}, _snapshot(place)),
    )
    require_in_scope(place, actor, "change")
    return place


@transaction.atomic
def update_place(*, actor, place, **fields) -> Place:
    place = Place.objects.select_for_update().get(pk=place.pk)
    require_in_scope(place, actor, "change")
    before = _snapshot(place)
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    if "code" in fields and fields["code"] != place.code:
        parent = Place.objects.get_parent(place)
        fields["code"] = validate_code(
            place.kind, fields["code"], parent, exclude_pk=place.pk
        )
        _recode_descendants(place, place.code, fields["code"])
    if "geometry" in fields:
        fields["geometry"] = validate_geometry(fields["geometry"])
    for name, value in fields.items():
        setattr(place, name, value)
    place.save()
    changes = audit.diff(before, _snapshot(place))
    if changes:
        audit.record(
            actor=actor, action=AuditAction.UPDATE, target=place, changes=changes
        )
    require_in_scope(place, actor, "change")
    return place


def _recode_descendants(place, old_prefix, new_prefix):
    """Replace the code prefix of every descendant in one UPDATE."""
    descendants = Place.objects.filter(path_prefix(place.path)).exclude(pk=place.pk)
    descendants.update(
        code=Concat(Value(new_prefix), Substr("code", len(old_prefix) + 1))
    )


def place_path_models():
    """The models that keep a copy of their place's path (PlacePathMixin)."""
    return [m for m in apps.get_models() if issubclass(m, PlacePathMixin)]


def _repath_copies(old_path, new_path):
    """Rows under a moved subtree: replace the old path prefix of their copy."""
    if old_path == new_path:
        return
    for model in place_path_models():
        model._default_manager.filter(path_prefix(old_path, "place_path")).update(
            place_path=Concat(Value(new_path), Substr("place_path", len(old_path) + 1))
        )


@transaction.atomic
def move_place(*, actor, place, new_parent, new_code=None) -> Place:
    """Re-parent a place (and its subtree) under new_parent, recoding the subtree.

    The new code defaults to the new parent's code plus this place's own digits.
    """
    place = Place.objects.select_for_update().get(pk=place.pk)
    new_parent = Place.objects.get(pk=new_parent.pk)
    require_in_scope(place, actor, "change")
    require_in_scope(new_parent, actor, "change")
    if new_parent.path.startswith(place.path):
        raise ValidationError(
            "不能把地点移动到它自己或它的下级之下", code=PlaceError.MOVE_INTO_DESCENDANT
        )
    validate_parent_kind(place.kind, new_parent)
    old_parent = Place.objects.get_parent(place)
    old_code = place.code
    own_digits = old_code[-CODE_DIGITS[PlaceKind(place.kind)] :]
    code = validate_code(
        place.kind,
        new_code or new_parent.code + own_digits,
        new_parent,
        exclude_pk=place.pk,
    )
    old_path = place.path
    Place.objects.move(place, new_parent, pos="last-child")
    place.refresh_from_db()
    _repath_copies(old_path, place.path)
    if code != old_code:
        _recode_descendants(place, old_code, code)
        place.code = code
        place.save(update_fields=["code"])
    audit.record(
        actor=actor,
        action=AuditAction.MOVE,
        target=place,
        changes={
            "parent": [str(old_parent), str(new_parent)],
            "code": [old_code, code],
        },
    )
    # The moved subtree must still be within the actor's reach (NetBox's re-check).
    require_in_scope(place, actor, "change")
    return place
