"""The next person to act on a case hears of it in the bell; nobody else does."""

import pytest

from jiceng.cases.tests.helpers import report, step
from jiceng.notices.models import Notification

pytestmark = pytest.mark.django_db


def inbox(user):
    return list(
        Notification.objects.filter(user=user).values_list("message", flat=True)
    )


def test_each_step_tells_the_next_actor(people, client_for, grid, streetlight):
    # given a report in wangge's grid, which waits for the community
    case = report(people, grid, streetlight)
    assert any(case.number in m and "待受理" in m for m in inbox(people["shuji"]))
    assert not any(case.number in m for m in inbox(people["jiedao2"]))  # other street

    # when the community accepts and dispatches it to the grid
    step(people["shuji"], case, "accept")
    step(people["shuji"], case, "dispatch", grid=grid)

    # then the grid worker is told, and not of the step she takes herself
    assert any(case.number in m and "派给您" in m for m in inbox(people["wangge"]))
    step(people["wangge"], case, "handle", note="好了")
    mine = [m for m in inbox(people["wangge"]) if case.number in m]
    assert not any("核查" in m for m in mine)

    # and the bell opens the case
    client = client_for("wangge")
    note = Notification.objects.filter(
        user=people["wangge"], message__contains=case.number
    ).first()
    opened = client.get(f"/notices/{note.pk}/")
    assert opened.status_code == 302 and opened["Location"] == case.get_absolute_url()
