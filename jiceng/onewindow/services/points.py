"""Service points: register and edit them, and find the nearest to a position.

Nearest: a bounding box around the position is read through the (lat, lng) index
and grown until it holds enough points whose distance is within the box's radius;
only those few rows are measured with core.geo.distance_metres. A full scan
measures every point and gives the same answer (benchmarks/onewindow.py).
"""

import math

from django.db import transaction

from jiceng.core import audit
from jiceng.core.errors import check_version
from jiceng.core.geo import distance_metres
from jiceng.core.models import AuditAction
from jiceng.core.scope import require_in_scope

from ..models import ServicePoint
from .common import require_covers

MANAGE = "onewindow.manage"
METRES_PER_DEGREE = 111_320
FIRST_RADIUS = 1_000
MAX_RADIUS = 100_000  # beyond a city: not "near"


@transaction.atomic
def create_point(*, actor, place, name, kind, lat, lng, items=(), photo=None, **fields):
    require_covers(actor, place, MANAGE)
    point = ServicePoint(
        place=place, name=name.strip(), kind=kind, lat=lat, lng=lng, **fields
    )
    if photo is not None:
        from . import files

        stored, _ = files.prepare(photo)
        point.photo.save(stored.name, stored, save=False)
    point.save()
    if items:
        point.items.set(items)
    audit.record(actor=actor, action=AuditAction.CREATE, target=point)
    require_in_scope(point, actor, "manage")
    return point


@transaction.atomic
def update_point(*, actor, point, version=None, items=None, photo=None, **fields):
    point = ServicePoint.objects.select_for_update().get(pk=point.pk)
    check_version(point, version)
    require_in_scope(point, actor, "manage")
    before = {f: getattr(point, f) for f in fields}
    for name, value in fields.items():
        setattr(point, name, value)
    if photo is not None:
        from . import files

        stored, _ = files.prepare(photo)
        point.photo.save(stored.name, stored, save=False)
    point.version += 1
    point.save()
    if items is not None:
        point.items.set(items)
    if "place" in fields:
        require_covers(actor, point.place, MANAGE)
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=point,
        changes=audit.diff(before, fields),
    )
    require_in_scope(point, actor, "manage")
    return point


def _box(lat, lng, radius):
    dlat = radius / METRES_PER_DEGREE
    dlng = radius / (METRES_PER_DEGREE * max(math.cos(math.radians(lat)), 0.01))
    return {
        "lat__gte": lat - dlat,
        "lat__lte": lat + dlat,
        "lng__gte": lng - dlng,
        "lng__lte": lng + dlng,
    }


def _measured(queryset, lat, lng):
    """(distance, pk) of every row, nearest first; only three columns are read."""
    return sorted(
        (distance_metres(lat, lng, p_lat, p_lng), pk)
        for pk, p_lat, p_lng in queryset.values_list("pk", "lat", "lng")
    )


def nearest(queryset, lat, lng, *, limit=20, max_radius=MAX_RADIUS):
    """The `limit` points of queryset nearest to (lat, lng) within max_radius,
    nearest first, each with `.distance` in metres."""
    radius = FIRST_RADIUS
    while True:
        radius = min(radius, max_radius)
        found = [
            t
            for t in _measured(queryset.filter(**_box(lat, lng, radius)), lat, lng)
            if t[0] <= radius
        ]
        if len(found) >= limit or radius >= max_radius:
            break
        radius *= 2
    return _load(queryset, found[:limit])


def nearest_by_scan(queryset, lat, lng, *, limit=20, max_radius=MAX_RADIUS):
    """The same answer by measuring every point (the benchmark's baseline)."""
    found = [t for t in _measured(queryset, lat, lng) if t[0] <= max_radius]
    return _load(queryset, found[:limit])


def _load(queryset, found):
    rows = queryset.in_bulk([pk for _distance, pk in found])
    points = []
    for distance, pk in found:
        point = rows[pk]
        point.distance = round(distance)
        point.distance_text = (
            f"{distance / 1000:.1f}公里" if distance >= 1000 else f"{point.distance}米"
        )
        points.append(point)
    return points
