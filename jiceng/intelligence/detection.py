"""Hot-spot, repeat and rise detection on plain points, apart from the database.

find_clusters is DBSCAN over space and time at once: two reports are neighbours
when they lie within eps metres and window days of each other and belong to the
same group (a big class: related categories); a report with at least min_cases
neighbours (itself included) is a core, and cores that are neighbours share a
cluster with the reports around them. A k-d tree over (x, y, scaled day, group)
finds the candidate pairs; the exact space and time limits then filter them.
"""

import math
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
    import numpy as np
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components
    from scipy.spatial import cKDTree

    if not points:
        return []
    lat0 = sum(p.lat for p in points) / len(points)
    groups = {}
    coords = np.array(
        [
            (
                *_xy(p.lat, p.lng, lat0),
                p.day * eps / window,
                # groups far apart: never neighbours of each other
                groups.setdefault(p.group, len(groups)) * 1e9,
            )
            for p in points
        ]
    )
    # a ball of radius eps·√2 holds the cylinder (eps in space, window in time)
    pairs = cKDTree(coords).query_pairs(eps * 1.4143, output_type="ndarray")
    if len(pairs):
        a, b = pairs[:, 0], pairs[:, 1]
        flat = np.hypot(*(coords[a, :2] - coords[b, :2]).T) <= eps
        late = np.abs(coords[a, 2] - coords[b, 2]) <= eps
        pairs = pairs[flat & late]
    n = len(points)
    counts = np.bincount(pairs.ravel(), minlength=n) + 1  # itself included
    core = counts >= min_cases
    a, b = (pairs[:, 0], pairs[:, 1]) if len(pairs) else (np.array([], int),) * 2
    both = core[a] & core[b]
    graph = coo_matrix((np.ones(both.sum()), (a[both], b[both])), shape=(n, n))
    _count, component = connected_components(graph, directed=False)
    label = np.where(core, component, -1)
    # a border report joins the cluster of a core it neighbours (the first found)
    for x, y in ((a, b), (b, a)):
        border = ~core[x] & core[y] & (label[x] == -1)
        label[x[border]] = component[y[border]]
    clusters = {}
    for i in np.flatnonzero(label >= 0):
        clusters.setdefault(int(label[i]), []).append(points[i])
    return sorted(clusters.values(), key=lambda c: c[0].day)


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
