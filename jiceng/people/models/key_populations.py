"""Key populations (重点人群): a configurable taxonomy and tags on residents.

分类动态管理: each tag carries why, who tagged, who reviews and when next; reviews
are appended, and an ended tag stays in the history — nothing is overwritten.
Each category has a sensitivity level, and roles see tags up to their level.
"""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jiceng.core.roles import ROLE_TAG_SENSITIVITY
from jiceng.core.scope import Scope, ScopedQuerySet


class Sensitivity(models.IntegerChoices):
    ORDINARY = 1, _("一般")
    SENSITIVE = 2, _("敏感")
    RESTRICTED = 3, _("高度敏感")


def role_sensitivity(role) -> int:
    """The most sensitive category level a role may see (0 = no tags at all)."""
    return ROLE_TAG_SENSITIVITY.get(role, 0)


def within_sensitivity(grant):
    """ResidentTag's refinement: a place grant opens the tags up to its role's level
    (a building lead sees only the ordinary categories), or none."""
    level = role_sensitivity(grant.role)
    return models.Q(category__sensitivity__lte=level) if level else None


class KeyPopulation(models.Model):
    """A category such as 独居老人 or 社区矫正对象, configured by administrators."""

    code = models.SlugField(_("代码"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=50, unique=True)
    sensitivity = models.PositiveSmallIntegerField(
        _("敏感级别"), choices=Sensitivity.choices, default=Sensitivity.ORDINARY
    )
    review_days = models.PositiveIntegerField(
        _("复核周期（天）"), default=180, help_text=_("到期前需入户或核实")
    )
    description = models.CharField(_("说明"), max_length=200, blank=True)
    active = models.BooleanField(_("启用"), default=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("重点人群类别")
        verbose_name_plural = _("重点人群类别")

    def __str__(self):
        return self.name

    def next_review_from(self, day):
        return day + timedelta(days=self.review_days)


class ResidentTag(models.Model):
    """One resident in one category for a period; ended tags stay as history."""

    resident = models.ForeignKey(
        "people.Resident",
        on_delete=models.CASCADE,
        related_name="tags",
        verbose_name=_("居民"),
    )
    category = models.ForeignKey(
        KeyPopulation,
        on_delete=models.PROTECT,
        related_name="tags",
        verbose_name=_("类别"),
    )
    reason = models.CharField(_("认定依据"), max_length=300)
    tagged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("认定人"),
    )
    tagged_on = models.DateField(_("认定日期"))
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("复核责任人"),
    )
    next_review_on = models.DateField(_("下次复核日期"), db_index=True)
    ended_on = models.DateField(_("解除日期"), null=True, blank=True)
    ended_reason = models.CharField(_("解除原因"), max_length=300, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("解除人"),
    )

    scope = Scope(
        place="resident__place",
        place_path="resident__place_path",
        refine=within_sensitivity,
    )
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-tagged_on", "-pk"]
        verbose_name = _("重点人群标签")
        verbose_name_plural = _("重点人群标签")
        constraints = [
            # One open tag per resident and category; history rows have ended_on set.
            models.UniqueConstraint(
                fields=["resident", "category"],
                condition=models.Q(ended_on=None),
                name="one_open_tag_per_category",
            )
        ]
        indexes = [models.Index(fields=["ended_on", "next_review_on"])]

    def __str__(self):
        return f"{self.resident} · {self.category}"

    @property
    def active(self):
        return self.ended_on is None


class TagReview(models.Model):
    """A periodic check of a tag: kept (with the next date) or ended."""

    tag = models.ForeignKey(
        ResidentTag,
        on_delete=models.CASCADE,
        related_name="reviews",
        verbose_name=_("标签"),
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("复核人"),
    )
    reviewed_on = models.DateField(_("复核日期"))
    kept = models.BooleanField(_("继续认定"))
    note = models.CharField(_("复核情况"), max_length=300)
    next_review_on = models.DateField(_("下次复核日期"), null=True, blank=True)

    class Meta:
        ordering = ["-reviewed_on", "-pk"]
        verbose_name = _("复核记录")
        verbose_name_plural = _("复核记录")

    def __str__(self):
        return f"{self.tag} @ {self.reviewed_on}"
