"""红色物业: indicator sets per period, household ratings, the two-way ratings of
community and property company, and the quarterly 红黑榜 with its 约谈."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jiceng.core.scope import Scope, ScopedQuerySet

__all__ = [
    "LOW_SCORE",
    "Board",
    "Direction",
    "Indicator",
    "IndicatorSet",
    "IndicatorSource",
    "Interview",
    "MutualRating",
    "Ranking",
    "RankingEntry",
    "RankingStatus",
    "Rating",
]

LOW_SCORE = 2  # a score of 1 or 2 (out of 5) needs a reason


class IndicatorSource(models.TextChoices):
    RESIDENT = "resident", _("居民评价")
    COMMUNITY = "community", _("社区评价")
    CASE = "case", _("事件办理（客观）")


class IndicatorSet(models.Model):
    """The indicators and weights of one period (2026Q4), set by the district."""

    period = models.CharField(_("期次"), max_length=8, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-period"]
        verbose_name = _("红色物业指标体系")
        verbose_name_plural = verbose_name

    def __str__(self):
        return f"{self.period} {self.name}"

    def get_absolute_url(self):
        return reverse("assessment:indicator_set", args=[self.period])


class Indicator(models.Model):
    indicator_set = models.ForeignKey(
        IndicatorSet, on_delete=models.CASCADE, related_name="indicators"
    )
    code = models.SlugField(_("代码"), max_length=32)
    name = models.CharField(_("指标"), max_length=60)
    source = models.CharField(_("来源"), max_length=12, choices=IndicatorSource.choices)
    # Weights of one set add up to 100 (checked by the service).
    weight = models.DecimalField(_("权重"), max_digits=5, decimal_places=2)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["indicator_set", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator_set", "code"], name="assessment_indicator_code"
            )
        ]

    def __str__(self):
        return f"{self.name}（{self.weight}）"


class Rating(models.Model):
    """One household's rating of its compound's property company in one period."""

    company = models.ForeignKey(
        "people.Unit", on_delete=models.PROTECT, related_name="property_ratings"
    )
    compound = models.ForeignKey(
        "places.Place", on_delete=models.PROTECT, related_name="+"
    )
    household = models.ForeignKey(
        "people.Household", on_delete=models.PROTECT, related_name="+"
    )
    period = models.CharField(_("期次"), max_length=8)
    scores = models.JSONField(_("各项评分"), default=dict)  # code -> 1..5
    score = models.DecimalField(_("得分"), max_digits=5, decimal_places=2)  # 0..100
    reason = models.CharField(_("低分理由"), max_length=200, blank=True)
    rated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    scope = Scope(place="compound", unit="company", self_field="rated_by")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("居民评价")
        verbose_name_plural = verbose_name
        constraints = [
            models.UniqueConstraint(
                fields=["household", "period"], name="assessment_one_rating_per_home"
            )
        ]
        indexes = [models.Index(fields=["period", "company"])]

    def __str__(self):
        return f"{self.company} {self.period} {self.score}"

    def get_absolute_url(self):
        return reverse("assessment:rating_detail", args=[self.pk])


class Direction(models.TextChoices):
    COMMUNITY_RATES = "community", _("社区评物业")
    COMPANY_RATES = "company", _("物业评社区支持")


class MutualRating(models.Model):
    """双向评价: the community rates the company, the company the community."""

    direction = models.CharField(_("方向"), max_length=10, choices=Direction.choices)
    company = models.ForeignKey(
        "people.Unit", on_delete=models.PROTECT, related_name="+"
    )
    community = models.ForeignKey(
        "places.Place", on_delete=models.PROTECT, related_name="+"
    )
    period = models.CharField(_("期次"), max_length=8)
    score = models.DecimalField(_("得分"), max_digits=5, decimal_places=2)  # 0..100
    comment = models.CharField(_("评语"), max_length=300, blank=True)
    rated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    scope = Scope(place="community", unit="company")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-period", "community"]
        verbose_name = _("双向评价")
        verbose_name_plural = verbose_name
        constraints = [
            models.UniqueConstraint(
                fields=["direction", "company", "community", "period"],
                name="assessment_one_mutual_rating",
            )
        ]

    def __str__(self):
        return f"{self.get_direction_display()} {self.company} {self.period}"


class RankingStatus(models.TextChoices):
    DRAFT = "draft", _("草稿（已计算）")
    APPROVED = "approved", _("街道已审定")
    PUBLISHED = "published", _("已公布")


class Board(models.TextChoices):
    RED = "red", _("红榜")
    BLACK = "black", _("黑榜")
    NONE = "", _("—")


class Ranking(models.Model):
    """A quarter's 红黑榜 of one street (or the district): computed, approved by
    the street, then published on the public page."""

    place = models.ForeignKey(
        "places.Place", on_delete=models.PROTECT, related_name="+"
    )
    period = models.CharField(_("期次"), max_length=8)
    status = models.CharField(
        _("状态"),
        max_length=10,
        choices=RankingStatus.choices,
        default=RankingStatus.DRAFT,
    )
    computed_at = models.DateTimeField(default=timezone.now)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    scope = Scope(place="place")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-period", "place__path"]
        verbose_name = _("红黑榜")
        verbose_name_plural = verbose_name
        constraints = [
            models.UniqueConstraint(
                fields=["place", "period"], name="assessment_one_ranking"
            )
        ]

    def __str__(self):
        return f"{self.place}{self.period}红黑榜"

    def get_absolute_url(self):
        return reverse("assessment:ranking_detail", args=[self.pk])


class RankingEntry(models.Model):
    ranking = models.ForeignKey(Ranking, on_delete=models.CASCADE, related_name="rows")
    company = models.ForeignKey(
        "people.Unit", on_delete=models.PROTECT, related_name="ranking_entries"
    )
    ratings = models.PositiveIntegerField(_("评价户数"), default=0)
    resident_score = models.DecimalField(max_digits=5, decimal_places=2, null=True)
    community_score = models.DecimalField(max_digits=5, decimal_places=2, null=True)
    case_score = models.DecimalField(max_digits=5, decimal_places=2, null=True)
    figures = models.JSONField(default=dict)  # per indicator: raw value (0..100)
    score = models.DecimalField(_("综合得分"), max_digits=5, decimal_places=2)
    normalised = models.DecimalField(_("标准分"), max_digits=5, decimal_places=2)
    stars = models.PositiveSmallIntegerField(_("星级"))
    rank = models.PositiveIntegerField(_("名次"))
    board = models.CharField(
        _("榜单"), max_length=5, choices=Board.choices, blank=True, default=""
    )

    scope = Scope(place="ranking__place", unit="company")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["ranking", "rank"]
        verbose_name = _("红黑榜条目")
        verbose_name_plural = verbose_name

    def __str__(self):
        return f"{self.rank}. {self.company} {self.score}"

    @property
    def star_text(self):
        return "★" * self.stars + "☆" * (5 - self.stars)


class Interview(models.Model):
    """约谈 of a black-listed company, with its rectification task (a ledger row)."""

    entry = models.OneToOneField(
        RankingEntry, on_delete=models.PROTECT, related_name="interview"
    )
    company = models.ForeignKey(
        "people.Unit", on_delete=models.PROTECT, related_name="+"
    )
    held_on = models.DateField(_("约谈日期"))
    interviewer = models.CharField(_("约谈人"), max_length=100)
    notes = models.TextField(_("约谈纪要"))
    problem = models.OneToOneField(
        "assessment.Problem",
        on_delete=models.PROTECT,
        related_name="interview",
        verbose_name=_("整改任务"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    scope = Scope(place="company__place", unit="company")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-held_on"]
        verbose_name = _("约谈记录")
        verbose_name_plural = verbose_name

    def __str__(self):
        return f"约谈{self.company}（{self.held_on:%Y-%m-%d}）"


def weight_total(indicators) -> Decimal:
    return sum((i.weight for i in indicators), Decimal(0))
