"""Co-governance joins the shared scope matrix: every scoped model's pages and API
agree with Model.objects.visible_to for each demo role; and a unit sees its own
agreements and tasks, not others'.

Rows shown inside another row's page use that page as their detail (members and
terms on an alliance's page, commitments on an agreement's, reports on a task's,
visits on a pair's); models no page lists on their own are registered for the
coverage test with the surfaces they have.
"""

import pytest
from django.test import Client

from jiceng.alliances.models import (
    AgendaItem,
    Agreement,
    Alliance,
    AllianceMember,
    AnnualPlan,
    Attendance,
    Booking,
    ChairTerm,
    Commitment,
    Meeting,
    MeetingSeries,
    Organisation,
    Pair,
    PlanItem,
    Task,
    TaskReport,
    Venue,
    Visit,
)
from jiceng.core.testing import Surface, scope_matrix

SURFACES = [
    Surface(
        Venue,
        list_url="/alliances/venues/",
        detail_url=lambda v: f"/alliances/venues/{v.pk}/",
        api_list="/api/v1/venues/",
        api_detail=lambda v: f"/api/v1/venues/{v.pk}",
    ),
    Surface(
        Booking,
        list_url="/alliances/bookings/",
        detail_url=lambda b: f"/alliances/bookings/{b.pk}/",
        api_list="/api/v1/venues/bookings/",
        api_detail=lambda b: f"/api/v1/venues/bookings/{b.pk}",
    ),
    Surface(
        Agreement,
        list_url="/alliances/agreements/",
        detail_url=lambda a: f"/alliances/agreements/{a.pk}/",
        api_list="/api/v1/agreements/",
        api_detail=lambda a: f"/api/v1/agreements/{a.pk}",
    ),
    Surface(Commitment),
    Surface(
        Task,
        list_url="/alliances/tasks/",
        detail_url=lambda t: f"/alliances/tasks/{t.pk}/",
        api_list="/api/v1/tasks/",
        api_detail=lambda t: f"/api/v1/tasks/{t.pk}",
    ),
    Surface(TaskReport),
    Surface(
        Meeting,
        list_url="/alliances/meetings/",
        detail_url=lambda m: f"/alliances/meetings/{m.pk}/",
        api_list="/api/v1/meetings/",
        api_detail=lambda m: f"/api/v1/meetings/{m.pk}",
    ),
    Surface(MeetingSeries),
    Surface(AgendaItem, detail_url=lambda i: f"/alliances/meetings/{i.meeting_id}/"),
    Surface(Attendance),
    Surface(
        Alliance,
        list_url="/alliances/alliances/",
        detail_url=lambda a: f"/alliances/alliances/{a.pk}/",
    ),
    Surface(
        AllianceMember,
        detail_url=lambda m: f"/alliances/members/{m.pk}/",
    ),
    Surface(ChairTerm),
    Surface(AnnualPlan, detail_url=lambda p: f"/alliances/alliances/{p.alliance_id}/"),
    Surface(PlanItem),
    Surface(Pair, detail_url=lambda p: f"/alliances/pairs/{p.pk}/"),
    Surface(Visit, detail_url=lambda v: f"/alliances/pairs/{v.pair_id}/"),
    Surface(
        Organisation,
        list_url="/alliances/orgs/",
        detail_url=lambda o: f"/alliances/orgs/{o.pk}/",
    ),
]

test_scope_matrix = scope_matrix(SURFACES)

pytestmark = pytest.mark.django_db


def test_a_unit_sees_its_own_agreements_and_tasks_not_others(people, unit):
    danwei = people["danwei"]
    agreements = Agreement.objects.visible_to(danwei)
    tasks = Task.objects.visible_to(danwei)
    assert agreements.exists() and tasks.exists()
    assert set(agreements.values_list("unit_id", flat=True)) == {unit.pk}
    assert set(tasks.values_list("owner_unit_id", flat=True)) == {unit.pk}
    others = Agreement.objects.exclude(unit=unit).first()
    client = Client()
    client.force_login(danwei)
    assert client.get(f"/alliances/agreements/{others.pk}/").status_code == 404
    other_task = Task.objects.exclude(owner_unit=unit).first()
    assert client.get(f"/alliances/tasks/{other_task.pk}/").status_code == 404
