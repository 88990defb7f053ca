"""Edit the catalogue (district admins) and read what a level handles."""

from django.core.exceptions import ValidationError
from django.db import transaction

from jiceng.core import audit
from jiceng.core.errors import check_version
from jiceng.core.models import AuditAction
from jiceng.core.scope import require_in_scope

from ..models import Level, Material, ServiceItem
from .common import require_covers

CONFIGURE = "onewindow.configure"
ITEM_FIELDS = [
    "name",
    "category",
    "conditions",
    "legal_basis",
    "accept_level",
    "handle_level",
    "department",
    "time_limit_days",
    "fee",
    "channel_window",
    "channel_online",
    "channel_home",
    "channel_proxy",
    "refused_proof",
    "active",
]


def _check(fields):
    if fields.get("handle_level") == Level.DEPARTMENT and not fields.get("department"):
        raise ValidationError({"department": "办理层级为区级部门时须选择办理部门"})
    if (fields.get("fee") or 0) < 0:
        raise ValidationError({"fee": "收费不能为负数"})


@transaction.atomic
def create_item(*, actor, district, code, name, materials=(), **fields):
    """Add an item to the catalogue; materials are dicts of Material fields."""
    require_covers(actor, district, CONFIGURE)
    _check(fields)
    if ServiceItem.objects.filter(code=code).exists():
        raise ValidationError({"code": "事项编码已存在"})
    item = ServiceItem.objects.create(
        district=district, code=code.strip(), name=name.strip(), **fields
    )
    for position, material in enumerate(materials):
        Material.objects.create(item=item, position=position, **material)
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        target=item,
        changes={"materials": [m["name"] for m in materials]},
    )
    require_in_scope(item, actor, "configure")
    return item


@transaction.atomic
def update_item(*, actor, item, version=None, **fields):
    item = ServiceItem.objects.select_for_update().get(pk=item.pk)
    check_version(item, version)
    require_in_scope(item, actor, "configure")
    merged = {f: getattr(item, f) for f in ITEM_FIELDS} | fields
    _check(merged)
    before = {f: getattr(item, f) for f in fields}
    for name, value in fields.items():
        setattr(item, name, value)
    item.version += 1
    item.save()
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=item,
        changes=audit.diff(before, fields),
    )
    return item


@transaction.atomic
def set_materials(*, actor, item, materials):
    """Replace an item's checklist (materials already used by applications stay)."""
    require_in_scope(item, actor, "configure")
    kept = []
    for position, data in enumerate(materials):
        material, _ = Material.objects.update_or_create(
            item=item,
            name=data["name"],
            defaults={
                **{k: v for k, v in data.items() if k != "name"},
                "position": position,
            },
        )
        kept.append(material.pk)
    dropped = item.materials.exclude(pk__in=kept)
    used = set(
        dropped.filter(
            pk__in=item.applications.values("materials__material")
        ).values_list("pk", flat=True)
    )
    dropped.exclude(pk__in=used).delete()
    dropped.filter(pk__in=used).update(required=False)
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=item,
        changes={"materials": [m["name"] for m in materials]},
    )
    return item
