"""对单配餐: propose which resources serve which needs.

A resource can serve a need when it offers one of the skills the need asks for (a
need with no skills takes any resource), their time slots meet (either side blank
means any time) and the need lies within the resource's service radius. Each
resource serves at most `capacity` needs.

match() is exact: among all assignments it serves the most needs that skills,
slots, radii and capacities allow, and among those it takes the least total
distance. Each resource becomes `capacity` seats; each need also gets a seat of
its own meaning "unserved" whose cost exceeds any total distance, so a minimum-
cost full matching of needs to seats (scipy's LAPJVsp on the sparse cost matrix)
first minimises the unserved count, then the distance. match_augmenting() is the
earlier heuristic (greedy, augmenting paths to depth 8, nearer-resource pass),
kept as a baseline for the benchmark.

greedy_first_fit() is the baseline a clerk with a spreadsheet would do: needs in
list order, each taking the first resource in list order that can serve it.
"""

import math
from collections import defaultdict, deque
from dataclasses import dataclass, field

from jiceng.core.geo import distance_metres

CELL_DEG = 0.01  # ≈ 1.1 km of latitude per spatial-index cell


@dataclass
class NeedItem:
    key: object
    lat: float
    lng: float
    skills: frozenset = frozenset()
    slots: frozenset = frozenset()


@dataclass
class ResourceItem:
    key: object
    lat: float
    lng: float
    skills: frozenset = frozenset()
    slots: frozenset = frozenset()
    capacity: int = 1
    radius: float = 3000.0


@dataclass
class Result:
    pairs: dict = field(default_factory=dict)  # need index → resource index
    distances: dict = field(default_factory=dict)  # need index → metres

    @property
    def served(self):
        return len(self.pairs)

    @property
    def average_distance(self):
        return sum(self.distances.values()) / len(self.distances) if self.pairs else 0.0


def compatible(need, resource):
    if need.skills and not (need.skills & resource.skills):
        return False
    return not (need.slots and resource.slots and not (need.slots & resource.slots))


def candidates(needs, resources):
    """For each need, the (distance, resource index) it may use, nearest first."""
    cells = defaultdict(list)
    for j, r in enumerate(resources):
        cells[(int(r.lat // CELL_DEG), int(r.lng // CELL_DEG))].append(j)
    max_radius = max((r.radius for r in resources), default=0)
    reach_lat = int(max_radius / 111000 / CELL_DEG) + 1
    result = []
    for need in needs:
        ci, cj = int(need.lat // CELL_DEG), int(need.lng // CELL_DEG)
        reach_lng = int(reach_lat / max(math.cos(math.radians(need.lat)), 0.1)) + 1
        found = []
        for di in range(-reach_lat, reach_lat + 1):
            for dj in range(-reach_lng, reach_lng + 1):
                for j in cells.get((ci + di, cj + dj), ()):
                    r = resources[j]
                    if not compatible(need, r):
                        continue
                    d = distance_metres(need.lat, need.lng, r.lat, r.lng)
                    if d <= r.radius:
                        found.append((d, j))
        found.sort()
        result.append(found)
    return result


def greedy_first_fit(needs, resources, options=None):
    options = options if options is not None else candidates(needs, resources)
    left = [r.capacity for r in resources]
    result = Result()
    for i, found in enumerate(options):
        # first fit: the first resource in list order, not the nearest
        for d, j in sorted(found, key=lambda pair: pair[1]):
            if left[j] > 0:
                left[j] -= 1
                result.pairs[i], result.distances[i] = j, d
                break
    return result


def match_augmenting(needs, resources, options=None, max_depth=8):
    options = options if options is not None else candidates(needs, resources)
    distance = [dict((j, d) for d, j in found) for found in options]
    left = [r.capacity for r in resources]
    holders = defaultdict(set)  # resource → needs it serves
    pairs = {}

    def assign(i, j):
        old = pairs.get(i)
        if old is not None:
            holders[old].discard(i)
            left[old] += 1
        pairs[i] = j
        holders[j].add(i)
        left[j] -= 1

    # 1. most constrained first, nearest with room
    order = sorted(range(len(needs)), key=lambda i: (len(options[i]), i))
    for i in order:
        for _d, j in options[i]:
            if left[j] > 0:
                assign(i, j)
                break

    # 2. augmenting paths for the unserved. A resource a failed search went through
    # cannot lead to room until some augmentation changes the assignment, so later
    # searches skip it (Kuhn's visited-set trick) until one succeeds.
    dead = set()
    for i in order:
        if i in pairs or not options[i]:
            continue
        path = _augment(i, options, holders, left, max_depth, dead)
        if path:
            for need, resource in path:
                assign(need, resource)
            dead.clear()

    # 3. move to a nearer resource with room
    for i in list(pairs):
        for d, j in options[i]:
            if d >= distance[i][pairs[i]]:
                break
            if left[j] > 0:
                assign(i, j)
                break

    result = Result()
    for i, j in pairs.items():
        result.pairs[i], result.distances[i] = j, distance[i][j]
    return result


def match(needs, resources, options=None):
    """The exact maximum-count, minimum-distance assignment (see the module doc)."""
    import numpy as np
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import min_weight_full_bipartite_matching

    options = options if options is not None else candidates(needs, resources)
    result = Result()
    if not needs:
        return result
    seats = []  # seat column → resource index
    first_seat = []
    for r in resources:
        first_seat.append(len(seats))
        seats.extend([len(first_seat) - 1] * max(r.capacity, 0))
    longest = max((d for found in options for d, _j in found), default=0.0)
    # unserved costs more than every real distance together, so count comes first;
    # real costs start at 1 so a zero distance is still an edge of the sparse matrix
    unserved = (longest + 1.0) * len(needs) + 1.0
    rows, cols, costs = [], [], []
    for i, found in enumerate(options):
        for d, j in found:
            for seat in range(first_seat[j], first_seat[j] + resources[j].capacity):
                rows.append(i)
                cols.append(seat)
                costs.append(d + 1.0)
        rows.append(i)
        cols.append(len(seats) + i)
        costs.append(unserved)
    matrix = csr_matrix(
        (np.asarray(costs), (np.asarray(rows), np.asarray(cols))),
        shape=(len(needs), len(seats) + len(needs)),
    )
    need_index, seat_index = min_weight_full_bipartite_matching(matrix)
    distance = [dict((j, d) for d, j in found) for found in options]
    for i, seat in zip(need_index, seat_index, strict=True):
        if seat < len(seats):
            j = seats[seat]
            result.pairs[int(i)], result.distances[int(i)] = j, distance[i][j]
    return result


def _augment(start, options, holders, left, max_depth, dead):
    """Breadth-first search for a chain of moves that frees room for `start`.

    Returns [(need, resource), …]: applied last to first, each need moves to the
    resource; the last resource in the chain has room."""
    parent = {}  # resource → (need that would move into it, resource it left)
    moved = {start}
    queue = deque()
    for _d, j in options[start]:
        if j not in parent and j not in dead:
            parent[j] = (start, None)
            queue.append((j, 1))
    while queue:
        j, depth = queue.popleft()
        if left[j] > 0:
            path, node = [], j
            while node is not None:
                need, came_from = parent[node]
                path.append((need, node))
                node = came_from
            return path
        if depth >= max_depth:
            continue
        for other in holders[j]:
            if other in moved:
                continue
            moved.add(other)
            for _d, k in options[other]:
                if k not in parent and k not in dead:
                    parent[k] = (other, j)
                    queue.append((k, depth + 1))
    dead.update(parent)
    return None


def score(need, resource, dist):
    """0–1: skill fit weighs 60%, nearness 40%."""
    if need.skills:
        fit = len(need.skills & resource.skills) / len(need.skills)
    else:
        fit = 1.0
    near = 1 - min(dist / resource.radius, 1) if resource.radius else 1
    return round(0.6 * fit + 0.4 * near, 3)
