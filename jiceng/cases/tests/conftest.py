import pytest

from jiceng.cases.models import Category, RoutingRule
from jiceng.core.models import Department
from jiceng.places.models import Place


@pytest.fixture(autouse=True)
def no_routing_rules(db):
    """Each test starts with no routing rules (the demo has some): every case waits
    in the dispatcher's queue unless the test configures a rule."""
    RoutingRule.objects.all().delete()


@pytest.fixture
def grid(people):
    """The first grid of the demo grid worker wangge."""
    return (
        Place.objects.filter(assignments__user=people["wangge"])
        .order_by("code")
        .first()
    )


@pytest.fixture
def streetlight():
    return Category.objects.get(code="BJ0117")


@pytest.fixture
def city_management():
    return Department.objects.get(code="CGJ")
