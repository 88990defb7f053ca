"""Who handles a case is one rule: the step buttons, "mine", the notifications and
the scope agree, and a case goes only where its handlers can see it."""

import pytest
from django.core.exceptions import ValidationError

from jiceng.cases import services
from jiceng.cases.errors import CaseError
from jiceng.cases.models import Case
from jiceng.cases.tests.helpers import report, step
from jiceng.core.scope import can
from jiceng.core.testing import DEMO_USERNAMES
from jiceng.notices.models import Notification
from jiceng.places.models import Place

pytestmark = pytest.mark.django_db


def handlers_by_rule(case, people):
    return {
        name
        for name in DEMO_USERNAMES
        if Case.objects.handled_by(people[name]).filter(pk=case.pk).exists()
    }


@pytest.mark.parametrize("to", ["grid", "department", "compound"])
def test_everyone_agrees_on_who_handles_a_case(
    people, api_for, grid, streetlight, city_management, to
):
    # given a case in a grid of the street, accepted by the street
    compound = Place.objects.filter(assignments__user=people["wuye"]).get()
    place = Place.objects.get_ancestors(compound).get(kind="grid")
    case = report(people, place if to == "compound" else grid, streetlight)
    step(people["jiedao"], case, "accept")
    target = {
        "grid": {"grid": grid},
        "department": {"department": city_management},
        "compound": {"grid": compound},
    }[to]

    # when the street dispatches it
    step(people["jiedao"], case, "dispatch", **target)
    case.refresh_from_db()

    # then the rule, the notifications, the handle button and "mine" name the
    # same people, and each of them sees the case
    handlers = handlers_by_rule(case, people)
    assert handlers, to
    assert {u.username for u in case.handlers()} & set(DEMO_USERNAMES) == handlers
    told = Notification.objects.filter(message__contains=case.number).filter(
        message__contains="派给您"
    )
    told = {n.user.username for n in told} & set(DEMO_USERNAMES)
    assert told == handlers - {"jiedao"}  # not the one who dispatched
    for name in DEMO_USERNAMES:
        user = people[name]
        handles = name in handlers
        assert case.is_handled_by(user) is handles
        assert ("handle" in services.available_steps(user, case)) is handles
        if handles:
            assert can(user, case, "handle")
            mine = api_for(name).get("/api/v1/cases/", {"mine": True}).json()
            assert case.pk in [c["id"] for c in mine["items"]]


def test_a_case_goes_only_to_a_place_in_its_own_grid(people, grid, streetlight):
    # given a case in one of wangge's grids and another grid of the same street
    case = report(people, grid, streetlight)
    step(people["jiedao"], case, "accept")
    street = Place.objects.get_ancestors(grid).get(kind="street")
    grids = Place.objects.get_descendants(street).filter(kind="grid")
    other = grids.exclude(pk=grid.pk).first()

    # when the street dispatches it to the other grid
    with pytest.raises(ValidationError) as refused:
        step(people["jiedao"], case, "dispatch", grid=other)

    # then it is refused, and the case still waits for dispatch
    assert refused.value.error_list[0].code == CaseError.PLACE
    case.refresh_from_db()
    assert case.status == "accepted" and case.grid is None
