"""The place picker: forms choose a place by searching or walking the tree, and the
search answers only with places where the user holds the form's permission."""

import pytest

from jiceng.places.models import Place, PlaceKind

pytestmark = pytest.mark.django_db


def names_in(response):
    return response.content.decode()


def test_a_search_finds_places_in_scope_and_never_beyond(client_for, people):
    # given a dwelling of the community secretary's and one of another street
    mine = (
        Place.objects.visible_to(people["shuji"])
        .filter(kind=PlaceKind.COMPOUND)
        .first()
    )
    foreign = (
        Place.objects.visible_to(people["jiedao2"])
        .filter(kind=PlaceKind.COMPOUND)
        .exclude(pk__in=Place.objects.visible_to(people["shuji"]).values("pk"))
        .first()
    )
    url = "/places/pick/?perm=people.change&kinds=compound,building,dwelling&q="
    # when she searches by either name
    own = client_for("shuji").get(url + mine.name)
    other = client_for("shuji").get(url + foreign.name)
    # then hers is offered with its trail, the other never is
    assert own.status_code == 200
    assert f'data-pick="{mine.code}"' in names_in(own)
    assert foreign.code not in names_in(other)


def test_walking_the_tree_starts_at_ones_own_area(client_for, people):
    community = Place.objects.get(assignments__user=people["shuji"])
    url = "/places/pick/?perm=people.change&kinds=dwelling"
    top = client_for("shuji").get(url)
    assert community.name in names_in(top)
    assert f"parent={community.pk}" in names_in(top)  # a 下级 button
    grids = client_for("shuji").get(url + f"&parent={community.pk}")
    for grid in Place.objects.get_children(community):
        assert grid.name in names_in(grids)
    # a community is not a dwelling: it is walked through, not picked
    assert f'data-pick="{community.code}"' not in names_in(top)


def test_a_permission_one_lacks_is_refused(client_for):
    assert client_for("wangge").get("/places/pick/?perm=party.change").status_code == (
        403
    )
    assert client_for("shuji").get("/places/pick/?perm=core.users").status_code == 403


def test_a_unit_picks_compounds_within_the_community_it_names(client_for, people):
    community = Place.objects.filter(kind=PlaceKind.COMMUNITY).first()
    compound = Place.objects.subtree_of(community).filter(kind="compound").first()
    elsewhere = Place.objects.filter(kind="compound").exclude(
        path__startswith=community.path
    )[0]
    url = (
        "/places/pick/?perm=volunteer.join&kinds=compound&key=pk"
        f"&community={community.pk}"
    )
    found = client_for("danwei").get(url + "&q=" + compound.name[:2])
    assert f'data-pick="{compound.pk}"' in names_in(found)
    assert f'data-pick="{elsewhere.pk}"' not in names_in(
        client_for("danwei").get(url + "&q=" + elsewhere.name)
    )
    # without a community, nothing is offered
    assert "data-pick=" not in names_in(
        client_for("danwei").get("/places/pick/?perm=volunteer.join&q=" + compound.name)
    )


def test_the_resident_form_uses_the_picker_not_a_typed_code(client_for):
    page = names_in(client_for("shuji").get("/people/residents/new/"))
    assert "data-place-picker" in page
    assert 'type="hidden" name="place_code"' in page
    move = names_in(client_for("shuji").get(_grid_move_url()))
    assert "data-place-picker" in move


def _grid_move_url():
    grid = Place.objects.filter(kind=PlaceKind.GRID).first()
    return f"/places/{grid.pk}/move/"
