"""Where a case may go: a department, or a place inside the case's own grid.

Keeping the place inside the grid keeps "who handles it" (Case.handled_by) inside
"who sees it" (Case.scope): a grid's workers and the community above see the case
through its place, a compound's property company through the handler clause.
"""

from django.core.exceptions import ValidationError
from django.db.models import Q

from jiceng.core.models import Assignment
from jiceng.core.roles import Role
from jiceng.core.scope import path_prefix
from jiceng.places.models import Place, PlaceKind

from .. import workdays
from ..errors import CaseError


def grid_of(place):
    return (
        place.ancestor_of_kind(PlaceKind.GRID)
        if place.kind != PlaceKind.GRID
        else place
    )


def handling_places(case):
    """The case's grid and the compounds in it that have a property company."""
    grid = grid_of(case.place)
    if grid is None:  # a case placed above the grid level goes to a department
        return Place.objects.none()
    with_property = Assignment.objects.filter(role=Role.PROPERTY, active=True).values(
        "place_id"
    )
    return Place.objects.filter(
        path_prefix(grid.path),
        Q(kind=PlaceKind.GRID) | Q(kind=PlaceKind.COMPOUND, pk__in=with_property),
    ).order_by("path")


def check_assignee(case, *, department, grid):
    """Refuse a dispatch to nobody, or to a place outside handling_places(case)."""
    if department is None and grid is None:
        raise ValidationError("请选择承办部门或网格", code=CaseError.NO_ASSIGNEE)
    if grid is not None and not handling_places(case).filter(pk=grid.pk).exists():
        raise ValidationError(
            "只能派往案件所在网格或其中有物业公司的小区", code=CaseError.PLACE
        )


def assign(case, *, department=None, grid=None, now):
    """Hand the case to a department and/or a place, with a fresh handling limit."""
    case.department, case.grid = department, grid
    case.dispatched_at = now
    case.handle_due = workdays.add_working_days(now, case.category.handle_days)
    case.extended = False
    case.on_hold, case.held_at = False, None  # a new handler starts a fresh clock
    case.escalate_after = None  # the level stays; the new limit is watched afresh
