"""A property company sees the cases reported in its compound; a department that
returns a case (退单) lands on a page it can open."""

import pytest
from django.contrib.messages import get_messages

from jiceng.cases import services
from jiceng.cases.models import Case, Category
from jiceng.cases.tests.helpers import step
from jiceng.core.models import AuditEntry
from jiceng.places.models import Place

pytestmark = pytest.mark.django_db


@pytest.fixture
def compound(people):
    """The compound of the demo property company wuye."""
    return Place.objects.filter(assignments__user=people["wuye"]).get()


@pytest.fixture
def neighbour(compound):
    """Another compound of the same grid, without wuye."""
    return (
        Place.objects.filter(kind="compound", path__startswith=compound.path[:16])
        .exclude(pk=compound.pk)
        .order_by("path")
        .first()
    )


def _report(people, grid, **where):
    return services.report_case(
        actor=people["wangge"],
        category=Category.objects.get(code="SJ0603"),
        description="电梯经常停运，物业迟迟不修",
        place=grid,
        **where,
    )


def test_a_case_reported_at_a_point_in_a_compound_belongs_to_it(
    client_for, people, compound, neighbour
):
    grid = Place.objects.get_parent(compound)
    # given a report on the grid whose point lies inside wuye's compound
    case = _report(people, grid, lat=compound.lat, lng=compound.lng)

    # then it belongs to the compound, and its property company sees it
    assert case.compound == compound and case.place == grid
    wuye = client_for("wuye")
    assert wuye.get(case.get_absolute_url()).status_code == 200
    assert case.number in wuye.get("/cases/").content.decode()
    assert Case.objects.visible_to(people["wuye"]).filter(pk=case.pk).exists()
    # but only to view: handling stays with whoever it is dispatched to
    assert not case.is_handled_by(people["wuye"])
    assert services.available_steps(people["wuye"], case) == []

    # a case in the neighbouring compound stays out of wuye's sight (404)
    other = _report(people, grid, lat=neighbour.lat, lng=neighbour.lng)
    assert other.compound == neighbour
    assert wuye.get(other.get_absolute_url()).status_code == 404


def test_a_typed_address_names_the_compound(people, compound):
    grid = Place.objects.get_parent(compound)
    case = _report(people, grid, address=f"{compound.name}3号楼下")
    assert case.compound == compound
    by_street_number = _report(people, grid, address=compound.address)
    assert by_street_number.compound == compound
    nowhere = _report(people, grid, address="不知道在哪里")
    assert nowhere.compound is None


def test_a_report_on_a_building_belongs_to_its_compound(people, compound):
    building = Place.objects.get_children(compound).first()
    case = _report(people, building)
    assert case.compound == compound


def test_the_demo_property_company_has_cases_in_its_compound(client_for, people):
    # the demo's cases are reported from points in the grids' compounds
    mine = Case.objects.visible_to(people["wuye"])
    assert mine.exists()
    compound = Place.objects.filter(assignments__user=people["wuye"]).get()
    assert set(mine.values_list("compound", flat=True)) <= {compound.pk, None}
    page = client_for("wuye").get("/cases/").content.decode()
    assert mine.first().number in page


def test_a_department_that_returns_a_case_lands_on_its_list(
    client_for, people, compound
):
    # given a case dispatched to the city management bureau
    case = _report(people, Place.objects.get_parent(compound))
    step(people["jiedao"], case, "accept")
    step(
        people["jiedao"],
        case,
        "dispatch",
        department=people["bumen"].assignments.get().department,
    )
    case.refresh_from_db()

    # when the bureau returns it (退单)
    bumen = client_for("bumen")
    response = bumen.post(
        f"/cases/{case.pk}/act/",
        {"step": "reject", "version": case.version, "note": "不属于本部门职责"},
    )

    # then it is sent to its case list, which opens, with a message saying why
    assert response.status_code == 302 and response.url == "/cases/"
    assert bumen.get(response.url).status_code == 200
    said = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("已退回派遣人" in m for m in said)
    assert bumen.get(case.get_absolute_url()).status_code == 404
    entry = AuditEntry.objects.filter(target_id=str(case.pk)).latest("pk")
    assert entry.changes["step"] == "reject" and entry.actor == people["bumen"]
