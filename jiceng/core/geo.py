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
