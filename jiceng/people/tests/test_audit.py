"""Every registry write leaves one audit row: who did what to which record.

Residents' creation, reveals and imports are checked with their own stories
(test_residents, core's test_scope, test_import); here are the other writes.
"""

import pytest

from jiceng.core.audit import entries_for
from jiceng.core.models import AuditAction
from jiceng.core.validators import compose_id_number
from jiceng.people import services
from jiceng.people.models import (
    GigWorker,
    Household,
    KeyPopulation,
    Relation,
    Resident,
    Unit,
    UnitKind,
)
from jiceng.places.models import Place, PlaceKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def grid(people):
    return Place.objects.filter(assignments__user=people["wangge"]).order_by("code")[0]


@pytest.fixture
def resident(people, grid):
    return Resident.objects.visible_to(people["wangge"]).filter(
        place__in=Place.objects.subtree_of(grid)
    )[0]


def test_editing_a_resident_is_audited_with_what_changed(people, resident):
    # when the grid worker corrects a resident's note
    services.update_resident(actor=people["wangge"], resident=resident, note="新备注")
    # then one update row names the field, old and new
    (entry,) = entries_for(resident).filter(action=AuditAction.UPDATE)
    assert entry.actor == people["wangge"]
    assert entry.changes["note"][1] == "新备注"


def test_a_household_and_its_head_are_audited(people, grid, resident):
    # given a dwelling in the grid worker's grid
    dwelling = Place.objects.subtree_of(grid).filter(kind=PlaceKind.DWELLING)[0]
    # when she registers a household there, headed by a resident
    household = services.create_household(
        actor=people["wangge"], number="AUD-0001", place=dwelling, head=resident
    )
    # then the household's creation is audited, and so is the head joining it
    assert entries_for(household).filter(action=AuditAction.CREATE).count() == 1
    head_change = entries_for(resident).filter(action=AuditAction.UPDATE).get()
    assert head_change.changes["household"][1] == "AUD-0001"
    resident.refresh_from_db()
    assert resident.household == household and resident.relation == Relation.HEAD
    # when its note is changed
    services.update_household(actor=people["wangge"], household=household, note="改")
    # then that is one update row
    (entry,) = entries_for(household).filter(action=AuditAction.UPDATE)
    assert entry.changes == {"note": ["", "改"]}


def test_a_household_ledger_row_is_audited_like_a_form(
    people, grid, resident, run_import
):
    # given a household ledger of one row for a dwelling in wangge's grid
    dwelling = Place.objects.subtree_of(grid).filter(kind=PlaceKind.DWELLING)[0]
    csv = f"户号,住址编码,户主身份证号\nAUD-0002,{dwelling.code},{resident.id_number}\n"
    # when it is imported
    job = run_import(people["wangge"], "households", csv.encode(), "户.csv")
    # then the household, its head and the import itself are each audited
    household = Household.objects.get(number="AUD-0002")
    assert job.created == 1
    assert entries_for(household).filter(action=AuditAction.CREATE).count() == 1
    assert entries_for(resident).filter(action=AuditAction.UPDATE).count() == 1
    assert entries_for(job).filter(action=AuditAction.IMPORT).count() == 1


def test_a_unit_is_audited_when_registered_and_changed(people, grid):
    # when the community secretary registers a unit and then changes its staff
    unit = services.create_unit(
        actor=people["shuji"], place=grid, name="审计测试公司", kind=UnitKind.PRIVATE
    )
    services.update_unit(actor=people["shuji"], unit=unit, staff_count=12)
    # then both writes are audited, the change with its values
    assert entries_for(unit).filter(action=AuditAction.CREATE).count() == 1
    (entry,) = entries_for(unit).filter(action=AuditAction.UPDATE)
    assert entry.changes["staff_count"] == [None, 12]
    assert Unit.objects.filter(pk=unit.pk).exists()


def test_a_worker_is_audited_without_showing_the_id_number(people, grid):
    # given a new rider's ID number
    community = grid.ancestor_of_kind(PlaceKind.COMMUNITY)
    id_number = compose_id_number("19950505", 71)
    # when the community registers the rider and then changes the platform
    worker = services.create_worker(
        actor=people["shuji"],
        community=community,
        name="审计骑手",
        id_number=id_number,
        occupation="rider",
    )
    services.update_worker(actor=people["shuji"], worker=worker, platform="美团")
    # then both are audited, and the ID number shows only that it was set
    created = entries_for(worker).filter(action=AuditAction.CREATE).get()
    assert id_number not in str(created.changes)
    assert created.changes["id_number"] == ["***", "***"]
    (entry,) = entries_for(worker).filter(action=AuditAction.UPDATE)
    assert entry.changes["platform"] == ["", "美团"]
    assert GigWorker.objects.filter(pk=worker.pk).exists()


def test_tagging_reviewing_and_configuring_are_audited(people, resident):
    # when the grid worker tags a resident as living alone and reviews it
    elderly = KeyPopulation.objects.get(code="elderly_alone")
    tag = services.tag_resident(
        actor=people["wangge"], resident=resident, category=elderly, reason="入户核实"
    )
    services.review_tag(actor=people["wangge"], tag=tag, kept=False, note="已迁居")
    # then the tag's creation and its review are audited
    assert (
        entries_for(tag).filter(action=AuditAction.CREATE).get().changes["category"]
        == "独居老人"
    )
    assert (
        entries_for(tag).filter(action=AuditAction.UPDATE).get().changes["review"]
        == "解除"
    )
    # when the district administrator changes the category's review interval
    services.save_category(actor=people["quadmin"], category=elderly, review_days=45)
    # then that is audited too, with before and after
    (entry,) = entries_for(elderly).filter(action=AuditAction.UPDATE)
    assert entry.changes["review_days"] == [30, 45]
