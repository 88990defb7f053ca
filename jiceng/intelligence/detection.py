"""Hot-spot, repeat and rise detection on plain points, apart from the database.

find_clusters is DBSCAN over space and time at once: two reports are neighbours
when they lie within eps metres and window days of each other and belong to the
same group (a big class: related categories); a report with at least min_cases
neighbours (itself included) is a core, and cores that are neighbours share a
cluster with the reports around them. Points are bucketed into cells of eps × eps
metres × window days, so each report compares only with the 27 cells around it.
"""

import math
from collections import defaultdict
from dataclasses import dataclass

METRES_PER_DEGREE = 111_320.0


@dataclass(frozen=True)
class Point:
    key: object
    lat: float
    lng: float
    day: float  # days since any fixed moment
    group: object = None


def _xy(lat, lng, lat0):
    return (
        lng * METRES_PER_DEGREE * math.cos(math.radians(lat0)),
        lat * METRES_PER_DEGREE,
    )


def find_clusters(points, *, eps=200.0, window=7.0, min_cases=5):
    """Lists of points, one list per cluster (noise left out)."""
    if not points:
        return []
    lat0 = sum(p.lat for p in points) / len(points)
    xy = [_xy(p.lat, p.lng, lat0) for p in points]
    cells = defaultdict(list)
    for i, (p, (x, y)) in enumerate(zip(points, xy, strict=True)):
        cells[(p.group, int(x // eps), int(y // eps), int(p.day // window))].append(i)
    neighbours = []
    eps2 = eps * eps
    for p, (x, y) in zip(points, xy, strict=True):
        cx, cy, ct = int(x // eps), int(y // eps), int(p.day // window)
        found = []
        for dx in (-1, 0, 1):
            for dy in (-1, 0, 1):
                for dt in (-1, 0, 1):
                    for j in cells.get((p.group, cx + dx, cy + dy, ct + dt), ()):
                        q, (qx, qy) = points[j], xy[j]
                        if (
                            abs(q.day - p.day) <= window
                            and (qx - x) ** 2 + (qy - y) ** 2 <= eps2
                        ):
                            found.append(j)
        neighbours.append(found)
    core = [len(found) >= min_cases for found in neighbours]
    label = [-1] * len(points)
    clusters = []
    for i in range(len(points)):
        if not core[i] or label[i] != -1:
            continue
        members, stack = [], [i]
        label[i] = len(clusters)
        while stack:
            j = stack.pop()
            members.append(j)
            if not core[j]:
                continue
            for k in neighbours[j]:
                if label[k] == -1:
                    label[k] = len(clusters)
                    stack.append(k)
        clusters.append([points[j] for j in sorted(members)])
    return clusters


def centre(points):
    lat = sum(p.lat for p in points) / len(points)
    lng = sum(p.lng for p in points) / len(points)
    return lat, lng


def radius(points, lat, lng):
    return max(distance(lat, lng, p.lat, p.lng) for p in points)


def distance(lat1, lng1, lat2, lng2):
    x = (lng2 - lng1) * METRES_PER_DEGREE * math.cos(math.radians((lat1 + lat2) / 2))
    y = (lat2 - lat1) * METRES_PER_DEGREE
    return math.hypot(x, y)


def is_repeat(closed_at_day, reported_day, days):
    """Reported again after the close, within days (the boundary day included)."""
    return 0 <= reported_day - closed_at_day <= days


def rising(recent, history, *, factor=2.0, floor=4):
    """recent: count in the last week; history: counts of earlier weeks (the rolling
    weeks before and the same weeks of past years). Rising when the week reaches
    floor and exceeds factor × the baseline mean (+1 so a quiet grid needs more)."""
    baseline = sum(history) / len(history) if history else 0.0
    return recent >= floor and recent > factor * (baseline + 1), baseline
