"""A patrol's track as an encoded polyline (Google's algorithm, 1e-6 degrees):
deltas between neighbouring points as variable-length base-64 digits, about six
bytes a point for a walking track sampled every 10 s."""

import itertools
import math

PRECISION = 1_000_000
MAX_POINTS = 20_000


def _encode_value(value, out):
    value = ~(value << 1) if value < 0 else value << 1
    while value >= 0x20:
        out.append(chr((0x20 | (value & 0x1F)) + 63))
        value >>= 5
    out.append(chr(value + 63))


def encode(coordinates) -> str:
    """[[lng, lat], …] (GeoJSON order) → polyline text."""
    out, last_lat, last_lng = [], 0, 0
    for lng, lat in coordinates:
        lat_i, lng_i = round(lat * PRECISION), round(lng * PRECISION)
        _encode_value(lat_i - last_lat, out)
        _encode_value(lng_i - last_lng, out)
        last_lat, last_lng = lat_i, lng_i
    return "".join(out)


def decode(text) -> list[list[float]]:
    """Polyline text → [[lng, lat], …]."""
    coordinates, index, lat, lng = [], 0, 0, 0
    length = len(text)
    while index < length:
        deltas = []
        for _ in range(2):
            shift = result = 0
            while True:
                byte = ord(text[index]) - 63
                index += 1
                result |= (byte & 0x1F) << shift
                shift += 5
                if byte < 0x20:
                    break
            deltas.append(~(result >> 1) if result & 1 else result >> 1)
        lat += deltas[0]
        lng += deltas[1]
        coordinates.append([lng / PRECISION, lat / PRECISION])
    return coordinates


def metres(a, b) -> float:
    """Distance between [lng, lat] points (equirectangular; fine within a city)."""
    lat = math.radians((a[1] + b[1]) / 2)
    dx = math.radians(b[0] - a[0]) * math.cos(lat)
    dy = math.radians(b[1] - a[1])
    return 6_371_000 * math.hypot(dx, dy)


def length(coordinates) -> int:
    return round(sum(metres(a, b) for a, b in itertools.pairwise(coordinates)))


def valid_line(coordinates) -> bool:
    if not isinstance(coordinates, list) or len(coordinates) > MAX_POINTS:
        return False
    for point in coordinates:
        if (
            not isinstance(point, (list, tuple))
            or len(point) < 2
            or not all(isinstance(v, (int, float)) for v in point[:2])
            or not (-180 <= point[0] <= 180 and -90 <= point[1] <= 90)
        ):
            return False
    return True
