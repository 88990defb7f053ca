"""New-employment workers (新就业群体): 报到 to a community, and edits."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from jiceng.core import audit
from jiceng.core.fields import BlindIndexField
from jiceng.core.models import AuditAction
from jiceng.core.scope import require_in_scope, require_place_in_scope
from jiceng.core.validators import validate_id_number, validate_mobile

from ..errors import PeopleError
from ..models import GigWorker, Resident
from .common import audit_diff, refuse_taken, snapshot

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
        refuse_taken(
            GigWorker.objects.filter(id_number_index=digest),
            exclude_pk=exclude_pk,
            field="id_number",
            message="该身份证号已报到",
            code=PeopleError.ID_NUMBER_TAKEN,
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
        changes=audit_diff(GigWorker, {}, snapshot(worker, WORKER_FIELDS)),
    )
    require_in_scope(worker, actor, "change")
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
    before = snapshot(worker, WORKER_FIELDS)
    for name, value in fields.items():
        setattr(worker, name, value)
    worker.save()
    changes = audit_diff(GigWorker, before, snapshot(worker, WORKER_FIELDS))
    if changes:
        audit.record(
            actor=actor, action=AuditAction.UPDATE, target=worker, changes=changes
        )
    require_in_scope(worker, actor, "change")
    return worker
