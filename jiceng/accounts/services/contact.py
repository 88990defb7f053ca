"""A resident (or gig worker) corrects their own contact details.

Only the phone number and a few plain fields are theirs to change; the values stay
encrypted with their masks, and the audit row says only that the phone changed.
"""

from django.core.exceptions import ValidationError
from django.db import transaction

from jiceng.core import audit
from jiceng.core.models import AuditAction
from jiceng.core.validators import validate_mobile
from jiceng.people.models import GigWorker, Resident
from jiceng.people.services.common import audit_diff, snapshot

from ..models import MemberAccount

RESIDENT_CONTACT_FIELDS = ("phone", "employer_name")
WORKER_CONTACT_FIELDS = ("phone", "service_area", "platform")


def own_records(user):
    """(resident, gig worker) linked to this account, either may be None."""
    resident = Resident.objects.select_related("place").filter(user=user).first()
    account = MemberAccount.objects.filter(user=user).select_related("gig_worker")
    account = account.first()
    worker = account.gig_worker if account else None
    return resident, worker


def _apply(model, row, fields, names, user):
    before = snapshot(row, names)
    for name, value in fields.items():
        setattr(row, name, value)
    row.save()
    changes = audit_diff(model, before, snapshot(row, names))
    if changes:
        audit.record(
            actor=user,
            action=AuditAction.UPDATE,
            target=row,
            changes={**changes, "by": "本人"},
        )
    return changes


@transaction.atomic
def update_own_contact(*, user, phone="", employer_name=None, service_area=None):
    """Change one's own phone (blank keeps it) and plain contact fields."""
    resident, worker = own_records(user)
    if resident is None and worker is None:
        raise ValidationError("您的账号尚未关联登记信息，请联系社区")
    if phone:
        try:
            phone = validate_mobile(phone)
        except ValidationError as exc:
            raise ValidationError({"phone": exc.messages}) from exc
    changed = {}
    if resident is not None:
        resident = Resident.objects.select_for_update().get(pk=resident.pk)
        fields = {"phone": phone} if phone else {}
        if employer_name is not None:
            fields["employer_name"] = employer_name.strip()[:200]
        changed.update(
            _apply(Resident, resident, fields, RESIDENT_CONTACT_FIELDS, user)
        )
    if worker is not None:
        worker = GigWorker.objects.select_for_update().get(pk=worker.pk)
        fields = {"phone": phone} if phone else {}
        if service_area is not None:
            fields["service_area"] = service_area.strip()[:200]
        changed.update(_apply(GigWorker, worker, fields, WORKER_CONTACT_FIELDS, user))
    return changed
