"""The volunteer lists cost a fixed number of queries, however many rows they show.

Each list is read once, then again after twelve more rows it shows are added: the
query count must not move (no query per row) and stays under a small bound.
"""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from jiceng.volunteer.models import (
    Activity,
    Project,
    ServiceHours,
    Volunteer,
    Wish,
)

pytestmark = pytest.mark.django_db
MORE = 12
API = "/api/v1/volunteer"


def queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


def add_activities(people, community, **_):
    start = timezone.now() + timedelta(days=30)
    Activity.objects.bulk_create(
        Activity(
            title=f"活动{n}",
            community=community,
            venue="活动室",
            starts_at=start + timedelta(hours=n),
            ends_at=start + timedelta(hours=n + 1),
            capacity=5,
            organiser=people["shuji"],
            checkin_token=f"queries-{n}",
        )
        for n in range(MORE)
    )


def add_volunteers(community, **_):
    users = get_user_model().objects.bulk_create(
        get_user_model()(username=f"queries-{n}") for n in range(MORE)
    )
    Volunteer.objects.bulk_create(
        Volunteer(
            user=user, name=f"志愿者{n}", community=community, hours_total=Decimal(9999)
        )
        for n, user in enumerate(users)
    )


def add_hours(community, **_):
    volunteers = list(Volunteer.objects.filter(community=community)[:MORE])
    start = timezone.now() + timedelta(days=400)  # newer than any, one per volunteer
    ServiceHours.objects.bulk_create(
        ServiceHours(
            volunteer=v,
            community=community,
            source="self",
            title="服务",
            started_at=start,
            ended_at=start + timedelta(hours=1),
            hours=1,
        )
        for v in volunteers
    )


def add_wishes(people, grid, **_):
    Wish.objects.bulk_create(
        Wish(
            title=f"心愿{n}",
            category="other",
            place=grid,
            alias="居民",
            consent=True,
            status="published",
            collected_by=people["wangge"],
        )
        for n in range(MORE)
    )


def add_projects(people, community, **_):
    Project.objects.bulk_create(
        Project(
            community=community,
            title=f"项目{n}",
            year=timezone.localdate().year + 1,
            created_by=people["shuji"],
        )
        for n in range(MORE)
    )


LISTS = [
    ("shuji", "/volunteer/activities/", add_activities, 20),
    ("dangyuan", "/volunteer/activities/", add_activities, 20),
    ("shuji", f"{API}/activities/", add_activities, 10),
    ("dangyuan", f"{API}/activities/", add_activities, 10),
    ("shuji", "/volunteer/hours/", add_hours, 20),
    ("shuji", f"{API}/hours/", add_hours, 10),
    ("shuji", "/volunteer/volunteers/", add_volunteers, 20),
    ("shuji", f"{API}/volunteers/", add_volunteers, 10),
    ("wangge", "/volunteer/wishes/", add_wishes, 20),
    ("wangge", f"{API}/wishes/", add_wishes, 10),
    ("dangyuan", "/volunteer/wall/", add_wishes, 20),
    ("dangyuan", f"{API}/wall/", add_wishes, 10),
    ("shuji", "/volunteer/projects/", add_projects, 20),
    ("dangyuan", "/volunteer/projects/", add_projects, 20),
    ("shuji", f"{API}/projects/", add_projects, 10),
    ("dangyuan", f"{API}/projects/", add_projects, 10),
]


@pytest.mark.parametrize(
    ("username", "url", "add", "bound"),
    LISTS,
    ids=[f"{u}:{url}" for u, url, _a, _b in LISTS],
)
def test_list_queries_do_not_grow_with_rows(
    username,
    url,
    add,
    bound,
    client_for,
    api_for,
    people,
    community,
    grid,
    django_assert_max_num_queries,
):
    # given the list as it is (read once first: a token's first use is recorded)
    client = api_for(username) if url.startswith("/api/") else client_for(username)
    queries(client, url)
    before = queries(client, url)
    # when twelve more rows it shows are added
    add(people=people, community=community, grid=grid)
    # then reading it costs the same, and little
    with django_assert_max_num_queries(bound):
        after = queries(client, url)
    assert after == before, f"{url}: {before} → {after} queries"
