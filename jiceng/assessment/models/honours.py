"""Honours (nomination → review → publicity → award) and the annual 述职评议 of
community secretaries."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jiceng.core.scope import Scope, ScopedQuerySet

__all__ = [
    "Appraisal",
    "AppraisalScore",
    "Grade",
    "Honour",
    "HonourKind",
    "HonourStatus",
    "ScorerKind",
]


class HonourKind(models.TextChoices):
    MOST_BEAUTIFUL = "most_beautiful", _("最美系列")
    ADVANCED_ORG = "advanced_org", _("先进基层党组织")
    NEW_WORKER = "new_worker", _("优秀新就业群体")
    GRID_WORKER = "grid_worker", _("优秀网格员")
    RED_PROPERTY = "red_property", _("红色物业示范")


class HonourStatus(models.TextChoices):
    NOMINATED = "nominated", _("已推荐")
    REVIEWED = "reviewed", _("审核通过")
    PUBLICITY = "publicity", _("公示中")
    AWARDED = "awarded", _("已授予")
    REJECTED = "rejected", _("未通过")


class Honour(models.Model):
    kind = models.CharField(_("荣誉类别"), max_length=16, choices=HonourKind.choices)
    year = models.PositiveSmallIntegerField(_("年度"))
    title = models.CharField(_("荣誉称号"), max_length=100)
    nominee = models.CharField(_("推荐对象"), max_length=100)
    resident = models.ForeignKey(
        "people.Resident",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    party_org = models.ForeignKey(
        "party.PartyOrg",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    unit = models.ForeignKey(
        "people.Unit", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    place = models.ForeignKey(
        "places.Place",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("推荐单位辖区"),
    )
    deeds = models.TextField(_("主要事迹"))
    status = models.CharField(
        _("状态"),
        max_length=10,
        choices=HonourStatus.choices,
        default=HonourStatus.NOMINATED,
    )
    publicity_until = models.DateField(_("公示截止"), null=True, blank=True)
    awarded_on = models.DateField(_("授予日期"), null=True, blank=True)
    nominated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    scope = Scope(place="place")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "kind", "pk"]
        verbose_name = _("荣誉表彰")
        verbose_name_plural = verbose_name

    def __str__(self):
        return f"{self.year}年{self.title}：{self.nominee}"

    def get_absolute_url(self):
        return reverse("assessment:honour_detail", args=[self.pk])


class Grade(models.TextChoices):
    EXCELLENT = "excellent", _("好")
    GOOD = "good", _("较好")
    FAIR = "fair", _("一般")
    POOR = "poor", _("差")


class Appraisal(models.Model):
    """述职评议: a community secretary's annual report, scored by the street and
    by residents' representatives, ending in a grade."""

    community = models.ForeignKey(
        "places.Place", on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    secretary = models.CharField(_("社区书记"), max_length=50)
    report = models.TextField(_("述职报告"))
    street_score = models.DecimalField(
        _("街道评分"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    resident_score = models.DecimalField(
        _("居民代表评分"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    total = models.DecimalField(
        _("综合得分"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    grade = models.CharField(
        _("评议等次"), max_length=10, choices=Grade.choices, blank=True
    )
    created_at = models.DateTimeField(default=timezone.now)

    scope = Scope(place="community")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "community"]
        verbose_name = _("述职评议")
        verbose_name_plural = verbose_name
        constraints = [
            models.UniqueConstraint(
                fields=["community", "year"], name="assessment_one_appraisal"
            )
        ]

    def __str__(self):
        return f"{self.year}年{self.community}书记{self.secretary}述职评议"

    def get_absolute_url(self):
        return reverse("assessment:appraisal_detail", args=[self.pk])


class ScorerKind(models.TextChoices):
    STREET = "street", _("街道党工委")
    RESIDENT = "resident", _("居民代表")


class AppraisalScore(models.Model):
    appraisal = models.ForeignKey(
        Appraisal, on_delete=models.CASCADE, related_name="scores"
    )
    kind = models.CharField(max_length=10, choices=ScorerKind.choices)
    scorer = models.CharField(_("评分人"), max_length=50)
    score = models.DecimalField(_("分数"), max_digits=5, decimal_places=2)

    class Meta:
        ordering = ["appraisal", "kind", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["appraisal", "kind", "scorer"], name="assessment_one_score"
            )
        ]

    def __str__(self):
        return f"{self.scorer} {self.score}"
