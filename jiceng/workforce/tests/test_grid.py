"""Grid duty: coverage figures on the demo week, patrols through the API and the
phone, a finding becoming a case, a visit correcting the registry (audited), the
team on the grid page, the duty checklist."""

import json
from datetime import timedelta

import pytest
from django.db.models import Count
from django.utils import timezone

from jiceng.cases.models import Case, Category
from jiceng.core.models import AuditEntry
from jiceng.core.scope import path_prefix
from jiceng.people.models import Household, Resident
from jiceng.places.models import Place, PlaceKind
from jiceng.workforce import services
from jiceng.workforce.models import Patrol, PatrolBuilding, TeamMember, Visit
from jiceng.workforce.services import track

pytestmark = pytest.mark.django_db


def test_coverage_figures_on_demo_data(people, my_grid, other_grid, client_for):
    # given the demo week of visits and patrols
    # when the community looks at the last 30 days
    response = client_for("shuji").get("/workforce/coverage/?days=30")
    assert response.status_code == 200
    rows = {r.grid.pk: r for r in response.context["rows"]}
    # then the grid's figures are the hand count
    since = timezone.now() - timedelta(days=30)
    row = rows[my_grid.pk]
    assert (
        row.households
        == Household.objects.filter(path_prefix(my_grid.path, "place__path")).count()
    )
    assert row.visited == (
        Visit.objects.filter(grid=my_grid, at__gte=since)
        .values("household")
        .distinct()
        .count()
    )
    assert 0 < row.visited < row.households  # visits, with gaps
    buildings = Place.objects.filter(path_prefix(my_grid.path), kind=PlaceKind.BUILDING)
    assert row.buildings == buildings.count()
    assert (
        row.patrolled
        == (
            PatrolBuilding.objects.filter(grid=my_grid, at__gte=since).aggregate(
                n=Count("building", distinct=True)
            )["n"]
        )
    )
    # and the other street's grid is not on the community's page
    assert other_grid.pk not in rows


def test_a_patrol_posted_as_geojson_is_stored_as_a_line(people, my_grid, api_for):
    # given a track along the grid's buildings and a finding
    buildings = list(
        Place.objects.filter(
            path_prefix(my_grid.path), kind=PlaceKind.BUILDING
        ).order_by("path")[:2]
    )
    line = [[b.lng, b.lat] for b in buildings]
    now = timezone.now()
    category = Category.objects.reportable().first()
    body = {
        "grid_id": my_grid.pk,
        "started_at": (now - timedelta(hours=1)).isoformat(),
        "ended_at": now.isoformat(),
        "track": {"type": "LineString", "coordinates": line},
        "findings": [
            {
                "description": "井盖缺失",
                "category_id": category.pk,
                "lat": line[0][1],
                "lng": line[0][0],
            }
        ],
    }
    # when the phone app posts it
    response = api_for("wangge").post(
        "/api/v1/patrols/", json.dumps(body), content_type="application/json"
    )
    # then it is stored with its line, findings and the buildings passed
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["track"]["coordinates"] == line
    assert data["findings"][0]["description"] == "井盖缺失"
    patrol = Patrol.objects.get(pk=data["id"])
    assert set(patrol.passed.values_list("building", flat=True)) >= {
        b.pk for b in buildings
    }
    # and a grid outside the worker's grids is refused, nothing stored
    body["grid_id"] = (
        Place.objects.filter(kind="grid")
        .exclude(path__startswith=my_grid.path[:12])
        .first()
        .pk
    )
    count = Patrol.objects.count()
    refused = api_for("wangge").post(
        "/api/v1/patrols/", json.dumps(body), content_type="application/json"
    )
    assert refused.status_code == 403
    assert Patrol.objects.count() == count
    # and a broken line is a structured 4xx, never a 500
    bad = api_for("wangge").post(
        "/api/v1/patrols/",
        json.dumps(
            {
                **body,
                "grid_id": my_grid.pk,
                "track": {"type": "LineString", "coordinates": [[1]]},
            }
        ),
        content_type="application/json",
    )
    assert 400 <= bad.status_code < 500


def test_track_encoding_round_trips():
    line = [[104.123456, 30.654321], [104.123556, 30.654301], [104.12, 30.66]]
    assert track.decode(track.encode(line)) == line


def test_a_finding_becomes_a_case_in_two_taps(people, my_grid, client_for):
    # given a patrol with a finding
    wangge = people["wangge"]
    patrol = services.start_patrol(actor=wangge, grid=my_grid)
    finding = services.add_finding(
        actor=wangge, patrol=patrol, description="楼道堆放杂物"
    )
    category = Category.objects.reportable().first()
    client = client_for("wangge")
    # when the worker taps 上报为事件 (the page opens) and then 确认上报
    assert client.get(f"/workforce/m/findings/{finding.pk}/case/").status_code == 200
    response = client.post(
        f"/workforce/m/findings/{finding.pk}/case/", {"category": category.pk}
    )
    # then the case exists through the intake, channel 网格巡查, linked to the finding
    assert response.status_code == 302
    finding.refresh_from_db()
    case = Case.objects.get(pk=finding.case_id)
    assert case.channel == "patrol"
    assert case.description == "楼道堆放杂物"
    # and a second report of the same finding is refused
    again = client.post(
        f"/workforce/m/findings/{finding.pk}/case/", {"category": category.pk}
    )
    assert again.status_code == 200
    assert "已上报为事件" in again.content.decode()
    assert Case.objects.filter(description="楼道堆放杂物", reporter=wangge).count() == 1


def test_a_visit_correction_of_the_registry_is_audited(people, my_grid, api_for):
    # given a household in the worker's grid
    wangge = people["wangge"]
    resident = (
        Resident.objects.filter(
            path_prefix(my_grid.path, "place__path"), household__isnull=False
        )
        .order_by("pk")
        .first()
    )
    # when the worker records a visit through the API
    response = api_for("wangge").post(
        "/api/v1/visits/",
        json.dumps(
            {"household": resident.household_id, "kind": "信息员", "notes": "核实信息"}
        ),
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    visit = Visit.objects.get(pk=response.json()["id"])
    # and corrects a phone number in place
    services.correct_resident(
        actor=wangge, visit=visit, resident=resident, phone="13912345678"
    )
    # then the registry holds the new number and both records carry an audit row
    resident.refresh_from_db()
    assert resident.phone == "13912345678"
    assert AuditEntry.objects.filter(
        target_type="people.resident", target_id=str(resident.pk), actor=wangge
    ).exists()
    entry = AuditEntry.objects.filter(
        target_type="workforce.visit", target_id=str(visit.pk), action="update"
    ).get()
    assert entry.changes == {f"{resident.name}.phone": ["***", "***"]}
    visit.refresh_from_db()
    assert visit.confirmed and visit.corrections == 1
    # and a visit kind outside the 四员 is a structured 422
    bad = api_for("wangge").post(
        "/api/v1/visits/",
        json.dumps({"household": resident.household_id, "kind": "督查员"}),
        content_type="application/json",
    )
    assert bad.status_code == 422


def test_the_team_shows_on_the_grid_page_and_the_directory_respects_scope(
    people, my_grid, other_grid, client_for
):
    page = client_for("wangge").get(f"/places/{my_grid.pk}/")
    assert page.status_code == 200
    assert "网格力量" in page.content.decode()
    directory = client_for("wangge").get("/workforce/directory/")
    grids = {m.grid_id for m in directory.context["page"]}
    assert other_grid.pk not in grids
    assert TeamMember.objects.filter(grid=other_grid).exists()


def test_the_duty_checklist_has_eleven_lines(people, my_grid, client_for):
    client = client_for("wangge")
    response = client.get(f"/workforce/duties/?grid={my_grid.pk}")
    assert len(response.context["lines"]) == 11
    client.post(
        "/workforce/duties/check/",
        {
            "grid": my_grid.pk,
            "period": timezone.localdate().strftime("%Y-%m"),
            "duty": "emergency",
            "done": "1",
        },
    )
    lines = client.get(f"/workforce/duties/?grid={my_grid.pk}").context["lines"]
    assert dict((code, row) for code, _, row in lines)["emergency"].done


def test_the_day_summary_and_team_view(people, client_for):
    day = client_for("wangge").get("/workforce/m/")
    assert day.status_code == 200
    team = client_for("shuji").get("/workforce/team/")
    assert team.status_code == 200
    names = {r["worker"].user_id for r in team.context["rows"]}
    assert people["wangge"].pk in names


def test_a_need_found_on_a_visit_becomes_a_case_or_a_tag_review(
    people, my_grid, client_for
):
    # given a visit the grid worker made to a household with a key-population tag
    from jiceng.people.models import ResidentTag

    wangge = people["wangge"]
    tag = (
        ResidentTag.objects.visible_to(wangge)
        .filter(
            path_prefix(my_grid.path, "resident__place__path"),
            ended_on=None,
            resident__household__isnull=False,
        )
        .select_related("resident")
        .first()
    )
    visit = services.record_visit(
        actor=wangge, household=tag.resident.household, kind="服务员"
    )
    client = client_for("wangge")
    page = client.get(f"/workforce/visits/{visit.pk}/")
    # then the page offers the tag for review and case categories
    assert tag in page.context["tags"] and page.context["categories"]
    category = Category.objects.reportable().first()
    # when the worker reports a case from the visit
    before = Case.objects.count()
    client.post(
        f"/workforce/m/visits/{visit.pk}/needs/",
        {"kind": "case", "text": "楼道灯坏了好几天", "category": category.pk},
    )
    # then a case is reported from the household's grid
    assert Case.objects.count() == before + 1
    case = Case.objects.order_by("-pk").first()
    assert case.category == category and "楼道灯" in case.description
    # and a review of the tag is recorded with the worker's note
    client.post(
        f"/workforce/m/visits/{visit.pk}/needs/",
        {"kind": "review", "text": "本人近况稳定", "tag": tag.pk, "kept": "1"},
    )
    assert set(visit.needs.values_list("kind", flat=True)) == {"case", "review"}
    assert AuditEntry.objects.filter(
        target_type="people.residenttag", target_id=str(tag.pk), actor=wangge
    ).exists()
