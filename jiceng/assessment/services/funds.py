"""Community funds: budgets by source, spending (linked to a project, an activity
or a 微心愿), balance and execution rate, and the export for audit."""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import DecimalField, Sum, Value
from django.db.models.functions import Coalesce

from jiceng.core import audit
from jiceng.core.errors import Conflict
from jiceng.core.models import AuditAction
from jiceng.core.scope import has_permission
from jiceng.places.models import Place, PlaceKind

from ..models import Budget, FundSource, Spending

ZERO = Value(Decimal(0), output_field=DecimalField(max_digits=14, decimal_places=2))


def _require(actor):
    if not has_permission(actor, "assessment.funds"):
        raise PermissionDenied("无权管理社区经费")


@transaction.atomic
def set_budget(*, actor, community, year, source, amount, note=""):
    _require(actor)
    if (
        community.kind != PlaceKind.COMMUNITY
        or not Place.objects.visible_to(actor).filter(pk=community.pk).exists()
    ):
        raise PermissionDenied("只能为辖区内社区设置预算")
    if source not in FundSource.values:
        raise ValidationError({"source": "请选择经费来源"})
    if Decimal(amount) < 0:
        raise ValidationError({"amount": "金额不能为负"})
    budget, created = Budget.objects.select_for_update().get_or_create(
        community=community,
        year=year,
        source=source,
        defaults={"amount": amount, "note": note},
    )
    if not created:
        spent = budget.spent.aggregate(s=Coalesce(Sum("amount"), ZERO))["s"]
        if Decimal(amount) < spent:
            raise ValidationError({"amount": f"预算不能低于已支出的{spent}元"})
        budget.amount, budget.note = amount, note
        budget.save()
    audit.record(
        actor=actor,
        action=AuditAction.CREATE if created else AuditAction.UPDATE,
        target=budget,
        changes={"amount": str(amount)},
    )
    return budget


@transaction.atomic
def spend(
    *,
    actor,
    budget,
    spent_on,
    amount,
    purpose,
    application=None,
    activity=None,
    wish=None,
):
    """Record spending; the budget row is locked so two clerks cannot overdraw it."""
    _require(actor)
    budget = Budget.objects.select_for_update().get(pk=budget.pk)
    if not Budget.objects.visible_to(actor).filter(pk=budget.pk).exists():
        raise PermissionDenied("超出权限范围")
    amount = Decimal(amount)
    if amount <= 0:
        raise ValidationError({"amount": "金额须大于0"})
    if spent_on.year != budget.year:
        raise ValidationError({"spent_on": f"支出日期须在{budget.year}年内"})
    used = budget.spent.aggregate(s=Coalesce(Sum("amount"), ZERO))["s"]
    if used + amount > budget.amount:
        raise Conflict(f"余额不足：预算{budget.amount}元，已支出{used}元")
    row = Spending.objects.create(
        budget=budget,
        spent_on=spent_on,
        amount=amount,
        purpose=purpose,
        application=application,
        activity=activity,
        wish=wish,
        recorded_by=actor,
    )
    audit.record(actor=actor, action=AuditAction.CREATE, target=row)
    return row


def summary(actor, year):
    """Budgets of the year with spent, balance and execution rate."""
    rows = (
        Budget.objects.visible_to(actor)
        .filter(year=year)
        .select_related("community")
        .annotate(used=Coalesce(Sum("spent__amount"), ZERO))
    )
    result = []
    for b in rows:
        rate = round(100 * b.used / b.amount, 1) if b.amount else None
        result.append(
            {"budget": b, "used": b.used, "balance": b.amount - b.used, "rate": rate}
        )
    return result


def export(actor, year):
    """An xlsx for audit: every budget line and every spending record."""
    import io

    from django.utils import timezone
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "预算执行"
    sheet.append(
        [
            f"{year}年社区经费执行情况 导出人：{actor} {timezone.localtime():%Y-%m-%d %H:%M}"
        ]
    )
    sheet.append(
        ["社区", "经费来源", "预算（元）", "已支出（元）", "余额（元）", "执行率%"]
    )
    for row in summary(actor, year):
        b = row["budget"]
        sheet.append(
            [
                b.community.name,
                b.get_source_display(),
                float(b.amount),
                float(row["used"]),
                float(row["balance"]),
                row["rate"],
            ]
        )
    detail = book.create_sheet("支出明细")
    detail.append(
        ["社区", "经费来源", "日期", "金额（元）", "用途", "关联项目/活动/微心愿"]
    )
    spendings = (
        Spending.objects.visible_to(actor)
        .filter(budget__year=year)
        .select_related("budget__community", "application", "activity", "wish")
    )
    for s in spendings:
        linked = s.application or s.activity or s.wish or ""
        detail.append(
            [
                s.budget.community.name,
                s.budget.get_source_display(),
                s.spent_on,
                float(s.amount),
                s.purpose,
                str(linked),
            ]
        )
    audit.record(
        actor=actor,
        action=AuditAction.EXPORT,
        target_type="assessment.budget",
        target_id=str(year),
        target_repr=f"{year}年社区经费",
    )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
