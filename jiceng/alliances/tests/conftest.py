"""Named people and rows for co-governance (from the demo): shuji books for the
first community, danwei's unit owns a meeting room it approves bookings of, jiedao
runs the first street's alliance and joint meetings, jiedao2 the second street."""

from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from jiceng.alliances.models import Venue
from jiceng.core.models import Assignment


@pytest.fixture
def unit(people):
    return Assignment.objects.get(user=people["danwei"]).unit


@pytest.fixture
def community(people):
    return Assignment.objects.get(user=people["shuji"]).place


@pytest.fixture
def street(people):
    return Assignment.objects.get(user=people["jiedao"]).place


@pytest.fixture
def room(unit):
    """The unit's meeting room, open to the community, bookings approved by danwei."""
    return Venue.objects.get(owner_unit=unit)


@pytest.fixture
def free_day():
    """A day three weeks ahead, when the demo has no bookings."""
    return timezone.localdate() + timedelta(days=21)


@pytest.fixture
def at(free_day):
    def make(hour, minute=0, day=free_day):
        return timezone.make_aware(datetime.combine(day, time(hour, minute)))

    return make
