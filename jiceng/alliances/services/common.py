"""Helpers the co-governance services share."""

from datetime import datetime, time

from django.core.exceptions import ValidationError
from django.utils import timezone

from jiceng.places.models import PlaceKind

from ..errors import Code

CHANGE = "alliances.change"
EARLIEST_YEAR, LATEST_YEAR = 2000, 2100


def community_or_street(place):
    """The community (or, above it, the street) a place belongs to."""
    if place is None:
        return None
    for kind in (PlaceKind.COMMUNITY, PlaceKind.STREET):
        found = place.ancestor_of_kind(kind)
        if found is not None:
            return found
    return place


def aware(value, field):
    """A timezone-aware datetime in the years a booking or meeting can carry."""
    if not isinstance(value, datetime):
        raise ValidationError({field: "请填写日期和时间"}, code=Code.INVALID)
    if not EARLIEST_YEAR <= value.year <= LATEST_YEAR:
        raise ValidationError({field: "时间超出可填写范围"}, code=Code.OUT_OF_RANGE)
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    return value


def day_start(day):
    return timezone.make_aware(datetime.combine(day, time.min))
