"""Residents: register, edit, and keep each ended stay as residence history."""

from django.db import transaction
from django.utils import timezone

from jiceng.core import audit
from jiceng.core.fields import BlindIndexField
from jiceng.core.models import AuditAction
from jiceng.core.scope import require_in_scope, require_place_in_scope
from jiceng.core.validators import validate_id_number, validate_mobile

from ..errors import PeopleError
from ..models import Occupancy, Resident
from .common import audit_diff, refuse_taken, snapshot

RESIDENT_FIELDS = (
    "name",
    "ethnicity",
    "id_number",
    "phone",
    "place",
    "household",
    "relation",
    "residence_type",
    "work_unit",
    "employer_name",
    "note",
)
RESIDENT_PLACE_KINDS = {"dwelling", "entrance", "building", "compound", "grid"}


def _clean_resident_fields(fields: dict, *, exclude_pk=None) -> dict:
    fields = dict(fields)
    if fields.get("id_number"):
        facts = validate_id_number(fields["id_number"])
        fields["id_number"] = facts.number
        fields["birth_date"], fields["sex"] = facts.birth_date, facts.sex
        digest = BlindIndexField(source="id_number").digest(facts.number)
        refuse_taken(
            Resident.objects.filter(id_number_index=digest),
            exclude_pk=exclude_pk,
            field="id_number",
            message="该身份证号已在系统中登记",
            code=PeopleError.ID_NUMBER_TAKEN,
        )
    if fields.get("phone"):
        fields["phone"] = validate_mobile(fields["phone"])
    if fields.get("name") is not None:
        fields["name"] = fields["name"].strip()
    return fields


@transaction.atomic
def create_resident(*, actor, place, name, id_number="", phone="", **extra) -> Resident:
    require_place_in_scope(place, actor, "people.change")
    fields = _clean_resident_fields(
        {"name": name, "id_number": id_number, "phone": phone, **extra}
    )
    resident = Resident.objects.create(place=place, **fields)
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        target=resident,
        changes=audit_diff(Resident, {}, snapshot(resident, RESIDENT_FIELDS)),
    )
    require_in_scope(resident, actor, "change")
    return resident


def ends_stay(*, place_id, household_id, new_place_id, new_household_id) -> bool:
    """Does this change end a stay that the residence history should keep?

    A new dwelling does, and so does leaving one household for another (分户,
    joining relatives); a first household number for someone who had none only
    completes the record.
    """
    if new_place_id != place_id:
        return True
    return household_id is not None and new_household_id != household_id


@transaction.atomic
def update_resident(*, actor, resident, **fields) -> Resident:
    """Change a resident; a new dwelling or household keeps the stay it ends as an
    Occupancy (see ends_stay)."""
    resident = Resident.objects.select_for_update().get(pk=resident.pk)
    require_in_scope(resident, actor, "change")
    unknown = set(fields) - set(RESIDENT_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    # Blank protected fields in an edit form mean "keep the stored value".
    for protected in ("id_number", "phone"):
        if protected in fields and not fields[protected]:
            fields.pop(protected)
    fields = _clean_resident_fields(fields, exclude_pk=resident.pk)
    before = snapshot(resident, RESIDENT_FIELDS)
    new_place = fields.get("place")
    if new_place is not None and new_place.pk != resident.place_id:
        require_place_in_scope(new_place, actor, "people.change")
    new_household = fields.get("household", resident.household)
    if ends_stay(
        place_id=resident.place_id,
        household_id=resident.household_id,
        new_place_id=new_place.pk if new_place is not None else resident.place_id,
        new_household_id=new_household.pk if new_household is not None else None,
    ):
        today = timezone.localdate()
        Occupancy.objects.create(
            resident=resident,
            place_id=resident.place_id,
            household_id=resident.household_id,
            started_on=resident.moved_in_on,
            ended_on=today,
        )
        resident.moved_in_on = today
    for name, value in fields.items():
        setattr(resident, name, value)
    resident.save()
    changes = audit_diff(Resident, before, snapshot(resident, RESIDENT_FIELDS))
    if changes:
        audit.record(
            actor=actor, action=AuditAction.UPDATE, target=resident, changes=changes
        )
    require_in_scope(resident, actor, "change")
    return resident
