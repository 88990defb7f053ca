"""The lists' filters: the page and the API narrow a list the same way (one
FilterSet), and a value that is not a choice answers 200, never 500."""

import pytest
from django.utils import timezone

from jiceng.volunteer import services
from jiceng.volunteer.models import WishStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_wishes(people, grid):
    def collect(title):
        return services.collect_wish(
            actor=people["wangge"],
            place=grid,
            title=title,
            category="study",
            alias="王阿姨",
            consent=True,
        )

    published, waiting = collect("想学智能手机"), collect("想要一台收音机")
    services.review_wish(actor=people["shuji"], wish=published, publish=True)
    return published, waiting


def _page_ids(response):
    assert response.status_code == 200
    return {w.pk for w in response.context["page"].paginator.object_list}


def _api_ids(response):
    assert response.status_code == 200
    return {w["id"] for w in response.json()["items"]}


def test_wishes_page_and_api_filter_by_status_alike(client_for, api_for, two_wishes):
    # given a published wish and one still waiting for review
    published, waiting = two_wishes

    # when the grid worker lists published wishes on the page and through the API
    page = client_for("wangge").get("/volunteer/wishes/", {"status": "published"})
    api = api_for("wangge").get(
        "/api/v1/volunteer/wishes/", {"status": "published", "limit": 500}
    )

    # then both show the same wishes, the published one and not the other
    assert _page_ids(page) == _api_ids(api)
    assert published.pk in _api_ids(api) and waiting.pk not in _api_ids(api)
    assert {w["status"] for w in api.json()["items"]} == {WishStatus.PUBLISHED}


@pytest.mark.parametrize(
    "page_url, api_url",
    [
        ("/volunteer/wishes/", "/api/v1/volunteer/wishes/"),
        ("/volunteer/hours/", "/api/v1/volunteer/hours/"),
        ("/volunteer/registrations/", "/api/v1/volunteer/registrations/"),
    ],
)
def test_an_unknown_status_narrows_nothing(
    client_for, api_for, two_wishes, page_url, api_url
):
    # given a status no list knows
    params = {"status": "nonsense", "limit": 500}

    # when the secretary asks for it on the page and through the API
    page = client_for("shuji").get(page_url, params)
    api = api_for("shuji").get(api_url, params)

    # then both answer 200 with the same unfiltered list
    assert _page_ids(page) == _api_ids(api) != set()


def test_hours_page_opens_on_pending_and_all_lists_every_status(client_for):
    # given the secretary's hours page
    client = client_for("shuji")

    # when it is opened without a status, and with "all"
    default = client.get("/volunteer/hours/")
    everything = client.get("/volunteer/hours/", {"status": "all"})

    # then the first shows only pending hours, the second every status
    assert default.status_code == everything.status_code == 200
    assert {h.status for h in default.context["page"].paginator.object_list} <= {
        "pending"
    }
    assert default.context["status"] == "pending"
    assert (
        everything.context["page"].paginator.count
        >= default.context["page"].paginator.count
    )


def test_volunteer_search_and_practical_year_survive_bad_input(client_for, client):
    # when the search is blank and the year is not a number
    volunteers = client_for("shuji").get("/volunteer/volunteers/", {"q": "  "})
    practical = client.get("/volunteer/practical/", {"year": "abc"})

    # then both pages answer, the practical one falling back to this year
    assert volunteers.status_code == 200 and practical.status_code == 200
    assert practical.context["year"] == timezone.localdate().year
