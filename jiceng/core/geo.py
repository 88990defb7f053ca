"""Distances on the ground, one formula for the whole platform."""

import math

EARTH_RADIUS_METRES = 6_371_000


def distance_metres(lat1, lng1, lat2, lng2) -> float:
    """Equirectangular distance in metres, accurate to well under 1% within a city.

    Check-in radii, duplicate reports and needs↔resources matching all compare a
    few hundred metres to a few kilometres, where this equals the great-circle
    distance to centimetres and costs a third as much.
    """
    x = math.radians(lng2 - lng1) * math.cos(math.radians((lat1 + lat2) / 2))
    y = math.radians(lat2 - lat1)
    return EARTH_RADIUS_METRES * math.hypot(x, y)


def _point_in_ring(lng, lat, ring) -> bool:
    inside = False
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=False):
        if (y1 > lat) != (y2 > lat) and lng < (x2 - x1) * (lat - y1) / (y2 - y1) + x1:
            inside = not inside
    return inside


def contains(geometry, lng, lat) -> bool:
    """Whether a GeoJSON Polygon or MultiPolygon (outer rings) holds the point."""
    if not geometry or lng is None or lat is None:
        return False
    if geometry.get("type") == "Polygon":
        polygons = [geometry["coordinates"]]
    elif geometry.get("type") == "MultiPolygon":
        polygons = geometry["coordinates"]
    else:
        return False
    return any(
        _point_in_ring(lng, lat, [tuple(p) for p in poly[0]])
        for poly in polygons
        if poly
    )
