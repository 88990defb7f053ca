"""What a district (or a street, for its own branches) configures: the 党支部标准化
checklist with its weights, and the 党费 income bands. Each is saved as a whole,
so the rules that span rows (weights sum to 100, bands do not overlap) hold."""

import hashlib
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q

from jiceng.core import audit
from jiceng.core.errors import Conflict
from jiceng.core.models import AuditAction
from jiceng.core.scope import covers, path_prefix, place_prefixes
from jiceng.places.models import Place, PlaceKind

from ..models import DuesBand, Standard, StandardArea

# A district sets the checklist and bands for all; a street may set its own,
# which then replaces the district's for the branches below it.
CONFIG_KINDS = (PlaceKind.DISTRICT, PlaceKind.STREET)
WEIGHT_TOTAL = 100


def may_configure(user, place) -> bool:
    return (
        place is not None
        and place.kind in CONFIG_KINDS
        and covers(user, place, "party.change")
    )


def configurable_places(user):
    """The district and streets whose settings the user may change."""
    prefixes = place_prefixes(user, "party.change")
    if not prefixes:
        return Place.objects.none()
    allowed = Q()
    for prefix in prefixes:
        allowed |= path_prefix(prefix)
    return Place.objects.filter(allowed, kind__in=CONFIG_KINDS).order_by("path")


def require_configure(user, place):
    if not may_configure(user, place):
        raise PermissionDenied("只有区、街道的党建管理员可以修改这项设置")


def stamp(rows) -> str:
    """A short fingerprint of what the editor saw, to refuse a lost update."""
    return hashlib.sha256(repr(rows).encode()).hexdigest()[:16]


def _checklist_rows(place):
    return [
        (s.pk, s.area, s.title, s.weight, s.order, s.active)
        for s in Standard.objects.filter(place=place).order_by("order", "pk")
    ]


def checklist_stamp(place) -> str:
    return stamp(_checklist_rows(place))


@transaction.atomic
def save_checklist(*, actor, place, items, seen=None) -> list[Standard]:
    """Save a place's whole checklist.

    items: dicts with pk (None for a new row), area, title, weight, active. Rows
    already used by an assessment are never deleted, only switched off, so past
    scores stay explained. The active weights must sum to 100."""
    require_configure(actor, place)
    Place.objects.select_for_update().get(pk=place.pk)
    if seen is not None and seen != checklist_stamp(place):
        raise Conflict("标准化条目已被他人修改，请刷新后重新编辑")
    current = {s.pk: s for s in Standard.objects.filter(place=place)}
    errors = []
    items = [i for i in items if i.get("pk") or (i.get("title") or "").strip()]
    for n, item in enumerate(items, 1):
        if not (item.get("title") or "").strip():
            errors.append(f"第{n}行：请填写标准内容")
        if item.get("area") not in StandardArea.values:
            errors.append(f"第{n}行：请选择类别")
        weight = item.get("weight")
        if weight is None or not 1 <= int(weight) <= WEIGHT_TOTAL:
            errors.append(f"第{n}行：分值权重应在1到{WEIGHT_TOTAL}之间")
        if item.get("pk") and item["pk"] not in current:
            errors.append(f"第{n}行：条目不属于{place.name}")
    if errors:
        raise ValidationError(errors)
    total = sum(int(i["weight"]) for i in items if i.get("active", True))
    if items and total != WEIGHT_TOTAL:
        raise ValidationError(f"启用条目的分值权重合计应为{WEIGHT_TOTAL}，现为{total}")
    saved = []
    for order, item in enumerate(items, 1):
        values = {
            "area": item["area"],
            "title": item["title"].strip(),
            "weight": int(item["weight"]),
            "active": bool(item.get("active", True)),
            "order": order,
        }
        standard = current.get(item.get("pk"))
        if standard is None:
            standard = Standard.objects.create(place=place, **values)
            audit.record(
                actor=actor,
                action=AuditAction.CREATE,
                target=standard,
                changes={"weight": values["weight"]},
            )
        else:
            changes = {k: v for k, v in values.items() if getattr(standard, k) != v}
            if changes:
                for k, v in changes.items():
                    setattr(standard, k, v)
                standard.save()
                audit.record(
                    actor=actor,
                    action=AuditAction.UPDATE,
                    target=standard,
                    changes=changes,
                )
        saved.append(standard)
    return saved


# ---- 党费 bands ------------------------------------------------------------------


def _band_rows(place):
    return [
        (b.retired, str(b.above), str(b.rate))
        for b in DuesBand.objects.filter(place=place).order_by("retired", "above")
    ]


def bands_stamp(place) -> str:
    return stamp(_band_rows(place))


def check_bands(bands):
    """bands: (retired, above, rate). Each band runs from its floor to the next
    one's, so two bands with one floor overlap; each group starts at 0 元."""
    errors = []
    for retired in (False, True):
        group = "离退休" if retired else "在职"
        floors = sorted(Decimal(a) for r, a, _ in bands if r == retired)
        if not floors:
            continue
        if floors[0] != 0:
            errors.append(f"{group}党员的第一档应从月收入0元起")
        doubled = sorted({str(a) for a in floors if floors.count(a) > 1})
        if doubled:
            errors.append(f"{group}党员的档次重叠：{'、'.join(doubled)}元起出现多次")
    for _retired, above, rate in bands:
        if Decimal(above) < 0:
            errors.append(f"月收入下限不能为负数：{above}")
        if not 0 <= Decimal(rate) < 100:
            errors.append(f"缴纳比例应在0%到100%之间（不含100%）：{rate}%")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def save_dues_bands(*, actor, place, bands, seen=None) -> list[DuesBand]:
    """Replace a place's 党费 bands with bands: (retired, above, rate)."""
    require_configure(actor, place)
    Place.objects.select_for_update().get(pk=place.pk)
    if seen is not None and seen != bands_stamp(place):
        raise Conflict("党费档次已被他人修改，请刷新后重新编辑")
    check_bands(bands)
    before = _band_rows(place)
    DuesBand.objects.filter(place=place).delete()
    saved = DuesBand.objects.bulk_create(
        DuesBand(place=place, retired=r, above=Decimal(a), rate=Decimal(rate))
        for r, a, rate in sorted(bands, key=lambda b: (b[0], Decimal(b[1])))
    )
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=place,
        target_repr=f"{place.name} 党费档次",
        changes={
            "dues_bands": {
                "before": [list(b) for b in before],
                "after": [[r, str(a), str(rate)] for r, a, rate in bands],
            }
        },
    )
    return saved
