"""对单配餐 is exact: on random small instances the matcher serves as many needs as
an independent linear program allows and, among those, travels no farther."""

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from jiceng.volunteer import matching

SKILLS = "abc"
SLOTS = "xy"


def _lp_optimum(needs, resources, options):
    """(served, distance) by two linear programs over the same edges: the bipartite
    b-matching polytope is integral, so the LP optimum is the integer optimum."""
    edges = [(i, j, d) for i, found in enumerate(options) for d, j in found]
    if not edges:
        return 0, 0.0
    a = np.zeros((len(needs) + len(resources), len(edges)))
    for e, (i, j, _d) in enumerate(edges):
        a[i, e] = 1
        a[len(needs) + j, e] = 1
    b = [1] * len(needs) + [r.capacity for r in resources]
    most = linprog(-np.ones(len(edges)), A_ub=a, b_ub=b, bounds=(0, 1), method="highs")
    served = round(-most.fun)
    cheapest = linprog(
        [d for _i, _j, d in edges],
        A_ub=a,
        b_ub=b,
        A_eq=np.ones((1, len(edges))),
        b_eq=[served],
        bounds=(0, 1),
        method="highs",
    )
    return served, cheapest.fun


def _need(i, data):
    lat, lng, skills, slots = data
    return matching.NeedItem(
        i, 30 + lat, 104 + lng, frozenset(skills), frozenset(slots)
    )


def _resource(j, data):
    lat, lng, skills, slots, capacity = data
    return matching.ResourceItem(
        j, 30 + lat, 104 + lng, frozenset(skills), frozenset(slots), capacity, 2500.0
    )


offset = st.floats(0, 0.03)
skill_set = st.sets(st.sampled_from(SKILLS), max_size=2)
slot_set = st.sets(st.sampled_from(SLOTS), max_size=1)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.tuples(offset, offset, skill_set, slot_set), min_size=1, max_size=9),
    st.lists(
        st.tuples(offset, offset, skill_set, slot_set, st.integers(1, 3)),
        min_size=1,
        max_size=5,
    ),
)
def test_matcher_equals_an_exact_solver(need_data, resource_data):
    # given random needs and resources with skills, slots, radii and capacities
    needs = [_need(i, d) for i, d in enumerate(need_data)]
    resources = [_resource(j, d) for j, d in enumerate(resource_data)]
    options = matching.candidates(needs, resources)
    # when the matcher proposes
    result = matching.match(needs, resources, options)
    # then every pair is allowed and no resource is over capacity
    for i, j in result.pairs.items():
        assert j in [k for _d, k in options[i]]
    for j, r in enumerate(resources):
        assert list(result.pairs.values()).count(j) <= r.capacity
    # and it serves as many needs, as near, as the linear program's optimum
    served, distance = _lp_optimum(needs, resources, options)
    assert result.served == served
    assert sum(result.distances.values()) <= distance + 1e-6 * max(distance, 1) + 1e-6
    # and it never does worse than the earlier heuristic
    heuristic = matching.match_augmenting(needs, resources, options)
    assert result.served >= heuristic.served
