"""The points ledger (append-only) and the points mall.

Every change of a volunteer's points is one PointsEntry; rows are never updated or
deleted (the queryset refuses, and triggers in the migration make the database
refuse too). Each append locks the volunteer's row, numbers the entry, stores the
running balance on it, and updates the cached balance on the volunteer in the same
transaction, so reading a balance is one row whatever the ledger's length.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jiceng.core.scope import Scope, ScopedQuerySet


class EntryKind(models.TextChoices):
    EARN = "earn", _("获得")
    REDEEM = "redeem", _("兑换")
    REFUND = "refund", _("兑换退回")
    EXPIRE = "expire", _("过期")
    ADJUST = "adjust", _("调整")


class PointsEntryQuerySet(ScopedQuerySet):
    def update(self, **kwargs):
        raise PermissionError("points entries are append-only")

    def delete(self):
        raise PermissionError("points entries are append-only")


class PointsEntry(models.Model):
    volunteer = models.ForeignKey(
        "Volunteer",
        on_delete=models.PROTECT,
        related_name="ledger",
        verbose_name=_("志愿者"),
    )
    seq = models.PositiveIntegerField(_("序号"))
    kind = models.CharField(_("类型"), max_length=16, choices=EntryKind.choices)
    points = models.IntegerField(_("积分"))
    balance_after = models.IntegerField(_("余额"))
    reason = models.CharField(_("事由"), max_length=200)
    hours = models.ForeignKey(
        "ServiceHours",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("服务时长"),
    )
    redemption = models.ForeignKey(
        "Redemption",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("兑换"),
    )
    rule = models.CharField(_("积分规则"), max_length=32, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("操作人"),
    )
    created_at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)

    scope = Scope(
        place="volunteer__community",
        unit="volunteer__unit",
        self_field="volunteer__user",
    )
    objects = PointsEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-seq"]
        verbose_name = _("积分流水")
        verbose_name_plural = _("积分流水")
        constraints = [
            models.UniqueConstraint(fields=["volunteer", "seq"], name="ledger_seq"),
            # an hour's points are earned once
            models.UniqueConstraint(
                fields=["hours"],
                condition=models.Q(kind="earn"),
                name="earn_hours_once",
            ),
        ]

    def __str__(self):
        return f"{self.volunteer} {self.points:+d}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("points entries are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("points entries are append-only")


class PointsRule(models.Model):
    """Points for deeds other than hours (e.g. 完成微心愿, 项目认领完成)."""

    code = models.SlugField(_("代码"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=50)
    points = models.PositiveIntegerField(_("积分"))
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("积分规则")
        verbose_name_plural = _("积分规则")

    def __str__(self):
        return f"{self.name}（{self.points}分）"


class ItemKind(models.TextChoices):
    GOODS = "goods", _("实物")
    SERVICE = "service", _("服务")


class MallItem(models.Model):
    community = models.ForeignKey(
        "places.Place",
        on_delete=models.PROTECT,
        related_name="mall_items",
        verbose_name=_("所属社区"),
    )
    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=16, choices=ItemKind.choices)
    description = models.CharField(_("说明"), max_length=300, blank=True)
    points = models.PositiveIntegerField(_("所需积分"))
    stock = models.PositiveIntegerField(_("库存"))
    sponsor = models.CharField(_("提供单位"), max_length=100, blank=True)
    active = models.BooleanField(_("上架"), default=True)
    version = models.PositiveIntegerField(default=0)

    # Items on the shelf are open to every member and unit (volunteer.join); who
    # may redeem which is the redeem service's rule (one's own community's mall).
    scope = Scope(
        place="community",
        open_permission="volunteer.join",
        open_rows=lambda: models.Q(active=True),
    )
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["points", "pk"]
        verbose_name = _("积分商品")
        verbose_name_plural = _("积分商品")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(stock__gte=0), name="mall_stock_not_negative"
            )
        ]

    def __str__(self):
        return self.name


class RedemptionStatus(models.TextChoices):
    PLACED = "placed", _("待领取")
    DELIVERED = "delivered", _("已领取")
    CANCELLED = "cancelled", _("已取消")


class Redemption(models.Model):
    item = models.ForeignKey(
        MallItem,
        on_delete=models.PROTECT,
        related_name="redemptions",
        verbose_name=_("商品"),
    )
    volunteer = models.ForeignKey(
        "Volunteer",
        on_delete=models.PROTECT,
        related_name="redemptions",
        verbose_name=_("志愿者"),
    )
    quantity = models.PositiveIntegerField(_("数量"), default=1)
    points = models.PositiveIntegerField(_("消耗积分"))
    status = models.CharField(
        _("状态"),
        max_length=16,
        choices=RedemptionStatus.choices,
        default=RedemptionStatus.PLACED,
    )
    created_at = models.DateTimeField(_("兑换时间"), auto_now_add=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("经办人"),
    )
    handled_at = models.DateTimeField(_("办理时间"), null=True, blank=True)

    scope = Scope(place="item__community", self_field="volunteer__user")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("积分兑换")
        verbose_name_plural = _("积分兑换")

    def __str__(self):
        return f"{self.volunteer} {self.item} ×{self.quantity}"
