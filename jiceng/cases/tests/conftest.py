import pytest

from jiceng.cases.models import Category, RoutingRule
from jiceng.core.models import Department
from jiceng.places.models import Place


@pytest.fixture(autouse=True)
def no_routing_rules(request):
    """Each test starts with no routing rules (the demo has some): every case waits
    in the dispatcher's queue unless the test configures a rule.

    Not for browser flows: they run against the demo site's own database, and the
    test database opened from inside Playwright's event loop got a second
    connection that outlived the session (PostgreSQL then refused to drop it)."""
    if "live_site" in request.fixturenames:
        return
    request.getfixturevalue("db")
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
