"""The points ledger and the points mall.

append_entry() is the only writer of PointsEntry: it locks the volunteer's row,
numbers the entry, stores the running balance and updates the cached balance in the
same transaction. A redemption takes its stock with one conditional UPDATE (stock
>= quantity), so concurrent buyers can never oversell, and its points through
append_entry, which never lets a balance go below zero.
"""

from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Q, Sum
from django.utils import timezone

from jiceng.core import audit
from jiceng.core.models import AuditAction
from jiceng.core.scope import (
    require_in_scope,
    require_permission,
    require_place_in_scope,
)

from ..errors import Code
from ..models import (
    EntryKind,
    MallItem,
    PointsEntry,
    PointsRule,
    Redemption,
    RedemptionStatus,
    Volunteer,
)
from .common import MANAGE, bad_state, volunteer_of

EXPIRY_DAYS = 730  # points unspent two years after they were earned expire
DEFAULT_RULES = {
    "wish_done": ("完成微心愿", 20),
    "project_done": ("认领项目完成", 50),
    "theme_day": ("参加主题党日", 5),
}


@transaction.atomic
def append_entry(
    *,
    volunteer,
    kind,
    points,
    reason,
    actor=None,
    hours=None,
    redemption=None,
    rule="",
):
    """Append one entry; the balance may never go below zero."""
    if points == 0:
        raise ValidationError("积分变动不能为0", code=Code.INVALID)
    locked = Volunteer.objects.select_for_update().get(pk=volunteer.pk)
    balance = locked.points_balance + points
    if balance < 0:
        raise ValidationError(
            f"积分不足：当前余额 {locked.points_balance} 分", code=Code.INSUFFICIENT
        )
    entry = PointsEntry.objects.create(
        volunteer=locked,
        seq=locked.ledger_seq + 1,
        kind=kind,
        points=points,
        balance_after=balance,
        reason=reason[:200],
        hours=hours,
        redemption=redemption,
        rule=rule,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    earned = points if kind == EntryKind.EARN else 0
    Volunteer.objects.filter(pk=locked.pk).update(
        points_balance=balance,
        points_earned=F("points_earned") + earned,
        ledger_seq=locked.ledger_seq + 1,
    )
    volunteer.points_balance = balance
    volunteer.ledger_seq = locked.ledger_seq + 1
    return entry


def balance_of(volunteer_id) -> int:
    """The cached balance: one primary-key read, whatever the ledger's length."""
    return (
        Volunteer.objects.filter(pk=volunteer_id)
        .values_list("points_balance", flat=True)
        .get()
    )


def ledger_sum(volunteer_id) -> int:
    return (
        PointsEntry.objects.filter(volunteer_id=volunteer_id).aggregate(
            s=Sum("points")
        )["s"]
        or 0
    )


def check_ledger(volunteers=None, *, fix=False):
    """Recompute every balance from the ledger; return the volunteers that differ.

    The ledger is the truth: with fix, the cached balances are rewritten from it.
    """
    queryset = volunteers if volunteers is not None else Volunteer.objects.all()
    sums = dict(
        PointsEntry.objects.filter(volunteer__in=queryset)
        .values("volunteer")
        .annotate(s=Sum("points"))
        .values_list("volunteer", "s")
    )
    wrong = []
    for volunteer in queryset.only("pk", "points_balance", "name"):
        actual = sums.get(volunteer.pk, 0)
        if actual != volunteer.points_balance:
            wrong.append((volunteer, volunteer.points_balance, actual))
            if fix:
                _fix_balance(volunteer, actual)
    return wrong


@transaction.atomic
def _fix_balance(volunteer, actual):
    """Rewrite a drifted cached balance from the ledger (by the system, audited)."""
    Volunteer.objects.filter(pk=volunteer.pk).update(points_balance=actual)
    audit.record(
        actor=None,
        action=AuditAction.UPDATE,
        target=volunteer,
        changes={"points_balance": [volunteer.points_balance, actual]},
    )


def rule_points(code):
    rule = PointsRule.objects.filter(code=code, active=True).first()
    if rule is not None:
        return rule.points, rule.name
    name, points = DEFAULT_RULES.get(code, ("", 0))
    return points, name


def award_rule(*, volunteer, code, reason, actor=None):
    points, name = rule_points(code)
    if not points:
        return None
    return append_entry(
        volunteer=volunteer,
        kind=EntryKind.EARN,
        points=points,
        reason=f"{name}：{reason}",
        actor=actor,
        rule=code,
    )


@transaction.atomic
def adjust_points(*, actor, volunteer, points, reason):
    """An administrator's correction, always with a reason."""
    require_in_scope(volunteer, actor, "manage")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "请填写调整原因"})
    entry = append_entry(
        volunteer=volunteer,
        kind=EntryKind.ADJUST,
        points=int(points),
        reason=f"调整：{reason}",
        actor=actor,
    )
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=volunteer,
        changes={"points": int(points), "reason": reason},
    )
    require_in_scope(volunteer, actor, "manage")
    return entry


@transaction.atomic
def redeem(*, actor, item, quantity=1):
    """Redeem an item of one's own community's mall with one's own points."""
    require_permission(actor, "volunteer.join")
    volunteer = volunteer_of(actor)
    quantity = int(quantity)
    if quantity < 1 or quantity > 10:
        raise ValidationError({"quantity": "每次兑换1至10件"})
    # Lock order: the volunteer first (append_entry would), then the stock.
    Volunteer.objects.select_for_update().filter(pk=volunteer.pk).get()
    item = MallItem.objects.get(pk=item.pk)
    if item.community_id != volunteer.community_id:
        raise PermissionDenied("只能兑换本社区积分超市的商品")
    cost = item.points * quantity
    taken = MallItem.objects.filter(
        pk=item.pk, active=True, stock__gte=quantity
    ).update(stock=F("stock") - quantity)
    if not taken:
        raise ValidationError(f"“{item.name}”库存不足或已下架", code=Code.SOLD_OUT)
    redemption = Redemption.objects.create(
        item=item, volunteer=volunteer, quantity=quantity, points=cost
    )
    # raises INSUFFICIENT, rolling back the stock taken above
    append_entry(
        volunteer=volunteer,
        kind=EntryKind.REDEEM,
        points=-cost,
        reason=f"兑换 {item.name} ×{quantity}",
        actor=actor,
        redemption=redemption,
    )
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        target=redemption,
        changes={"item": item.pk, "quantity": quantity, "points": cost},
    )
    require_in_scope(redemption, actor, "view")
    return redemption


@transaction.atomic
def handle_redemption(*, actor, redemption, deliver):
    """Hand the goods over, or cancel and give the points and stock back."""
    redemption = Redemption.objects.select_for_update().get(pk=redemption.pk)
    require_in_scope(redemption, actor, "manage")
    if redemption.status != RedemptionStatus.PLACED:
        raise bad_state("该兑换已办理")
    redemption.handled_by, redemption.handled_at = actor, timezone.now()
    if deliver:
        redemption.status = RedemptionStatus.DELIVERED
    else:
        redemption.status = RedemptionStatus.CANCELLED
        MallItem.objects.filter(pk=redemption.item_id).update(
            stock=F("stock") + redemption.quantity
        )
        append_entry(
            volunteer=redemption.volunteer,
            kind=EntryKind.REFUND,
            points=redemption.points,
            reason=f"取消兑换 {redemption.item.name}",
            actor=actor,
            redemption=redemption,
        )
    redemption.save()
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=redemption,
        changes={"status": redemption.status},
    )
    require_in_scope(redemption, actor, "manage")
    return redemption


@transaction.atomic
def save_item(*, actor, item):
    """Put an item on the community's shelf, or save changes to one."""
    require_place_in_scope(item.community, actor, MANAGE)
    if item.pk is not None:
        require_in_scope(item, actor, "manage")  # as stored, before this change
    if item.points < 1:
        raise ValidationError({"points": "所需积分至少为1"})
    created = item.pk is None
    item.save()
    audit.record(
        actor=actor,
        action=AuditAction.CREATE if created else AuditAction.UPDATE,
        target=item,
        changes={"stock": item.stock, "points": item.points},
    )
    require_in_scope(item, actor, "manage")
    return item


def expire_points(now=None) -> int:
    """Expire points still unspent EXPIRY_DAYS after they were earned (first in,
    first out). Idempotent: a second run finds nothing left to expire."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=EXPIRY_DAYS)
    plus = Q(points__gt=0)
    totals = (
        PointsEntry.objects.values("volunteer")
        .annotate(
            old_in=Sum("points", filter=plus & Q(created_at__lt=cutoff), default=0),
            out=Sum("points", filter=Q(points__lt=0), default=0),
        )
        .filter(old_in__gt=0)
    )
    expired = 0
    for row in totals:
        amount = row["old_in"] + row["out"]  # out is negative
        if amount <= 0:
            continue
        with transaction.atomic():
            volunteer = Volunteer.objects.select_for_update().get(pk=row["volunteer"])
            amount = min(amount, volunteer.points_balance)
            if amount <= 0:
                continue
            entry = append_entry(
                volunteer=volunteer,
                kind=EntryKind.EXPIRE,
                points=-amount,
                reason=f"{cutoff:%Y-%m-%d}前获得的积分到期",
            )
            audit.record(
                actor=None,
                action=AuditAction.UPDATE,
                target=volunteer,
                changes={"points": -amount, "entry": entry.seq, "rule": "expire"},
            )
            expired += 1
    return expired
