"""Key-population tags: which categories one may tag, tagging, reviews, due lists.

Which tags a user sees is the ResidentTag scope (its sensitivity refinement);
sensitivity_at answers the same rule for one place. Every entry point (pages, API,
import) calls these functions; each change is audited and none overwrites history.
"""

from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q

from jiceng.core import audit
from jiceng.core.models import AuditAction
from jiceng.core.scope import (
    grants_for,
    has_permission,
    place_path_allowed,
    require_in_scope,
)

from ..errors import PeopleError
from ..models import KeyPopulation, ResidentTag, Sensitivity, TagReview
from ..models.key_populations import role_sensitivity

DUE_SOON_DAYS = 7


def sensitivity_at(user, path) -> int:
    """The most sensitive category level the user may see at this place (0 = none);
    the same table as ResidentTag's scope."""
    if user.is_superuser:
        return max(Sensitivity.values)
    return max(
        (
            role_sensitivity(g.role)
            for g in grants_for(user)
            if g.allows("people.view")
            and g.place_path
            and place_path_allowed(path, [g.place_path])
        ),
        default=0,
    )


def categories_for(user, resident):
    level = sensitivity_at(user, resident.place.path)
    return KeyPopulation.objects.filter(active=True, sensitivity__lte=level)


def _require_level(user, resident, category):
    if sensitivity_at(user, resident.place.path) < category.sensitivity:
        raise PermissionDenied("无权处理该类别的重点人群")


@transaction.atomic
def tag_resident(*, actor, resident, category, reason, reviewer=None, tagged_on=None):
    require_in_scope(resident, actor, "change")
    _require_level(actor, resident, category)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "请填写认定依据"})
    tagged_on = tagged_on or date.today()
    try:
        with transaction.atomic():
            tag = ResidentTag.objects.create(
                resident=resident,
                category=category,
                reason=reason[:300],
                tagged_by=actor,
                tagged_on=tagged_on,
                reviewer=reviewer or actor,
                next_review_on=category.next_review_from(tagged_on),
            )
    except IntegrityError as exc:
        raise ValidationError(
            f"该居民已有有效的“{category.name}”标签", code=PeopleError.TAG_EXISTS
        ) from exc
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        target=tag,
        changes={"category": category.name, "reason": tag.reason},
    )
    return tag


@transaction.atomic
def review_tag(*, actor, tag, kept, note, next_review_on=None):
    """Record a review; a kept tag gets its next date, an ended one leaves history."""
    tag = (
        ResidentTag.objects.select_for_update(of=("self",))
        .select_related("category", "resident__place")
        .get(pk=tag.pk)
    )
    require_in_scope(tag.resident, actor, "change")
    _require_level(actor, tag.resident, tag.category)
    if not tag.active:
        raise ValidationError("该标签已解除", code=PeopleError.TAG_ENDED)
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": "请填写复核情况"})
    today = date.today()
    if kept:
        next_review_on = next_review_on or tag.category.next_review_from(today)
        if next_review_on <= today:
            raise ValidationError({"next_review_on": "下次复核日期应晚于今天"})
        tag.next_review_on = next_review_on
    else:
        next_review_on = None
        tag.ended_on, tag.ended_reason, tag.ended_by = today, note[:300], actor
    tag.save()
    review = TagReview.objects.create(
        tag=tag,
        reviewed_by=actor,
        reviewed_on=today,
        kept=kept,
        note=note[:300],
        next_review_on=next_review_on,
    )
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=tag,
        changes={"review": "继续认定" if kept else "解除", "note": review.note},
    )
    return review


def due_condition(*, within_days=DUE_SOON_DAYS):
    """Open tags whose review falls within the next days (or is overdue): 待复核."""
    limit = date.today() + timedelta(days=within_days)
    return Q(ended_on=None, next_review_on__lte=limit)


def due_for_review(user, *, within_days=DUE_SOON_DAYS):
    """Open tags whose review falls within the next days (or is overdue)."""
    return (
        ResidentTag.objects.visible_to(user)
        .select_related("category", "resident", "resident__place")
        .filter(due_condition(within_days=within_days))
        .order_by("next_review_on", "resident__place__path")
    )


CATEGORY_FIELDS = (
    "code",
    "name",
    "sensitivity",
    "review_days",
    "description",
    "active",
    "order",
)


@transaction.atomic
def save_category(*, actor, category=None, **fields):
    """Create or change a key-population category (district administrators)."""
    if not has_permission(actor, "people.configure"):
        raise PermissionDenied("只有区级管理员可以设置重点人群类别")
    before = {f: getattr(category, f) for f in CATEGORY_FIELDS} if category else {}
    category = category or KeyPopulation()
    for name, value in fields.items():
        setattr(category, name, value)
    category.full_clean()
    category.save()
    after = {f: getattr(category, f) for f in CATEGORY_FIELDS}
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE if before else AuditAction.CREATE,
        target=category,
        changes=audit.diff(before, after),
    )
    return category
