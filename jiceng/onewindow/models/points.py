"""Service points on the map (党群服务中心, 驿站, 骑士之家, 红立方, 暖心驿站), the
appointment slots they open per item, the bookings, and 上门服务 requests."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jiceng.core.scope import Scope, ScopedQuerySet


class PointKind(models.TextChoices):
    PARTY_CENTER = "party_center", _("党群服务中心")
    STATION = "station", _("驿站")
    RIDER_HOME = "rider_home", _("骑士之家")
    RED_CUBE = "red_cube", _("红立方")
    WARM_STATION = "warm_station", _("暖心驿站")


AMENITIES = [
    ("water", _("饮水")),
    ("charging", _("充电")),
    ("rest", _("休息")),
    ("toilet", _("如厕")),
    ("microwave", _("微波炉")),
]


def active_points() -> Q:
    return Q(active=True)


class ServicePoint(models.Model):
    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=16, choices=PointKind.choices)
    place = models.ForeignKey(
        "places.Place",
        on_delete=models.PROTECT,
        related_name="service_points",
        verbose_name=_("所属街道/社区"),
    )
    address = models.CharField(_("地址"), max_length=200)
    lat = models.FloatField(_("纬度"))
    lng = models.FloatField(_("经度"))
    hours = models.CharField(_("开放时间"), max_length=100, default="08:30-17:30")
    water = models.BooleanField(_("饮水"), default=False)
    charging = models.BooleanField(_("充电"), default=False)
    rest = models.BooleanField(_("休息"), default=False)
    toilet = models.BooleanField(_("如厕"), default=False)
    microwave = models.BooleanField(_("微波炉"), default=False)
    contact_name = models.CharField(_("联系人"), max_length=50, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    description = models.CharField(_("简介"), max_length=300, blank=True)
    photo = models.ImageField(_("照片"), upload_to="onewindow/points/", blank=True)
    items = models.ManyToManyField(
        "ServiceItem",
        blank=True,
        related_name="points",
        verbose_name=_("可预约事项"),
    )
    active = models.BooleanField(_("开放"), default=True)
    version = models.PositiveIntegerField(default=1)

    # Staff keep their subtree's points; everyone who serves or is served finds the
    # open ones anywhere in the district.
    scope = Scope(
        place="place", open_permission="onewindow.view", open_rows=active_points
    )
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("服务阵地")
        verbose_name_plural = _("服务阵地")
        indexes = [models.Index(fields=["lat", "lng"])]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("onewindow:point_detail", args=[self.pk])

    @property
    def amenities(self) -> list[str]:
        return [str(label) for key, label in AMENITIES if getattr(self, key)]


def future_slots() -> Q:
    return Q(starts_at__gt=timezone.now())


class Slot(models.Model):
    """An appointment time at a point for an item; booked never passes capacity
    (a check constraint, and bookings take a place by one conditional update)."""

    point = models.ForeignKey(
        ServicePoint, on_delete=models.CASCADE, related_name="slots"
    )
    item = models.ForeignKey(
        "ServiceItem", on_delete=models.CASCADE, related_name="slots"
    )
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"))
    capacity = models.PositiveSmallIntegerField(_("可约人数"))
    booked = models.PositiveSmallIntegerField(_("已约人数"), default=0)

    scope = Scope(
        place="point__place", open_permission="onewindow.book", open_rows=future_slots
    )
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("预约时段")
        verbose_name_plural = _("预约时段")
        constraints = [
            models.UniqueConstraint(
                fields=["point", "item", "starts_at"], name="slot_once"
            ),
            models.CheckConstraint(
                condition=Q(booked__lte=F("capacity")), name="slot_not_overbooked"
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="slot_ends_after_start"
            ),
        ]

    def __str__(self):
        local = timezone.localtime(self.starts_at)
        return f"{local:%m-%d %H:%M} {self.item}"

    @property
    def left(self) -> int:
        return max(self.capacity - self.booked, 0)


class AppointmentStatus(models.TextChoices):
    BOOKED = "booked", _("已预约")
    CANCELLED = "cancelled", _("已取消")
    ATTENDED = "attended", _("已到场")
    NO_SHOW = "no_show", _("爽约")


class Appointment(models.Model):
    slot = models.ForeignKey(Slot, on_delete=models.PROTECT, related_name="bookings")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("预约人"), max_length=50)
    status = models.CharField(
        _("状态"),
        max_length=16,
        choices=AppointmentStatus.choices,
        default=AppointmentStatus.BOOKED,
        db_index=True,
    )
    booked_at = models.DateTimeField(_("预约时间"), auto_now_add=True)
    reminded_at = models.DateTimeField(_("提醒时间"), null=True, blank=True)

    scope = Scope(place="slot__point__place", self_field="user")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["slot__starts_at", "pk"]
        verbose_name = _("预约")
        verbose_name_plural = _("预约")
        constraints = [
            models.UniqueConstraint(
                fields=["slot", "user"],
                condition=Q(status="booked"),
                name="appointment_once_per_slot",
            )
        ]

    def __str__(self):
        return f"{self.name} · {self.slot}"


class VisitReason(models.TextChoices):
    ELDERLY = "elderly", _("高龄/行动不便老人")
    DISABLED = "disabled", _("残疾人")


class VisitStatus(models.TextChoices):
    REQUESTED = "requested", _("待安排")
    SCHEDULED = "scheduled", _("已安排")
    DONE = "done", _("已上门")
    CANCELLED = "cancelled", _("已取消")


class HomeVisit(models.Model):
    """上门服务: the community sends staff or a volunteer to an elderly or disabled
    resident's home, for an item or a need."""

    resident = models.ForeignKey(
        "people.Resident",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("服务对象"),
    )
    place = models.ForeignKey(
        "places.Place", on_delete=models.PROTECT, related_name="+"
    )
    item = models.ForeignKey(
        "ServiceItem",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("办理事项"),
    )
    need = models.CharField(_("服务需求"), max_length=200)
    reason = models.CharField(_("上门原因"), max_length=16, choices=VisitReason.choices)
    preferred_on = models.DateField(_("希望日期"), null=True, blank=True)
    status = models.CharField(
        _("状态"),
        max_length=16,
        choices=VisitStatus.choices,
        default=VisitStatus.REQUESTED,
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("申请时间"), auto_now_add=True)
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("上门工作人员"),
    )
    volunteer = models.ForeignKey(
        "volunteer.Volunteer",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("上门志愿者"),
    )
    scheduled_at = models.DateTimeField(_("上门时间"), null=True, blank=True)
    done_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    outcome = models.CharField(_("服务情况"), max_length=300, blank=True)
    version = models.PositiveIntegerField(default=1)

    scope = Scope(place="place", self_field="requested_by")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("上门服务")
        verbose_name_plural = _("上门服务")

    def __str__(self):
        return f"{self.resident.name} · {self.need}"

    def get_absolute_url(self):
        return reverse("onewindow:visit_detail", args=[self.pk])
