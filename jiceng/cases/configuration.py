"""Category time limits and routing rules: who may change them, and the changes.

The category list (CJ/T 214 classes) and its time limits are the district's; a
street sets routing rules inside its own subtree. Every change is audited.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from jiceng.core import audit
from jiceng.core.models import AuditAction
from jiceng.core.scope import (
    place_prefixes,
    require_in_scope,
    require_permission,
    require_place_in_scope,
)
from jiceng.places.models import Place

from .errors import CaseError, field_error
from .models import Category, RoutingRule

CATEGORY_FIELDS = ("name", "respond_hours", "handle_days", "verify_days", "active")


def can_edit_categories(user):
    """District-level configure grants (or a superuser) own the category list."""
    return any(
        len(prefix) <= Place.steplen
        for prefix in place_prefixes(user, "cases.configure")
    )


@transaction.atomic
def save_category(*, actor, category, data):
    """Create a small class under a big one, or change a class's name and limits."""
    require_permission(actor, "cases.configure")
    if not can_edit_categories(actor):
        raise PermissionDenied("只有区级管理员可以维护案件类别")
    if category.pk is None:
        parent = data.get("parent")
        if parent is None or parent.parent_id is not None:
            raise field_error("parent", "请选择所属大类", CaseError.PARENT)
        code = (data.get("code") or "").strip().upper()
        if not code.startswith(parent.code):
            raise field_error(
                "code", f"小类编码应以大类编码 {parent.code} 开头", CaseError.CODE
            )
        if Category.objects.filter(code=code).exists():
            raise field_error("code", "该编码已存在", CaseError.DUPLICATE)
        category.code, category.parent, category.type = code, parent, parent.type
    if data.get("respond_hours", 1) < 1 or data.get("handle_days", 1) < 1:
        raise ValidationError("时限至少为1", code=CaseError.LIMIT)
    changes = {}
    for name in CATEGORY_FIELDS:
        if name in data and getattr(category, name) != data[name]:
            changes[name] = [getattr(category, name), data[name]]
            setattr(category, name, data[name])
    created = category.pk is None
    category.save()
    audit.record(
        actor=actor,
        action=AuditAction.CREATE if created else AuditAction.UPDATE,
        target=category,
        changes=changes,
    )
    return category


@transaction.atomic
def add_rule(*, actor, category, place, department=None, to_grid=False):
    require_place_in_scope(place, actor, "cases.configure")
    if (department is None) == (not to_grid):
        raise ValidationError(
            "请在“派往部门”和“派往所在网格”中选择且只选择一项", code=CaseError.RULE
        )
    if RoutingRule.objects.filter(category=category, place=place).exists():
        raise ValidationError(
            "该区域已有此类别的派遣规则，请先删除原规则", code=CaseError.DUPLICATE
        )
    rule = RoutingRule.objects.create(
        category=category, place=place, department=department, to_grid=to_grid
    )
    audit.record(actor=actor, action=AuditAction.CREATE, target=rule)
    require_in_scope(rule, actor, "configure")
    return rule


@transaction.atomic
def delete_rule(*, actor, rule):
    require_place_in_scope(rule.place, actor, "cases.configure")
    audit.record(actor=actor, action=AuditAction.DELETE, target=rule)
    rule.delete()
