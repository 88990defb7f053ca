"""Cases, households, residents and party organisations keep a copy of their
place's path (PlacePathMixin), so a street's rows are one index range. The copy
follows the row's place, a moved subtree and the raw household import; the scope
reads it."""

import pytest
from django.db.models import F

from jiceng.cases.models import Case
from jiceng.party.models import PartyOrg
from jiceng.people import services as people_services
from jiceng.people.importers import household_ids
from jiceng.people.models import Household, Resident
from jiceng.places import services
from jiceng.places.models import Place, PlaceKind

pytestmark = pytest.mark.django_db


def _stale(model):
    return model.objects.exclude(place_path=F("place__path"))


@pytest.mark.parametrize("model", [Case, Household, Resident, PartyOrg])
def test_every_seeded_row_carries_its_places_path(people, model):
    assert model.objects.exists()
    assert not _stale(model).exists()


def test_a_household_moved_to_another_dwelling_carries_the_new_path(people):
    worker = people["shuji"]
    household = Household.objects.visible_to(worker, "change").first()
    community = Place.objects.get(assignments__user=worker)
    elsewhere = (
        Place.objects.subtree_of(community)
        .filter(kind=PlaceKind.DWELLING)
        .exclude(pk=household.place_id)
        .first()
    )
    moved = people_services.update_household(
        actor=worker, household=household, place=elsewhere
    )
    moved.refresh_from_db()
    assert moved.place_path == elsewhere.path


def test_a_case_saved_with_a_new_place_only_carries_the_new_path():
    case = Case.objects.first()
    other = Place.objects.filter(kind=PlaceKind.GRID).exclude(pk=case.place_id).first()
    case = Case.objects.get(pk=case.pk)  # its place not loaded
    case.place_id = other.pk
    case.save(update_fields=["place"])
    case.refresh_from_db()
    assert case.place_path == other.path


def test_moving_a_grid_moves_its_cases_households_and_residents_with_it(people):
    # given the grid worker's grid, with its cases, households and residents
    worker = people["wangge"]
    grid = Place.objects.filter(assignments__user=worker, kind=PlaceKind.GRID)[0]
    models = (Case, Household, Resident)
    before = [model.objects.visible_to(worker).count() for model in models]
    assert all(before)
    street = Place.objects.get_parent(Place.objects.get_parent(grid))
    other = (
        Place.objects.get_children(street)
        .exclude(pk=Place.objects.get_parent(grid).pk)
        .first()
    )
    # when the street moves it to another community
    services.move_place(
        actor=people["jiedao"],
        place=grid,
        new_parent=other,
        new_code=other.code + "088",
    )
    # then every copy follows, and the worker still sees the same rows
    assert not any(_stale(model).exists() for model in (*models, PartyOrg))
    worker = type(worker).objects.get(pk=worker.pk)  # grants read afresh
    assert [model.objects.visible_to(worker).count() for model in models] == before


def test_households_an_import_creates_carry_their_dwellings_path():
    dwelling = Place.objects.filter(kind=PlaceKind.DWELLING).last()
    ids = household_ids({"IMPORT-0001": dwelling.pk})
    assert Household.objects.get(pk=ids["IMPORT-0001"]).place_path == dwelling.path
