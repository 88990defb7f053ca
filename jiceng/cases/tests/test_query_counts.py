"""The case list page and the API list cost a fixed number of queries, whatever
the number of cases (one page of rows with their joins, the count, the scope)."""

import pytest

from jiceng.cases.tests.helpers import report

pytestmark = pytest.mark.django_db

# session, user, grants, count, ids, rows, filter choices…, and the panels other apps
# add above the queue (未诉先办: its open tasks, its grants)
LIST_PAGE_QUERIES = 14
API_LIST_QUERIES = 5  # token, grants, count, the page's ids, its rows
MAP_QUERIES = 7  # the request's own (session, user, grants, filters), the cases


def more_cases(people, grid, category, count=30):
    for _ in range(count):
        report(people, grid, category, lat=grid.lat, lng=grid.lng)


@pytest.mark.parametrize("username", ["jiedao", "wangge", "bumen", "dangyuan"])
def test_the_list_page_costs_the_same_with_more_cases(
    client_for, people, grid, streetlight, django_assert_max_num_queries, username
):
    # given the list page opened once (session and grants loaded)
    client = client_for(username)
    assert client.get("/cases/").status_code == 200

    # when it is read with the demo's cases, then with thirty more
    with django_assert_max_num_queries(LIST_PAGE_QUERIES) as before:
        assert client.get("/cases/?status=open").status_code == 200
    more_cases(people, grid, streetlight)
    with django_assert_max_num_queries(LIST_PAGE_QUERIES) as after:
        assert client.get("/cases/?status=open").status_code == 200

    # then the number of queries does not grow
    assert len(after) == len(before)


@pytest.mark.parametrize("username", ["jiedao", "wangge", "bumen"])
def test_the_api_list_costs_the_same_with_more_cases(
    api_for, people, grid, streetlight, django_assert_max_num_queries, username
):
    # given a client with a token
    api = api_for(username)
    assert api.get("/api/v1/cases/").status_code == 200

    # when it lists cases with the demo's cases, then with thirty more
    with django_assert_max_num_queries(API_LIST_QUERIES) as before:
        assert api.get("/api/v1/cases/", {"limit": 50}).status_code == 200
    more_cases(people, grid, streetlight)
    with django_assert_max_num_queries(API_LIST_QUERIES) as after:
        assert api.get("/api/v1/cases/", {"limit": 50}).status_code == 200

    # then the number of queries does not grow
    assert len(after) == len(before)


def test_the_map_data_costs_the_same_with_more_cases(
    client_for, people, grid, streetlight, django_assert_max_num_queries
):
    # given the street's map data read once (session and grants loaded)
    client = client_for("jiedao")
    assert client.get("/cases/map.geojson").status_code == 200

    # when it is read, then read again with thirty more cases on the map
    with django_assert_max_num_queries(MAP_QUERIES) as before:
        first = client.get("/cases/map.geojson").json()["features"]
    more_cases(people, grid, streetlight)
    with django_assert_max_num_queries(MAP_QUERIES) as after:
        second = client.get("/cases/map.geojson").json()["features"]

    # then the thirty are there at no extra query (the flags read loaded columns)
    assert len(second) == len(first) + 30
    assert len(after) == len(before)
