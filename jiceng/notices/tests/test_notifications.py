"""The next person to act hears of it in the bell; nobody else does."""

import pytest

from jiceng.cases.tests.helpers import report, step
from jiceng.notices.models import Notification

pytestmark = pytest.mark.django_db


def inbox(user):
    return list(
        Notification.objects.filter(user=user).values_list("message", flat=True)
    )


def test_each_step_tells_the_next_actor(people, client_for):
    from jiceng.cases.models import Category, RoutingRule
    from jiceng.places.models import Place

    RoutingRule.objects.all().delete()
    grid = Place.objects.filter(assignments__user=people["wangge"]).order_by("code")[0]
    case = report(people, grid, Category.objects.get(code="BJ0117"))
    assert any(case.number in m and "待受理" in m for m in inbox(people["shuji"]))
    assert not any(case.number in m for m in inbox(people["jiedao2"]))  # other street
    step(people["shuji"], case, "accept")
    step(people["shuji"], case, "dispatch", grid=grid)
    assert any("派给您" in m for m in inbox(people["wangge"]))
    step(people["wangge"], case, "handle", note="好了")
    mine = [m for m in inbox(people["wangge"]) if case.number in m]
    assert not any("核查" in m for m in mine)  # not told of their own step

    client = client_for("wangge")
    page = client.get("/notices/")
    assert page.status_code == 200 and case.number in page.content.decode()
    note = Notification.objects.filter(user=people["wangge"]).first()
    opened = client.get(f"/notices/{note.pk}/")
    assert opened.status_code == 302 and opened["Location"] == case.get_absolute_url()
    note.refresh_from_db()
    assert note.read_at is not None
    # someone else's notification is not found
    other = Notification.objects.filter(user=people["shuji"]).first()
    assert client.get(f"/notices/{other.pk}/").status_code == 404
    client.post("/notices/read-all/")
    assert not Notification.objects.filter(user=people["wangge"], read_at=None).exists()
