"""Activities: publish, sign up (capacity + waiting list), on-site check-in/out by a QR
code the organiser shows, hours from the check-in/out; 主题党日 monthly plans."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jiceng.core.scope import Scope, ScopedQuerySet
from jiceng.core.tokens import new_token


class ThemePlan(models.Model):
    """一月一主题: the month's theme for a community's 主题党日."""

    community = models.ForeignKey(
        "places.Place",
        on_delete=models.PROTECT,
        related_name="theme_plans",
        verbose_name=_("社区"),
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    month = models.PositiveSmallIntegerField(_("月份"))
    theme = models.CharField(_("主题"), max_length=100)
    content = models.TextField(_("内容安排"), blank=True)

    scope = Scope(place="community")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "-month"]
        verbose_name = _("主题党日计划")
        verbose_name_plural = _("主题党日计划")
        constraints = [
            models.UniqueConstraint(
                fields=["community", "year", "month"], name="theme_once_a_month"
            )
        ]

    def __str__(self):
        return f"{self.year}年{self.month}月 {self.theme}"


class ActivityKind(models.TextChoices):
    SERVICE = "service", _("志愿服务")
    THEME_DAY = "theme_day", _("主题党日")


class ActivityStatus(models.TextChoices):
    PUBLISHED = "published", _("报名中")
    CANCELLED = "cancelled", _("已取消")
    CLOSED = "closed", _("已结束")


class Recurrence(models.TextChoices):
    NONE = "", _("不重复")
    MONTHLY_SIXES = "sixes", _("逢六（每月6日、16日、26日）")
    WEEKLY = "weekly", _("每周同一天")


class ActivitySeries(models.Model):
    """A recurring activity (逢六上街, a weekly patrol): one rule, and one Activity
    per occurrence, so each date has its own sign-up, check-in and hours.

    Read through its occurrences (Activity's Scope); it has no page of its own."""

    community = models.ForeignKey(
        "places.Place",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("主办社区"),
    )
    title = models.CharField(_("活动名称"), max_length=120)
    recurrence = models.CharField(
        _("重复"), max_length=16, choices=Recurrence.choices[1:]
    )
    first_day = models.DateField(_("起始日期"))
    last_day = models.DateField(_("重复至"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("发布人"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-first_day", "-pk"]
        verbose_name = _("系列活动")
        verbose_name_plural = _("系列活动")

    def __str__(self):
        return f"{self.title}（{self.get_recurrence_display()}）"


def open_activity_rows() -> Q:
    """Published and not yet over: any joiner may see these and sign up."""
    return Q(status=ActivityStatus.PUBLISHED, ends_at__gt=timezone.now())


class ActivityQuerySet(ScopedQuerySet):
    def open(self):
        return self.filter(open_activity_rows())


class Activity(models.Model):
    title = models.CharField(_("活动名称"), max_length=120)
    kind = models.CharField(
        _("类型"), max_length=16, choices=ActivityKind.choices, default="service"
    )
    community = models.ForeignKey(
        "places.Place",
        on_delete=models.PROTECT,
        related_name="volunteer_activities",
        verbose_name=_("主办社区"),
    )
    venue = models.CharField(_("活动地点"), max_length=200)
    lat = models.FloatField(_("纬度"), null=True, blank=True)
    lng = models.FloatField(_("经度"), null=True, blank=True)
    checkin_radius = models.PositiveIntegerField(
        _("签到范围（米）"),
        null=True,
        blank=True,
        help_text=_("填写后签到时核对手机定位；不填则不核对位置"),
    )
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"))
    capacity = models.PositiveIntegerField(_("招募人数"))
    skills = models.CharField(_("技能要求"), max_length=200, blank=True)
    target_group = models.CharField(_("服务对象"), max_length=100, blank=True)
    description = models.TextField(_("活动内容"), blank=True)
    need = models.ForeignKey(
        "Need",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name=_("对应需求清单"),
    )
    project = models.ForeignKey(
        "Project",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name=_("对应项目"),
    )
    theme_plan = models.ForeignKey(
        ThemePlan,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name=_("主题党日计划"),
    )
    team = models.ForeignKey(
        "Team",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name=_("服务队"),
    )
    status = models.CharField(
        _("状态"),
        max_length=16,
        choices=ActivityStatus.choices,
        default=ActivityStatus.PUBLISHED,
        db_index=True,
    )
    series = models.ForeignKey(
        ActivitySeries,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="occurrences",
        verbose_name=_("系列活动"),
    )
    points_per_hour = models.PositiveIntegerField(_("每小时积分"), default=10)
    checkin_token = models.CharField(max_length=32, unique=True, default=new_token)
    version = models.PositiveIntegerField(default=0)
    organiser = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("发布人"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    # Staff see their communities' activities; members and units (volunteer.join)
    # also see every open activity of the district, wherever it is held.
    scope = Scope(
        place="community",
        open_permission="volunteer.join",
        open_rows=open_activity_rows,
    )
    objects = ActivityQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at", "-pk"]
        verbose_name = _("志愿活动")
        verbose_name_plural = _("志愿活动")
        indexes = [models.Index(fields=["status", "starts_at"])]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("volunteer:activity_detail", args=[self.pk])

    def get_checkin_url(self):
        return reverse("volunteer:checkin", args=[self.checkin_token])

    @property
    def is_open(self):
        """The per-row form of open_activity_rows()."""
        return self.status == ActivityStatus.PUBLISHED and self.ends_at > timezone.now()


class SignupStatus(models.TextChoices):
    SIGNED = "signed", _("已报名")
    WAITING = "waiting", _("候补")
    CANCELLED = "cancelled", _("已取消")


class Signup(models.Model):
    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="signups"
    )
    volunteer = models.ForeignKey(
        "Volunteer",
        on_delete=models.PROTECT,
        related_name="signups",
        verbose_name=_("志愿者"),
    )
    status = models.CharField(
        _("状态"), max_length=16, choices=SignupStatus.choices, db_index=True
    )
    signed_at = models.DateTimeField(_("报名时间"), auto_now_add=True)
    checked_in_at = models.DateTimeField(_("签到时间"), null=True, blank=True)
    checked_out_at = models.DateTimeField(_("签退时间"), null=True, blank=True)
    hours = models.OneToOneField(
        "ServiceHours",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="signup",
    )

    scope = Scope(place="activity__community", self_field="volunteer__user")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["signed_at", "pk"]
        verbose_name = _("报名")
        verbose_name_plural = _("报名")
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "volunteer"], name="signup_once"
            )
        ]

    def __str__(self):
        return f"{self.volunteer} · {self.activity}"
