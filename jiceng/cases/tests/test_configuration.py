"""The district sets time limits; a street sets routing rules inside its streets."""

import pytest

from jiceng.cases.models import Category, RoutingRule, Status
from jiceng.cases.tests.helpers import report
from jiceng.core.models import AuditEntry, Department
from jiceng.places.models import Place

pytestmark = pytest.mark.django_db


def test_the_district_changes_a_time_limit(client_for, streetlight):
    response = client_for("quadmin").post(
        f"/cases/config/categories/{streetlight.pk}/",
        {
            "name": "路灯",
            "respond_hours": 2,
            "handle_days": 1,
            "verify_days": 1,
            "active": "on",
        },
    )
    assert response.status_code == 302
    streetlight.refresh_from_db()
    assert streetlight.handle_days == 1
    entry = AuditEntry.objects.filter(target_id=str(streetlight.pk)).latest("at")
    assert entry.changes["handle_days"][1] == 1


def test_a_new_small_class_needs_its_big_class_code(client_for, streetlight):
    big = streetlight.parent
    bad = client_for("quadmin").post(
        "/cases/config/categories/new/",
        {
            "parent": big.pk,
            "code": "XX01",
            "name": "智能井盖",
            "respond_hours": 4,
            "handle_days": 3,
            "verify_days": 1,
            "active": "on",
        },
    )
    assert bad.status_code == 400 and "智能井盖" in bad.content.decode()  # input kept
    good = client_for("quadmin").post(
        "/cases/config/categories/new/",
        {
            "parent": big.pk,
            "code": f"{big.code}99",
            "name": "智能井盖",
            "respond_hours": 4,
            "handle_days": 3,
            "verify_days": 1,
            "active": "on",
        },
    )
    assert good.status_code == 302
    assert Category.objects.get(code=f"{big.code}99").type == big.type


def test_streets_may_not_edit_categories(client_for, streetlight):
    assert (
        client_for("jiedao")
        .get(f"/cases/config/categories/{streetlight.pk}/")
        .status_code
        == 403
    )
    assert client_for("wangge").get("/cases/config/").status_code == 403


def test_a_street_rule_routes_new_cases(client_for, people, grid, streetlight):
    street = Place.objects.get_ancestors(grid).get(kind="street")
    department = Department.objects.get(code="CGJ")
    response = client_for("jiedao").post(
        "/cases/config/",
        {
            "category": streetlight.parent.pk,
            "place": street.pk,
            "department": department.pk,
        },
    )
    assert response.status_code == 302
    case = report(people, grid, streetlight)
    assert case.status == Status.DISPATCHED and case.department == department


def test_a_street_cannot_set_rules_in_another_street(
    client_for, people, grid, streetlight
):
    street = Place.objects.get_ancestors(grid).get(kind="street")
    response = client_for("jiedao2").post(
        "/cases/config/",
        {"category": streetlight.pk, "place": street.pk, "to_grid": "on"},
    )
    assert response.status_code == 400
    assert not RoutingRule.objects.exists()
    rule = RoutingRule.objects.create(category=streetlight, place=street, to_grid=True)
    assert (
        client_for("jiedao2").post(f"/cases/config/rules/{rule.pk}/delete/").status_code
        == 404
    )
    assert RoutingRule.objects.filter(pk=rule.pk).exists()


def test_a_street_sees_the_district_rules_it_inherits(client_for, grid, streetlight):
    district = Place.objects.get_ancestors(grid).get(kind="district")
    RoutingRule.objects.create(category=streetlight, place=district, to_grid=True)
    page = client_for("jiedao").get("/cases/config/").content.decode()
    assert "上级规则" in page and district.name in page
