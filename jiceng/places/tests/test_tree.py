"""A community secretary maintains the territory tree: add, edit, move, recode."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from jiceng.core.models import AuditAction, AuditEntry
from jiceng.places import services
from jiceng.places.models import Place, PlaceKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def community(people):
    return Place.objects.get(assignments__user=people["shuji"])


def test_adding_a_grid_gives_it_a_cjt213_code_and_an_audit_row(people, community):
    # given the secretary's community
    before = AuditEntry.objects.filter(action=AuditAction.CREATE).count()
    # when she adds a grid with the next code
    grid = services.create_place(
        actor=people["shuji"],
        parent=community,
        kind="grid",
        name="第九网格",
        code=community.code + "009",
    )
    # then it sits under the community with a 15-digit code, and the write is audited
    assert Place.objects.get_parent(grid) == community and len(grid.code) == 15
    assert AuditEntry.objects.filter(action=AuditAction.CREATE).count() == before + 1


@pytest.mark.parametrize(
    "code,reason",
    [
        ("123", "编码应为15位数字"),
        ("510502999999001", "以上级编码"),
        ("51050200100100A", "编码应为"),
    ],
)
def test_bad_codes_are_rejected_in_chinese(people, community, code, reason):
    with pytest.raises(ValidationError) as info:
        services.create_place(
            actor=people["shuji"],
            parent=community,
            kind="grid",
            name="错误网格",
            code=code,
        )
    assert reason in info.value.messages[0]


def test_a_duplicate_code_is_rejected(people, community):
    taken = Place.objects.get_children(community).first().code
    with pytest.raises(ValidationError) as info:
        services.create_place(
            actor=people["shuji"],
            parent=community,
            kind="grid",
            name="重复",
            code=taken,
        )
    assert info.value.code == "code_taken"


def test_a_building_cannot_hang_directly_under_a_community(people, community):
    with pytest.raises(ValidationError) as info:
        services.create_place(
            actor=people["shuji"],
            parent=community,
            kind="building",
            name="1号楼",
            code=community.code + "001",
        )
    assert "只能建在" in info.value.messages[0]


def test_moving_a_grid_to_another_community_recodes_its_subtree(people):
    street = Place.objects.filter(kind=PlaceKind.STREET).order_by("code").first()
    first, second = Place.objects.get_children(street).order_by("code")[:2]
    grid = Place.objects.get_children(first).order_by("code").last()
    dwellings_before = (
        Place.objects.subtree_of(grid).filter(kind=PlaceKind.DWELLING).count()
    )
    moved = services.move_place(
        actor=people["jiedao"],
        place=grid,
        new_parent=second,
        new_code=second.code + "077",
    )
    assert Place.objects.get_parent(moved) == second
    assert moved.code == second.code + "077"
    descendants = Place.objects.subtree_of(moved).exclude(pk=moved.pk)
    assert descendants.count() > 0
    assert all(d.code.startswith(moved.code) for d in descendants)
    assert descendants.filter(kind=PlaceKind.DWELLING).count() == dwellings_before
    assert Place.objects.find_problems() == ([], [], [], [], [])
    assert AuditEntry.objects.filter(
        action=AuditAction.MOVE, target_id=str(grid.pk)
    ).exists()


def test_moving_under_its_own_descendant_is_refused_and_nothing_changes(people):
    street = Place.objects.filter(kind=PlaceKind.STREET).order_by("code").first()
    community = Place.objects.get_children(street).first()
    grid = Place.objects.get_children(community).first()
    with pytest.raises(ValidationError) as info:
        services.move_place(actor=people["jiedao"], place=community, new_parent=grid)
    assert "自己或它的下级" in info.value.messages[0]
    community.refresh_from_db()
    assert Place.objects.get_parent(community) == street


def test_moving_out_of_ones_scope_is_refused(people):
    grid = Place.objects.get(assignments__user=people["wangge2"])
    own_community = Place.objects.get(assignments__user=people["shuji"])
    with pytest.raises(PermissionDenied):
        services.move_place(actor=people["shuji"], place=grid, new_parent=own_community)


def test_renaming_is_audited_with_before_and_after(people, community):
    services.update_place(actor=people["shuji"], place=community, name="幸福新社区")
    entry = AuditEntry.objects.filter(
        action=AuditAction.UPDATE, target_id=str(community.pk)
    ).latest("at")
    assert entry.changes["name"][1] == "幸福新社区"


def test_subtree_and_ancestor_queries_use_the_path(
    community, django_assert_num_queries
):
    dwelling = Place.objects.subtree_of(community).filter(kind=PlaceKind.DWELLING)[0]
    with django_assert_num_queries(1):
        assert dwelling.ancestor_of_kind(PlaceKind.COMMUNITY) == community
    with django_assert_num_queries(1):
        assert (
            Place.objects.subtree_of(community).filter(kind=PlaceKind.DWELLING).exists()
        )
