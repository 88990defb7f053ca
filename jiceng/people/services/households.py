"""Households (户): register one at a dwelling, change it, name its head."""

from django.db import transaction

from jiceng.core import audit
from jiceng.core.models import AuditAction
from jiceng.core.scope import require_in_scope, require_place_in_scope

from ..models import Household, Relation
from .common import snapshot
from .residents import update_resident

HOUSEHOLD_FIELDS = ("number", "place", "head", "note")


def _seat_head(actor, household, head):
    """The head belongs to the household as its 户主 (an audited resident edit,
    so a head who leaves another household keeps that stay in the history)."""
    if head.household_id != household.pk or head.relation != Relation.HEAD:
        update_resident(
            actor=actor, resident=head, household=household, relation=Relation.HEAD
        )


@transaction.atomic
def create_household(*, actor, number, place, head=None, note="") -> Household:
    require_place_in_scope(place, actor, "people.change")
    household = Household.objects.create(
        number=number, place=place, head=head, note=note
    )
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        target=household,
        changes=audit.diff({}, snapshot(household, HOUSEHOLD_FIELDS)),
    )
    if head is not None:
        _seat_head(actor, household, head)
    require_in_scope(household, actor, "change")
    return household


@transaction.atomic
def update_household(*, actor, household, **fields) -> Household:
    household = Household.objects.select_for_update().get(pk=household.pk)
    require_in_scope(household, actor, "change")
    unknown = set(fields) - set(HOUSEHOLD_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    if "place" in fields:
        require_place_in_scope(fields["place"], actor, "people.change")
    before = snapshot(household, HOUSEHOLD_FIELDS)
    for name, value in fields.items():
        setattr(household, name, value)
    household.save()
    changes = audit.diff(before, snapshot(household, HOUSEHOLD_FIELDS))
    if changes:
        audit.record(
            actor=actor, action=AuditAction.UPDATE, target=household, changes=changes
        )
    if household.head is not None:
        _seat_head(actor, household, household.head)
    require_in_scope(household, actor, "change")
    return household
