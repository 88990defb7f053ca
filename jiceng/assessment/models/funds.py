"""Community funds: budgets by source per year, and spending linked to projects,
activities and 微心愿, with balance and execution rate."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jiceng.core.scope import Scope, ScopedQuerySet

__all__ = ["Budget", "FundSource", "Spending"]


class FundSource(models.TextChoices):
    COMMUNITY = "community", _("社区经费")
    SERVICE = "service", _("为民服务专项经费")
    AWARD = "award", _("以奖代补")
    LEADER = "leader", _("市领导联系社区经费")


class Budget(models.Model):
    community = models.ForeignKey(
        "places.Place", on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    source = models.CharField(_("经费来源"), max_length=10, choices=FundSource.choices)
    amount = models.DecimalField(_("预算金额（元）"), max_digits=12, decimal_places=2)
    note = models.CharField(_("说明"), max_length=200, blank=True)

    scope = Scope(place="community")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "community", "source"]
        verbose_name = _("社区经费预算")
        verbose_name_plural = verbose_name
        constraints = [
            models.UniqueConstraint(
                fields=["community", "year", "source"], name="assessment_one_budget"
            )
        ]

    def __str__(self):
        return f"{self.community}{self.year}年{self.get_source_display()}"


class Spending(models.Model):
    budget = models.ForeignKey(Budget, on_delete=models.PROTECT, related_name="spent")
    spent_on = models.DateField(_("支出日期"))
    amount = models.DecimalField(_("金额（元）"), max_digits=12, decimal_places=2)
    purpose = models.CharField(_("用途"), max_length=200)
    application = models.ForeignKey(
        "assessment.Application",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("关联项目"),
    )
    activity = models.ForeignKey(
        "volunteer.Activity",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("关联活动"),
    )
    wish = models.ForeignKey(
        "volunteer.Wish",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("关联微心愿"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    scope = Scope(place="budget__community")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-spent_on", "pk"]
        verbose_name = _("经费支出")
        verbose_name_plural = verbose_name

    def __str__(self):
        return f"{self.purpose} {self.amount}"
