"""Service points by distance (and the same answer as a full scan), the public map
and 骑士之家 pages; the 准入清单's count and the departments' requests."""

import random

import pytest
from django.core.exceptions import ValidationError

from jiceng.core.geo import distance_metres
from jiceng.core.models import Department
from jiceng.onewindow import services
from jiceng.onewindow.errors import Code
from jiceng.onewindow.models import (
    CommunityMatter,
    PointKind,
    RequestStatus,
    ServicePoint,
    TaskRequest,
)

pytestmark = pytest.mark.django_db


def test_nearest_points_equal_a_full_scan(community):
    # given 400 points scattered over ~40 km
    rng = random.Random(5)
    ServicePoint.objects.bulk_create(
        ServicePoint(
            name=f"点{n}",
            kind=PointKind.STATION,
            place=community,
            address="",
            lat=34.2 + rng.random() * 0.35,
            lng=107.0 + rng.random() * 0.4,
        )
        for n in range(400)
    )
    rows = ServicePoint.objects.all()
    for _ in range(10):
        lat, lng = 34.2 + rng.random() * 0.35, 107.0 + rng.random() * 0.4
        # when the nearest ten are asked for
        near = services.nearest(rows, lat, lng, limit=10)
        scan = services.nearest_by_scan(rows, lat, lng, limit=10)
        # then the bounded search gives the scan's answer, nearest first
        assert [p.pk for p in near] == [p.pk for p in scan]
        assert [p.distance for p in near] == sorted(p.distance for p in near)


def test_api_sorts_by_distance_with_metres(api_for):
    point = ServicePoint.objects.filter(kind=PointKind.RIDER_HOME).first()
    response = api_for("dangyuan").get(
        "/api/v1/service-points/", {"near": f"{point.lat},{point.lng}", "limit": 50}
    )
    assert response.status_code == 200
    items = response.json()["items"]
    assert items[0]["id"] == point.pk and items[0]["distance_m"] == 0
    distances = [i["distance_m"] for i in items]
    assert distances == sorted(distances)
    expected = round(
        distance_metres(point.lat, point.lng, items[-1]["lat"], items[-1]["lng"])
    )
    assert items[-1]["distance_m"] == expected


@pytest.mark.parametrize("near", ["abc", "91,10", "34.3", "1,2,3"])
def test_api_refuses_a_bad_position(api_for, near):
    response = api_for("dangyuan").get("/api/v1/service-points/", {"near": near})
    assert response.status_code == 422


def test_riders_find_the_nearest_rider_home_without_logging_in(client):
    rider_home = ServicePoint.objects.filter(kind=PointKind.RIDER_HOME).first()
    response = client.get(
        "/onewindow/riders/", {"lat": rider_home.lat, "lng": rider_home.lng}
    )
    assert response.status_code == 200
    points = response.context["points"]
    assert points[0] == rider_home
    assert {p.kind for p in points} == {PointKind.RIDER_HOME}
    assert "0米" in response.content.decode()


def test_the_nearby_list_offers_booking_without_a_query_per_point(
    client_for, django_assert_max_num_queries
):
    # given a resident near the demo's service points, some of which take bookings
    point = ServicePoint.objects.filter(active=True, items__isnull=False).first()
    client = client_for("dangyuan")
    # when the resident opens the nearby list (20 points)
    with django_assert_max_num_queries(20):  # one query per point would be 36
        response = client.get(
            "/onewindow/nearby/", {"lat": point.lat, "lng": point.lng}
        )
    # then the points that take bookings offer 预约办事, the others do not
    assert response.status_code == 200
    points = response.context["points"]
    assert len(points) > 1
    bookable = {p.pk for p in points if p.items.exists()}
    assert {p.pk for p in points if p.bookable} == bookable and point.pk in bookable
    assert response.content.decode().count("预约办事") == len(bookable)


def test_the_public_map_shows_every_open_point_offline(client):
    response = client.get("/onewindow/map/")
    assert response.status_code == 200
    text = response.content.decode()
    assert (
        "vendor/leaflet/leaflet.js" in text
        and "http" not in text.split("points-data")[1][:200]
    )
    assert response.context["count"] == ServicePoint.objects.filter(active=True).count()
    kinds = {p["kind"] for p in response.context["points"]}
    assert kinds == {str(label) for _, label in PointKind.choices}


def test_matters_handed_to_communities_fell_by_87_point_1_percent(client_for):
    counts = services.matter_counts(CommunityMatter.objects.all())
    assert (counts["year_ago"], counts["now"], counts["change"]) == (31, 4, -87.1)
    response = client_for("shegong").get("/onewindow/matters/")
    assert response.status_code == 200
    assert "-87.1%" in response.content.decode()


def test_a_department_request_is_decided_against_the_list(people):
    department = Department.objects.get(code="CGJ")
    district = CommunityMatter.objects.first().district
    request = services.file_request(
        actor=people["bumen"],
        department=department,
        district=district,
        title="社区协助统计沿街商户",
    )
    # approving without a matter in force on the list is refused
    with pytest.raises(ValidationError) as refused:
        services.decide_request(actor=people["quadmin"], request=request, approve=True)
    assert refused.value.code == Code.NOT_LISTED
    removed = CommunityMatter.objects.filter(removed_on__isnull=False).first()
    with pytest.raises(ValidationError):
        services.decide_request(
            actor=people["quadmin"], request=request, approve=True, matter=removed
        )
    # refusing needs a reason; approving against an entry in force works
    with pytest.raises(ValidationError):
        services.decide_request(actor=people["quadmin"], request=request, approve=False)
    listed = CommunityMatter.objects.filter(removed_on__isnull=True).first()
    decided = services.decide_request(
        actor=people["quadmin"], request=request, approve=True, matter=listed
    )
    assert decided.status == RequestStatus.APPROVED and decided.matter == listed


def test_a_department_files_only_for_itself(people):
    other = Department.objects.get(code="MZJ")
    with pytest.raises(Exception) as refused:
        services.file_request(
            actor=people["bumen"],
            department=other,
            district=CommunityMatter.objects.first().district,
            title="代填报表",
        )
    assert refused.type.__name__ == "PermissionDenied"
    assert not TaskRequest.objects.filter(title="代填报表").exists()
