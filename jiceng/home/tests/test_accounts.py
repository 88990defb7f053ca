"""A street secretary opens an account for a new grid worker, and only in her street;
every change she makes to an account leaves its audit row, never a password."""

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.test import Client

from jiceng.core.models import AuditAction, AuditEntry
from jiceng.core.roles import Role
from jiceng.core.scope import path_prefix
from jiceng.places.models import Place, PlaceKind

pytestmark = pytest.mark.django_db
PASSWORD = "Wangge2026new"


def a_grid_of(people, username):
    return Place.objects.filter(assignments__user=people[username]).order_by("code")[0]


def new_worker(client, grid, username="liwangge", password=PASSWORD):
    return client.post(
        "/users/new/",
        {
            "username": username,
            "display_name": "李网格",
            "password": password,
            "role": Role.GRID_WORKER,
            "place": grid.pk,
        },
    )


def no_password_in_the_log(password):
    changes = AuditEntry.objects.values_list("changes", flat=True)
    return password not in str(list(changes))


def test_a_street_opens_an_account_that_can_log_in(client_for, people, audit_of):
    # given a grid of the street
    grid = a_grid_of(people, "wangge")
    # when the street administrator opens an account for a new grid worker there
    response = new_worker(client_for("jiedao"), grid)
    # then the account holds that one role, its creation and grant are audited
    assert response.status_code == 302
    user = get_user_model().objects.get(username="liwangge")
    assignment = user.assignments.get()
    assert assignment.place == grid
    assert audit_of(people["jiedao"], user, AuditAction.CREATE) == [
        {"username": "liwangge", "role": Role.GRID_WORKER}
    ]
    assert audit_of(people["jiedao"], user) == [{"grant": str(assignment)}]
    assert no_password_in_the_log(PASSWORD)
    # and the new worker can log in
    assert (
        Client()
        .post("/login/", {"username": "liwangge", "password": PASSWORD})
        .status_code
        == 302
    )


def test_a_weak_password_or_another_street_is_refused(client_for, people):
    weak = new_worker(client_for("jiedao"), a_grid_of(people, "wangge"), password="123")
    assert weak.status_code == 400 and "liwangge" in weak.content.decode()  # kept
    other = new_worker(client_for("jiedao"), a_grid_of(people, "wangge2"))
    assert other.status_code == 400
    assert not get_user_model().objects.filter(username="liwangge").exists()
    assert not AuditEntry.objects.filter(target_repr__contains="liwangge").exists()


def test_the_district_admin_account_is_out_of_a_streets_reach(client_for, people):
    client = client_for("jiedao")
    listing = client.get("/users/")
    assert listing.status_code == 200
    listed = listing.content.decode()
    assert "wangge" in listed and "quadmin" not in listed
    assert client.get(f"/users/{people['quadmin'].pk}/").status_code == 404
    assert client.post(f"/users/{people['quadmin'].pk}/disable/").status_code == 404
    assert client.post(f"/users/{people['wangge2'].pk}/disable/").status_code == 404
    assert people["wangge2"].is_active
    assert client_for("wangge").get("/users/").status_code == 403


def test_a_search_refreshes_only_the_table(client_for):
    response = client_for("jiedao").get(
        "/users/", {"q": "wangge"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="results"
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "wangge" in html and "shuji" not in html and "<html" not in html


def test_a_street_grants_a_second_role_inside_its_street(client_for, people, audit_of):
    # given a grid worker of the street and a building in one of their grids
    worker = people["wangge"]
    grid = a_grid_of(people, "wangge")
    building = Place.objects.filter(
        path_prefix(grid.path), kind=PlaceKind.BUILDING
    ).first()
    # when the street administrator makes them the building's lead as well
    response = client_for("jiedao").post(
        f"/users/{worker.pk}/",
        {"action": "grant", "role": Role.BUILDING_LEAD, "place": building.pk},
    )
    # then the role is held and the grant audited
    assert response.status_code == 302
    granted = worker.assignments.get(role=Role.BUILDING_LEAD, place=building)
    assert audit_of(people["jiedao"], worker) == [{"grant": str(granted)}]


def test_a_street_resets_a_password_without_logging_it(client_for, people, audit_of):
    worker = people["wangge"]
    response = client_for("jiedao").post(
        f"/users/{worker.pk}/", {"action": "password", "password": PASSWORD}
    )
    assert response.status_code == 302
    worker.refresh_from_db()
    assert worker.check_password(PASSWORD)
    assert audit_of(people["jiedao"], worker) == [{"password": "已重置"}]
    assert no_password_in_the_log(PASSWORD)


def test_unlock_disable_enable_and_end_a_role(client_for, people, audit_of):
    # given a grid worker locked out after repeated wrong passwords
    worker = people["wangge"]
    AccessAttempt.objects.create(
        username=worker.username,
        ip_address="10.0.0.1",
        failures_since_start=5,
        user_agent="",
        get_data="",
        post_data="",
        http_accept="",
        path_info="/login/",
    )
    client = client_for("jiedao")
    page = client.get(f"/users/{worker.pk}/")
    assert page.status_code == 200 and 'data-testid="locked"' in page.content.decode()
    assignment = worker.assignments.first()
    # when the street administrator unlocks, disables, enables and ends a role
    for action, data in [
        ("unlock", {}),
        ("disable", {}),
        ("enable", {}),
        ("end-role", {"assignment": assignment.pk}),
    ]:
        response = client.post(f"/users/{worker.pk}/{action}/", data)
        assert response.status_code == 302, action
    # then each change took effect and left its audit row, in order
    assert not AccessAttempt.objects.filter(username=worker.username).exists()
    worker.refresh_from_db()
    assignment.refresh_from_db()
    assert worker.is_active and not assignment.active
    assert audit_of(people["jiedao"], worker) == [
        {"unlock": True},
        {"is_active": False},
        {"is_active": True},
        {"revoke": str(assignment)},
    ]
