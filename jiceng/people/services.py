"""Domain operations on residents and units: validate, protect, audit, re-check scope."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from jiceng.core import audit
from jiceng.core.fields import BlindIndexField
from jiceng.core.models import AuditAction
from jiceng.core.scope import require_in_scope, require_place_in_scope
from jiceng.core.validators import (
    validate_credit_code,
    validate_id_number,
    validate_mobile,
)
from jiceng.places.models import Place

from .errors import PeopleError
from .models import GigWorker, Occupancy, Resident, Unit

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
PROTECTED_FIELDS = {
    Resident: {"id_number": "身份证号", "phone": "手机号码"},
    Unit: {"contact_phone": "联系电话"},
    GigWorker: {"id_number": "身份证号", "phone": "手机号码"},
}


def place_for(actor, code, *, permission="people.change", kinds=None) -> Place:
    """Resolve a place code where the actor holds permission; others look like missing ones."""
    place = Place.objects.visible_to(actor).filter(code=(code or "").strip()).first()
    try:
        if place is not None:
            require_place_in_scope(place, actor, permission)
    except PermissionDenied:
        place = None
    if place is None:
        raise ValidationError(
            "住址编码不存在或不在您的权限范围内", code=PeopleError.PLACE_NOT_FOUND
        )
    if kinds and place.kind not in kinds:
        raise ValidationError(
            "居民住址应为户、单元、楼栋、小区或网格", code=PeopleError.PLACE_KIND
        )
    return place


def _clean_resident_fields(fields: dict, *, exclude_pk=None) -> dict:
    fields = dict(fields)
    if fields.get("id_number"):
        facts = validate_id_number(fields["id_number"])
        fields["id_number"] = facts.number
        fields["birth_date"], fields["sex"] = facts.birth_date, facts.sex
        digest = BlindIndexField(source="id_number").digest(facts.number)
        taken = Resident.objects.filter(id_number_index=digest)
        if exclude_pk is not None:
            taken = taken.exclude(pk=exclude_pk)
        if taken.exists():
            raise ValidationError(
                {
                    "id_number": ValidationError(
                        "该身份证号已在系统中登记", code=PeopleError.ID_NUMBER_TAKEN
                    )
                }
            )
    if fields.get("phone"):
        fields["phone"] = validate_mobile(fields["phone"])
    if fields.get("name") is not None:
        fields["name"] = fields["name"].strip()
    return fields


def _snapshot(obj, names):
    return {n: getattr(obj, n) for n in names}


def _hidden_for(model):
    return tuple(PROTECTED_FIELDS.get(model, {}))


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
        changes=audit.diff(
            {}, _snapshot(resident, RESIDENT_FIELDS), hidden=_hidden_for(Resident)
        ),
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
    before = _snapshot(resident, RESIDENT_FIELDS)
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
    changes = audit.diff(
        before, _snapshot(resident, RESIDENT_FIELDS), hidden=_hidden_for(Resident)
    )
    if changes:
        audit.record(
            actor=actor, action=AuditAction.UPDATE, target=resident, changes=changes
        )
    require_in_scope(resident, actor, "change")
    return resident


def _clean_unit_fields(fields: dict, *, exclude_pk=None) -> dict:
    fields = dict(fields)
    if fields.get("credit_code"):
        fields["credit_code"] = validate_credit_code(fields["credit_code"])
        taken = Unit.objects.filter(credit_code=fields["credit_code"])
        if exclude_pk is not None:
            taken = taken.exclude(pk=exclude_pk)
        if taken.exists():
            raise ValidationError(
                {
                    "credit_code": ValidationError(
                        "该统一社会信用代码已登记", code=PeopleError.CREDIT_CODE_TAKEN
                    )
                }
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
        changes=audit.diff({}, _snapshot(unit, UNIT_FIELDS), hidden=_hidden_for(Unit)),
    )
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
    before = _snapshot(unit, UNIT_FIELDS)
    for name, value in fields.items():
        setattr(unit, name, value)
    unit.save()
    changes = audit.diff(before, _snapshot(unit, UNIT_FIELDS), hidden=_hidden_for(Unit))
    if changes:
        audit.record(
            actor=actor, action=AuditAction.UPDATE, target=unit, changes=changes
        )
    require_in_scope(unit, actor, "change")
    return unit


def reveal(*, actor, obj, field: str) -> str:
    """Return a protected value in full, for an actor allowed to reveal it; audited."""
    labels = PROTECTED_FIELDS.get(type(obj))
    if not labels or field not in labels:
        raise ValidationError(
            "该字段不是敏感字段", code=PeopleError.FIELD_NOT_PROTECTED
        )
    manager = type(obj)._default_manager
    if not manager.visible_to(actor, "reveal").filter(pk=obj.pk).exists():
        raise PermissionDenied("您没有查看完整敏感信息的权限")
    audit.record(
        actor=actor,
        action=AuditAction.REVEAL,
        target=obj,
        changes={"field": labels[field]},
    )
    return getattr(obj, field)


WORKER_FIELDS = (
    "name",
    "id_number",
    "phone",
    "occupation",
    "platform",
    "employer",
    "community",
    "service_area",
    "reported_on",
    "resident",
    "is_party_member",
    "note",
)


def _clean_worker_fields(fields: dict, *, exclude_pk=None) -> dict:
    fields = dict(fields)
    if fields.get("name") is not None:
        fields["name"] = fields["name"].strip()
    if fields.get("id_number"):
        fields["id_number"] = validate_id_number(fields["id_number"]).number
        digest = BlindIndexField(source="id_number").digest(fields["id_number"])
        taken = GigWorker.objects.filter(id_number_index=digest)
        if exclude_pk is not None:
            taken = taken.exclude(pk=exclude_pk)
        if taken.exists():
            raise ValidationError(
                {
                    "id_number": ValidationError(
                        "该身份证号已报到", code=PeopleError.ID_NUMBER_TAKEN
                    )
                }
            )
        # A worker who lives in the district is linked to their resident record.
        fields.setdefault(
            "resident", Resident.objects.filter(id_number_index=digest).first()
        )
    if fields.get("phone"):
        fields["phone"] = validate_mobile(fields["phone"])
    community = fields.get("community")
    if community is not None and community.kind != "community":
        raise ValidationError({"community": "报到地点应为社区"})
    return fields


@transaction.atomic
def create_worker(*, actor, community, **fields) -> GigWorker:
    """Record a new-employment worker's 报到 to a community."""
    require_place_in_scope(community, actor, "people.change")
    fields = _clean_worker_fields({"community": community, **fields})
    fields.setdefault("reported_on", timezone.localdate())
    worker = GigWorker.objects.create(**fields)
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        target=worker,
        changes=audit.diff(
            {}, _snapshot(worker, WORKER_FIELDS), hidden=_hidden_for(GigWorker)
        ),
    )
    return worker


@transaction.atomic
def update_worker(*, actor, worker, **fields) -> GigWorker:
    worker = GigWorker.objects.select_for_update().get(pk=worker.pk)
    require_in_scope(worker, actor, "change")
    for protected in ("id_number", "phone"):
        if protected in fields and not fields[protected]:
            fields.pop(protected)
    fields = _clean_worker_fields(fields, exclude_pk=worker.pk)
    if "community" in fields:
        require_place_in_scope(fields["community"], actor, "people.change")
    before = _snapshot(worker, WORKER_FIELDS)
    for name, value in fields.items():
        setattr(worker, name, value)
    worker.save()
    changes = audit.diff(
        before, _snapshot(worker, WORKER_FIELDS), hidden=_hidden_for(GigWorker)
    )
    if changes:
        audit.record(
            actor=actor, action=AuditAction.UPDATE, target=worker, changes=changes
        )
    return worker
