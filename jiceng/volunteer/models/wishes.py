"""微心愿: collected for residents in need, reviewed, published on the wish wall,
claimed (one claimant or split into shares), fulfilled with photo evidence and
confirmed by the beneficiary or the grid worker. Stale claims are released.

The wall shows only what the resident consented to publish: the public title and
story and an alias; the resident record and any key-population tag never leave the
staff pages.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from jiceng.core.scope import Scope, ScopedQuerySet
from jiceng.core.tokens import new_token


class WishCategory(models.TextChoices):
    LIVING = "living", _("生活物资")
    HEALTH = "health", _("健康关爱")
    STUDY = "study", _("学习助学")
    COMPANY = "company", _("陪伴探访")
    REPAIR = "repair", _("家居维修")
    OTHER = "other", _("其他")


# A wish is split into at most this many shares, and done within this many days
# of its claim (the form, the API and the service all hold to these).
MAX_SHARES = 20
MAX_CLAIM_DAYS = 90


class WishStatus(models.TextChoices):
    COLLECTED = "collected", _("待审核")
    PUBLISHED = "published", _("待认领")
    CLAIMED = "claimed", _("已认领")
    FULFILLED = "fulfilled", _("待确认")
    DONE = "done", _("已实现")
    REJECTED = "rejected", _("未通过审核")


PUBLIC_WISH_STATUSES = (
    WishStatus.PUBLISHED,
    WishStatus.CLAIMED,
    WishStatus.FULFILLED,
    WishStatus.DONE,
)


class WishCampaign(models.Model):
    """A community's yearly 微心愿 campaign: wishes gathered in one period at the start
    of the year (入户走访, 心愿热线), fulfilled by a deadline, its progress shown on
    its own public wall. Wishes collected in the period belong to it.

    Public like the wish wall it belongs to; managed through its community (the
    services check the manager's place)."""

    community = models.ForeignKey(
        "places.Place",
        on_delete=models.PROTECT,
        related_name="wish_campaigns",
        verbose_name=_("社区"),
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    title = models.CharField(_("名称"), max_length=100)
    collect_from = models.DateField(_("征集开始"))
    collect_until = models.DateField(_("征集截止"))
    fulfil_until = models.DateField(_("完成期限"))
    hotline = models.CharField(_("心愿热线"), max_length=30, blank=True)
    description = models.TextField(_("说明"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("发起人"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "community__path"]
        verbose_name = _("微心愿征集活动")
        verbose_name_plural = _("微心愿征集活动")
        constraints = [
            models.UniqueConstraint(
                fields=["community", "year"], name="wish_campaign_once_a_year"
            )
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("volunteer:campaign_wall", args=[self.pk])


class WishQuerySet(ScopedQuerySet):
    def public(self):
        """What the wish wall shows to anyone: published and consented to.

        The one definition of the wall: its pages, the API, the confirmation link
        and the workbench count all start here; Wish.is_public says the same per row.
        """
        return self.filter(status__in=PUBLIC_WISH_STATUSES, consent=True)


class Wish(models.Model):
    title = models.CharField(_("心愿"), max_length=100)
    story = models.TextField(_("心愿说明（公开）"), blank=True)
    category = models.CharField(_("类别"), max_length=16, choices=WishCategory.choices)
    place = models.ForeignKey(
        "places.Place",
        on_delete=models.PROTECT,
        related_name="wishes",
        verbose_name=_("所在网格/楼栋"),
    )
    beneficiary = models.ForeignKey(
        "people.Resident",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("心愿人"),
    )
    alias = models.CharField(
        _("公开称呼"), max_length=30, help_text=_("如“李奶奶”，不公开真实姓名")
    )
    consent = models.BooleanField(
        _("本人同意公开"),
        default=False,
        help_text=_("心愿人同意在心愿墙公开心愿内容和称呼"),
    )
    estimated_cost = models.DecimalField(
        _("预计金额（元）"), max_digits=8, decimal_places=2, default=0
    )
    shares = models.PositiveSmallIntegerField(
        _("可分份认领"), default=1, help_text=_("1 表示由一人/一个单位认领")
    )
    claim_days = models.PositiveSmallIntegerField(_("认领后完成期限（天）"), default=14)
    status = models.CharField(
        _("状态"),
        max_length=16,
        choices=WishStatus.choices,
        default=WishStatus.COLLECTED,
        db_index=True,
    )
    collected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("征集人"),
    )
    collected_at = models.DateTimeField(_("征集时间"), auto_now_add=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("审核人"),
    )
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    done_at = models.DateTimeField(_("实现时间"), null=True, blank=True)
    confirm_token = models.CharField(max_length=24, unique=True, default=new_token)
    confirmed_by_name = models.CharField(_("确认人"), max_length=50, blank=True)
    feedback = models.CharField(_("心愿人反馈"), max_length=300, blank=True)
    campaign = models.ForeignKey(
        WishCampaign,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="wishes",
        verbose_name=_("年度征集"),
    )
    version = models.PositiveIntegerField(default=0)

    scope = Scope(place="place")
    objects = WishQuerySet.as_manager()

    class Meta:
        ordering = ["-collected_at", "-pk"]
        verbose_name = _("微心愿")
        verbose_name_plural = _("微心愿")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("volunteer:wish_detail", args=[self.pk])

    @property
    def is_public(self):
        """The per-row form of Wish.objects.public()."""
        return self.consent and self.status in PUBLIC_WISH_STATUSES


class ClaimStatus(models.TextChoices):
    ACTIVE = "active", _("认领中")
    FULFILLED = "fulfilled", _("已完成")
    RELEASED = "released", _("超期释放")
    WITHDRAWN = "withdrawn", _("已放弃")


class WishClaim(models.Model):
    wish = models.ForeignKey(Wish, on_delete=models.CASCADE, related_name="claims")
    volunteer = models.ForeignKey(
        "Volunteer",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="wish_claims",
        verbose_name=_("认领党员/志愿者"),
    )
    unit = models.ForeignKey(
        "people.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="wish_claims",
        verbose_name=_("认领单位"),
    )
    team = models.ForeignKey(
        "Team",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="wish_claims",
        verbose_name=_("认领服务队"),
    )
    claimant_name = models.CharField(_("认领方"), max_length=120)
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("认领账号"),
    )
    status = models.CharField(
        _("状态"),
        max_length=16,
        choices=ClaimStatus.choices,
        default=ClaimStatus.ACTIVE,
        db_index=True,
    )
    claimed_at = models.DateTimeField(_("认领时间"), auto_now_add=True)
    due_at = models.DateTimeField(_("完成期限"))
    fulfilled_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    note = models.CharField(_("完成说明"), max_length=300, blank=True)
    photo = models.ImageField(upload_to="volunteer/wishes/%Y/%m/", blank=True)
    thumbnail = models.ImageField(upload_to="volunteer/wishes/%Y/%m/t/", blank=True)

    scope = Scope(place="wish__place", unit="unit", self_field="claimed_by")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["claimed_at", "pk"]
        verbose_name = _("心愿认领")
        verbose_name_plural = _("心愿认领")

    def __str__(self):
        return f"{self.claimant_name} · {self.wish}"


class WishEvent(models.Model):
    """Public progress of a wish (shown on the wall without personal names)."""

    wish = models.ForeignKey(Wish, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=16)
    text = models.CharField(max_length=200)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self):
        return self.text
