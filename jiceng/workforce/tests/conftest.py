"""Named people for workforce: quadmin (district), jiedao (street 1), shuji and
shegong (community 1), wangge (grid worker of its grids 1 and 2), wangge2 (the
other street's grid worker), dangyuan (a member). The demo district holds the
workforce demo (jiceng/demo/workforce.py)."""

import pytest

from jiceng.core.models import Assignment


@pytest.fixture
def community(people):
    return Assignment.objects.get(user=people["shuji"]).place


@pytest.fixture
def my_grid(people):
    return (
        Assignment.objects.filter(user=people["wangge"])
        .order_by("place__path")
        .first()
        .place
    )


@pytest.fixture
def other_grid(people):
    return Assignment.objects.get(user=people["wangge2"]).place
