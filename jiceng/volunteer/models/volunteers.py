"""Volunteers, teams, service hours and star tiers.

A Volunteer is the service profile of one account (a party member or any resident).
Its cached totals (hours, points) are updated in the same transaction as the rows
they summarise; the hours records and the points ledger stay the source of truth.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from jiceng.core.scope import Scope, ScopedQuerySet

# 星级志愿者 by cumulative confirmed hours.
STAR_TIERS = [
    (5, Decimal(1500), _("五星")),
    (4, Decimal(1000), _("四星")),
    (3, Decimal(600), _("三星")),
    (2, Decimal(300), _("二星")),
    (1, Decimal(100), _("一星")),
]


def star_for(hours) -> int:
    for stars, threshold, _label in STAR_TIERS:
        if hours >= threshold:
            return stars
    return 0


def star_label(stars: int) -> str:
    for tier, _threshold, label in STAR_TIERS:
        if tier == stars:
            return str(label)
    return "未评星"


def next_tier(hours):
    """(label, hours still to serve) of the next star, or None at five stars."""
    for _stars, threshold, label in reversed(STAR_TIERS):
        if hours < threshold:
            return str(label), threshold - hours
    return None


class TimeSlot(models.TextChoices):
    WEEKDAY = "weekday", _("工作日白天")
    EVENING = "evening", _("工作日晚间")
    WEEKEND = "weekend", _("周末")


def time_slot_labels(value):
    """ "weekday,weekend" → "工作日白天、周末" ("" when any time will do)."""
    labels = dict(TimeSlot.choices)
    return "、".join(
        str(labels.get(code.strip(), code.strip()))
        for code in value.split(",")
        if code.strip()
    )


class Volunteer(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="volunteer",
        verbose_name=_("账号"),
    )
    resident = models.ForeignKey(
        "people.Resident",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("居民"),
    )
    member = models.ForeignKey(
        "party.PartyMember",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("党员"),
    )
    name = models.CharField(_("姓名"), max_length=50)
    community = models.ForeignKey(
        "places.Place",
        on_delete=models.PROTECT,
        related_name="volunteers",
        verbose_name=_("所在社区"),
    )
    unit = models.ForeignKey(
        "people.Unit",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="volunteers",
        verbose_name=_("工作单位"),
    )
    skills = models.CharField(
        _("特长技能"), max_length=200, blank=True, help_text=_("用顿号或逗号分隔")
    )
    available = models.CharField(
        _("可服务时间"),
        max_length=60,
        blank=True,
        help_text=_("weekday/evening/weekend"),
    )
    # Cached totals, written with every hours confirmation / ledger append.
    hours_total = models.DecimalField(
        _("累计服务时长"), max_digits=9, decimal_places=1, default=Decimal(0)
    )
    points_balance = models.IntegerField(_("积分余额"), default=0)
    points_earned = models.IntegerField(_("累计获得积分"), default=0)
    ledger_seq = models.PositiveIntegerField(default=0)
    joined_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    scope = Scope(place="community", unit="unit", self_field="user")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["community_id", "name", "pk"]
        verbose_name = _("志愿者")
        verbose_name_plural = _("志愿者")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("volunteer:volunteer_detail", args=[self.pk])

    @property
    def stars(self):
        return star_for(self.hours_total)

    @property
    def star_label(self):
        return star_label(self.stars)

    @property
    def is_party_member(self):
        return self.member_id is not None

    def skill_set(self):
        return split_tags(self.skills)


def split_tags(text):
    for sep in "，、;；/":
        text = (text or "").replace(sep, ",")
    return {t.strip() for t in text.split(",") if t.strip()}


class TeamKind(models.TextChoices):
    PARTY = "party", _("党员服务队")
    VOLUNTEER = "volunteer", _("志愿服务队")


class Team(models.Model):
    name = models.CharField(_("队伍名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=16, choices=TeamKind.choices)
    community = models.ForeignKey(
        "places.Place",
        on_delete=models.PROTECT,
        related_name="volunteer_teams",
        verbose_name=_("所属社区"),
    )
    leader = models.ForeignKey(
        Volunteer,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="led_teams",
        verbose_name=_("队长"),
    )
    specialities = models.CharField(_("服务特长"), max_length=200, blank=True)
    description = models.TextField(_("简介"), blank=True)
    members = models.ManyToManyField(
        Volunteer, blank=True, related_name="teams", verbose_name=_("队员")
    )
    active = models.BooleanField(_("在册"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=0)

    scope = Scope(place="community")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["community_id", "name"]
        verbose_name = _("服务队")
        verbose_name_plural = _("服务队")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("volunteer:team_detail", args=[self.pk])


class HoursSource(models.TextChoices):
    ACTIVITY = "activity", _("活动签到")
    SELF = "self", _("自主申报")
    WISH = "wish", _("微心愿")


class HoursStatus(models.TextChoices):
    PENDING = "pending", _("待确认")
    CONFIRMED = "confirmed", _("已确认")
    REJECTED = "rejected", _("未通过")


class ServiceHours(models.Model):
    """One stretch of service. Overlapping stretches of one volunteer are refused, so
    no hour is counted twice."""

    volunteer = models.ForeignKey(
        Volunteer,
        on_delete=models.PROTECT,
        related_name="hours",
        verbose_name=_("志愿者"),
    )
    community = models.ForeignKey(
        "places.Place",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("服务社区"),
    )
    source = models.CharField(_("来源"), max_length=16, choices=HoursSource.choices)
    activity = models.ForeignKey(
        "Activity",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="hours",
        verbose_name=_("活动"),
    )
    title = models.CharField(_("服务内容"), max_length=200)
    started_at = models.DateTimeField(_("开始时间"))
    ended_at = models.DateTimeField(_("结束时间"))
    hours = models.DecimalField(_("时长（小时）"), max_digits=6, decimal_places=1)
    evidence = models.ImageField(
        _("佐证照片"), upload_to="volunteer/hours/%Y/%m/", blank=True
    )
    evidence_note = models.CharField(_("佐证说明"), max_length=300, blank=True)
    status = models.CharField(
        _("状态"),
        max_length=16,
        choices=HoursStatus.choices,
        default=HoursStatus.PENDING,
        db_index=True,
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("确认人"),
    )
    decided_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    decision_note = models.CharField(_("确认意见"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("申报时间"), auto_now_add=True)
    version = models.PositiveIntegerField(default=0)

    scope = Scope(
        place="community", unit="volunteer__unit", self_field="volunteer__user"
    )
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at", "-pk"]
        verbose_name = _("服务时长")
        verbose_name_plural = _("服务时长")
        indexes = [models.Index(fields=["volunteer", "started_at"])]

    def __str__(self):
        return f"{self.volunteer} {self.title} {self.hours}小时"
