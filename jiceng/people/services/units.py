"""Units (单位): agencies, enterprises, social organisations in the district."""

from django.db import transaction

from jiceng.core import audit
from jiceng.core.models import AuditAction
from jiceng.core.scope import require_in_scope, require_place_in_scope
from jiceng.core.validators import validate_credit_code, validate_mobile

from ..errors import PeopleError
from ..models import Unit
from .common import audit_diff, refuse_taken, snapshot

UNIT_FIELDS = (
    "name",
    "kind",
    "credit_code",
    "place",
    "address",
    "party_org_name",
    "contact_name",
    "contact_phone",
    "staff_count",
    "incubation",
    "note",
)


def _clean_unit_fields(fields: dict, *, exclude_pk=None) -> dict:
    fields = dict(fields)
    if fields.get("credit_code"):
        fields["credit_code"] = validate_credit_code(fields["credit_code"])
        refuse_taken(
            Unit.objects.filter(credit_code=fields["credit_code"]),
            exclude_pk=exclude_pk,
            field="credit_code",
            message="该统一社会信用代码已登记",
            code=PeopleError.CREDIT_CODE_TAKEN,
        )
    else:
        fields["credit_code"] = None
    if fields.get("contact_phone"):
        fields["contact_phone"] = validate_mobile(fields["contact_phone"])
    return fields


@transaction.atomic
def create_unit(*, actor, place, **fields) -> Unit:
    require_place_in_scope(place, actor, "people.change")
    unit = Unit.objects.create(place=place, **_clean_unit_fields(fields))
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        target=unit,
        changes=audit_diff(Unit, {}, snapshot(unit, UNIT_FIELDS)),
    )
    require_in_scope(unit, actor, "change")
    return unit


@transaction.atomic
def update_unit(*, actor, unit, **fields) -> Unit:
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    require_in_scope(unit, actor, "change")
    if "contact_phone" in fields and not fields["contact_phone"]:
        fields.pop("contact_phone")
    fields = _clean_unit_fields(fields, exclude_pk=unit.pk)
    if "place" in fields:
        require_place_in_scope(fields["place"], actor, "people.change")
    before = snapshot(unit, UNIT_FIELDS)
    for name, value in fields.items():
        setattr(unit, name, value)
    unit.save()
    changes = audit_diff(Unit, before, snapshot(unit, UNIT_FIELDS))
    if changes:
        audit.record(
            actor=actor, action=AuditAction.UPDATE, target=unit, changes=changes
        )
    require_in_scope(unit, actor, "change")
    return unit
