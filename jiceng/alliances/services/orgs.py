"""The registry of mass, self-governing and social organisations and 联合会."""

from django.core.exceptions import ValidationError
from django.db import transaction

from jiceng.core import audit
from jiceng.core.models import AuditAction
from jiceng.core.scope import require_in_scope, require_place_in_scope

from ..errors import Code
from ..models import Organisation, OrgKind
from .common import CHANGE


@transaction.atomic
def save_organisation(*, actor, organisation=None, place, name, kind, **fields):
    require_place_in_scope(place, actor, CHANGE)
    federation = fields.get("federation")
    if federation is not None and federation.kind != OrgKind.FEDERATION:
        raise ValidationError({"federation": "所属组织须为联合会"}, code=Code.INVALID)
    created = organisation is None
    if created:
        organisation = Organisation(place=place, name=name, kind=kind, **fields)
    else:
        require_in_scope(organisation, actor, "change")
        organisation.place, organisation.name, organisation.kind = place, name, kind
        for key, value in fields.items():
            setattr(organisation, key, value)
    organisation.save()
    audit.record(
        actor=actor,
        action=AuditAction.CREATE if created else AuditAction.UPDATE,
        target=organisation,
    )
    return organisation
