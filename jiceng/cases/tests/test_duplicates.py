"""Two neighbours report the same broken streetlight: the dispatcher merges them."""

import pytest
from django.core.exceptions import ValidationError

from jiceng.cases import duplicates, services
from jiceng.cases.models import Case, Status
from jiceng.cases.tests.helpers import report, step, work_through
from jiceng.notices.models import Notification

pytestmark = pytest.mark.django_db


def at(grid, metres_north=0):
    return {"lat": grid.lat + metres_north / duplicates.DEGREE_METRES, "lng": grid.lng}


def test_wording_similarity_on_bigrams():
    assert duplicates.text_similarity("路灯不亮，晚上很黑", "路灯不亮了，晚上黑") > 0.5
    assert duplicates.text_similarity("路灯不亮", "井盖丢失") == 0


def test_a_nearby_report_of_the_same_problem_is_suggested(people, grid, streetlight):
    first = report(people, grid, streetlight, **at(grid))
    again = services.report_case(
        actor=people["dangyuan"],
        category=streetlight,
        description="小区门口路灯不亮，晚上很黑",
        place=grid,
        **at(grid, 40),
    )
    far = report(people, grid, streetlight, **at(grid, 900))
    other_problem = services.report_case(
        actor=people["wangge"],
        category=streetlight,
        description="灯杆被车撞歪了有危险",
        place=grid,
        **at(grid, 10),
    )
    suggested = [case for case, _score in duplicates.suggestions(again)]
    assert first in suggested
    assert far not in suggested and other_problem not in suggested


def test_merging_keeps_every_reporter_informed(people, grid, streetlight):
    kept = report(people, grid, streetlight, **at(grid))
    duplicate = services.report_case(
        actor=people["dangyuan"],
        category=streetlight,
        description="路灯不亮，晚上很黑",
        place=grid,
        **at(grid, 20),
    )
    services.merge_case(
        actor=people["jiedao"], case=duplicate, into=kept, version=duplicate.version
    )
    duplicate.refresh_from_db()
    assert duplicate.status == Status.CANCELLED and duplicate.merged_into == kept
    assert kept.events.last().action == "merged_in"

    work_through(people, kept, grid)
    told = Notification.objects.filter(
        user=people["dangyuan"], message__contains=kept.number
    )
    assert told.filter(message__contains="已办结").exists()


def test_merge_is_refused_when_it_makes_no_sense(people, grid, streetlight):
    one = report(people, grid, streetlight)
    with pytest.raises(ValidationError):
        services.merge_case(
            actor=people["jiedao"], case=one, into=one, version=one.version
        )
    closed = report(people, grid, streetlight)
    step(people["jiedao"], closed, "cancel", note="无效")
    with pytest.raises(ValidationError) as info:
        services.merge_case(
            actor=people["jiedao"],
            case=one,
            into=Case.objects.get(pk=closed.pk),
            version=one.version,
        )
    assert "目标案件" in info.value.messages[0]


def test_the_dispatcher_merges_from_the_case_page(
    client_for, people, grid, streetlight
):
    kept = report(people, grid, streetlight, **at(grid))
    duplicate = report(people, grid, streetlight, **at(grid, 15))
    page = client_for("jiedao").get(duplicate.get_absolute_url())
    assert "疑似重复" in page.content.decode() and kept.number in page.content.decode()
    response = client_for("jiedao").post(
        duplicate.get_absolute_url() + "merge/",
        {"into": kept.pk, "version": duplicate.version},
    )
    assert response.status_code == 302
    duplicate.refresh_from_db()
    assert duplicate.merged_into == kept
    public = client_for("jiedao2").get(duplicate.get_public_url(), follow=True)
    assert kept.number in public.content.decode()
