"""Named people for assessment: dangyuan (a resident member with a household),
wuye (the property company of the first compound), jiedao / jiedao2 (the two
streets), quadmin (the district)."""

import pytest

from jiceng.assessment import services
from jiceng.people.models import Unit, UnitKind
from jiceng.places.models import PlaceKind

PERIOD = "2026Q4"


@pytest.fixture
def indicators(people):
    """The quarter's indicators: the default set (resident 50, community 20, cases 30)."""
    return services.property.save_indicator_set(
        actor=people["quadmin"],
        period=PERIOD,
        name="红色物业综合评价",
        indicators=services.property.DEFAULT_INDICATORS,
    )


@pytest.fixture
def home_company(people):
    """The property company serving dangyuan's compound (made when none does)."""
    resident = people["dangyuan"].resident
    compound = resident.place.ancestor_of_kind(PlaceKind.COMPOUND)
    company = services.property.company_for(compound)
    if company is None:
        company = Unit.objects.create(
            name="幸福物业服务有限公司", kind=UnitKind.PROPERTY, place=compound
        )
    return company


GOOD = {"service": 5, "cleaning": 4, "security": 4, "repair": 5}
