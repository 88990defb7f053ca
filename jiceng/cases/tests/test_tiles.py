"""The case tiles equal direct queries on the demo district (core.tiles)."""

import pytest

from jiceng.cases import kpi
from jiceng.cases.models import Case, StatDimension
from jiceng.core.tiles import TILES, add_months, current_month
from jiceng.places.models import Place, PlaceKind

pytestmark = pytest.mark.django_db


def communities():
    return list(Place.objects.filter(kind=PlaceKind.COMMUNITY))


def under(place):
    return Case.objects.filter(place__path__startswith=place.path)


def test_open_and_overdue_equal_the_case_rules_per_community():
    # given the demo communities
    places = communities()
    # when the tiles compute them
    opened = TILES["cases.open"].figures(places, current_month())
    overdue = TILES["cases.overdue"].figures(places, current_month())
    # then each equals a count of that community's cases by the model's rules
    for place in places:
        assert opened.get(place.pk, 0) == under(place).filter(is_open=True).count()
        assert overdue.get(place.pk, 0) == under(place).overdue().count()
    assert sum(opened.values()) > 0


@pytest.mark.parametrize("month_back", [0, 1])
def test_intake_and_the_three_rates_equal_the_kpi_of_each_street(month_back):
    # given the streets and a month
    places = list(Place.objects.filter(kind=PlaceKind.STREET))
    month = add_months(current_month(), -month_back)
    for key, attribute in (
        ("cases.received", "received"),
        ("cases.completion_rate", "completion_rate"),
        ("cases.on_time_rate", "on_time_rate"),
        ("cases.satisfaction_rate", "satisfaction_rate"),
    ):
        # when the tile computes them
        figures = TILES[key].figures(places, month)
        for place in places:
            # then each equals the KPI page's own figure for that street alone
            rows = kpi.stats(StatDimension.PLACE, (month, month), [place.path])
            expected = getattr(kpi.totals(rows), attribute)
            got = figures.get(place.pk, 0 if attribute == "received" else None)
            assert got == expected, (key, place.code)


def test_received_equals_the_timeline():
    # given the district and this month
    district = Place.objects.get(kind=PlaceKind.DISTRICT)
    month = current_month()
    # when the tile computes it
    got = TILES["cases.received"].figures([district], month).get(district.pk, 0)
    # then it equals the reports on the timeline in that month
    expected = sum(
        row["received"]
        for row in kpi.from_events(StatDimension.PLACE)
        if row["month"] == month
    )
    assert got == expected
