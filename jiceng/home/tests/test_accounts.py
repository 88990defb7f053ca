"""A street secretary opens an account for a new grid worker, and only in her street."""

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.test import Client

from jiceng.core.models import AuditEntry
from jiceng.core.roles import Role
from jiceng.places.models import Place

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


def test_a_street_opens_an_account_that_can_log_in(client_for, people):
    grid = a_grid_of(people, "wangge")
    response = new_worker(client_for("jiedao"), grid)
    assert response.status_code == 302
    user = get_user_model().objects.get(username="liwangge")
    assert user.assignments.get().place == grid
    assert AuditEntry.objects.filter(target_id=str(user.pk), action="create").exists()
    assert PASSWORD not in str(
        list(AuditEntry.objects.values_list("changes", flat=True))
    )
    browser = Client()
    assert (
        browser.post(
            "/login/", {"username": "liwangge", "password": PASSWORD}
        ).status_code
        == 302
    )


def test_a_weak_password_or_another_street_is_refused(client_for, people):
    weak = new_worker(client_for("jiedao"), a_grid_of(people, "wangge"), password="123")
    assert weak.status_code == 400 and "liwangge" in weak.content.decode()  # kept
    other = new_worker(client_for("jiedao"), a_grid_of(people, "wangge2"))
    assert other.status_code == 400
    assert not get_user_model().objects.filter(username="liwangge").exists()


def test_the_district_admin_account_is_out_of_a_streets_reach(client_for, people):
    client = client_for("jiedao")
    listed = client.get("/users/").content.decode()
    assert "wangge" in listed and "quadmin" not in listed
    assert client.get(f"/users/{people['quadmin'].pk}/").status_code == 404
    assert client.post(f"/users/{people['quadmin'].pk}/disable/").status_code == 404
    assert client.post(f"/users/{people['wangge2'].pk}/disable/").status_code == 404
    assert client_for("wangge").get("/users/").status_code == 403


def test_unlock_disable_and_end_a_role(client_for, people):
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
    assert 'data-testid="locked"' in client.get(f"/users/{worker.pk}/").content.decode()
    client.post(f"/users/{worker.pk}/unlock/")
    assert not AccessAttempt.objects.filter(username=worker.username).exists()
    client.post(f"/users/{worker.pk}/disable/")
    worker.refresh_from_db()
    assert not worker.is_active
    assignment = worker.assignments.first()
    client.post(f"/users/{worker.pk}/end-role/", {"assignment": assignment.pk})
    assignment.refresh_from_db()
    assert not assignment.active


def test_people_change_their_own_password(client_for, people):
    client = client_for("wangge")
    weak = client.post(
        "/account/password/",
        {
            "old_password": "Jiceng2026demo",
            "new_password1": "abc",
            "new_password2": "abc",
        },
    )
    assert weak.status_code == 400 and "至少需要10位" in weak.content.decode()
    done = client.post(
        "/account/password/",
        {
            "old_password": "Jiceng2026demo",
            "new_password1": "Grid2026worker",
            "new_password2": "Grid2026worker",
        },
    )
    assert done.status_code == 302
    people["wangge"].refresh_from_db()
    assert people["wangge"].check_password("Grid2026worker")
    assert client.get("/account/").status_code == 200  # still logged in
