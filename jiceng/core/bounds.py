"""Numbers taken from a request, bounded to what the database and the globe hold.

Ids are BigAutoFields (at most 2**63 - 1). A larger number passed on to a foreign
key lookup overflows the database driver; the schema types and filters here turn it
into a validation error instead (a 422 from the API, an ignored filter on a page).
Coordinates are degrees: anything beyond ±90/±180 (or not finite) is no place.
Days are those a record can carry: 0001-01-01 made a Shanghai datetime falls before
year 1 in UTC and overflows.
"""

from datetime import date
from typing import Annotated

import django_filters
from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from ninja import Field

MAX_ID = 2**63 - 1

# A row id in an API schema: a query filter, a path or a body field.
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
# A point's coordinates in an API schema (degrees, WGS 84 / GCJ-02 alike).
Latitude = Annotated[float, Field(ge=-90, le=90)]
Longitude = Annotated[float, Field(ge=-180, le=180)]


class IdFilter(django_filters.NumberFilter):
    """A whole-number id filter (django-filter's NumberFilter takes any decimal)."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


EARLIEST_DAY = date(1900, 1, 1)
LATEST_DAY = date(2999, 12, 31)


class DayFilter(django_filters.DateFilter):
    """A date filter for the days a record can carry; others are a form error."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "validators",
            [MinValueValidator(EARLIEST_DAY), MaxValueValidator(LATEST_DAY)],
        )
        super().__init__(*args, **kwargs)


def parse_id(text) -> int | None:
    """A row id read from a query parameter, or None when the text is not one."""
    try:
        value = int(str(text).strip())
    except (TypeError, ValueError):
        return None
    return value if 1 <= value <= MAX_ID else None
