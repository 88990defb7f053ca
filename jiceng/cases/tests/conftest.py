import pytest


@pytest.fixture(autouse=True)
def no_routing_rules(db):
    """Each test starts with no routing rules (the demo has some): every case waits
    in the dispatcher's queue unless the test configures a rule."""
    from jiceng.cases.models import RoutingRule

    RoutingRule.objects.all().delete()
