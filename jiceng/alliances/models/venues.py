"""共享空间: the shared venues of 党群服务中心, member units and outdoor spaces, and
their bookings.

Two live bookings of one venue never overlap. PostgreSQL enforces it with an
exclusion constraint on (venue, [starts_at, ends_at)); on SQLite the booking
service checks for an overlap inside its write transaction, which SQLite runs as
BEGIN IMMEDIATE (settings), so two bookings are checked one after the other.
"""

from datetime import time

from django.conf import settings
from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import RangeBoundary, RangeOperators
from django.db import DEFAULT_DB_ALIAS, connections, models
from django.db.models import Func, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from jiceng.core.roles import PLACE_ROLES, Role
from jiceng.core.scope import Scope, ScopedQuerySet
from jiceng.core.tokens import new_token


class VenueKind(models.TextChoices):
    CENTER_ROOM = "center_room", _("党群服务中心活动室")
    UNIT_ROOM = "unit_room", _("单位会议室/活动室")
    OUTDOOR = "outdoor", _("户外场地")


class Venue(models.Model):
    name = models.CharField(_("场地名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=16, choices=VenueKind.choices)
    place = models.ForeignKey(
        "places.Place",
        on_delete=models.PROTECT,
        related_name="venues",
        verbose_name=_("所在社区/街道"),
    )
    owner_unit = models.ForeignKey(
        "people.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="venues",
        verbose_name=_("产权单位"),
        help_text=_("单位开放的场地填写；党群服务中心的场地由所在社区/街道管理"),
    )
    address = models.CharField(_("地址"), max_length=200, blank=True)
    capacity = models.PositiveIntegerField(_("容纳人数"))
    facilities = models.CharField(_("设施"), max_length=200, blank=True)
    opens_at = models.TimeField(_("开放时间"), default=time(8, 30))
    closes_at = models.TimeField(_("关闭时间"), default=time(21, 0))
    needs_approval = models.BooleanField(_("需审批"), default=True)
    max_hours = models.PositiveSmallIntegerField(_("单次最长（小时）"), default=4)
    lat = models.FloatField(_("纬度"), null=True, blank=True)
    lng = models.FloatField(_("经度"), null=True, blank=True)
    active = models.BooleanField(_("开放预约"), default=True)
    note = models.CharField(_("使用须知"), max_length=300, blank=True)

    # A unit's room is managed by the unit, a 党群服务中心 room or outdoor space by
    # its community/street (a place grant opens only the venues no unit owns);
    # every open venue is the district's shared catalogue for anyone who may book.
    scope = Scope(
        place="place",
        unit="owner_unit",
        refine=lambda grant: Q(owner_unit__isnull=True),
        open_permission="alliances.book",
        open_rows=lambda: Q(active=True),
    )
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["place__path", "name", "pk"]
        verbose_name = _("共享场地")
        verbose_name_plural = _("共享场地")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("alliances:venue_detail", args=[self.pk])

    @property
    def owner(self):
        return self.owner_unit or self.place


class BookingStatus(models.TextChoices):
    PENDING = "pending", _("待审批")
    APPROVED = "approved", _("已批准")
    CHECKED_IN = "checked_in", _("已签到")
    REJECTED = "rejected", _("未批准")
    CANCELLED = "cancelled", _("已取消")


# Bookings that hold their slot: a pending request keeps it until decided.
LIVE_BOOKING = (
    BookingStatus.PENDING,
    BookingStatus.APPROVED,
    BookingStatus.CHECKED_IN,
)


class TsTzRange(Func):
    function = "TSTZRANGE"
    output_field = models.Field()


class PostgresExclusionConstraint(ExclusionConstraint):
    """An exclusion constraint that exists on PostgreSQL only.

    Other engines get no SQL for it (Django skips a constraint whose SQL is None,
    also when SQLite rebuilds the table) and model validation leaves it to the
    service, which serialises the overlap check there (BEGIN IMMEDIATE).
    """

    def constraint_sql(self, model, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return None
        return super().constraint_sql(model, schema_editor)

    def create_sql(self, model, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return None
        return super().create_sql(model, schema_editor)

    def remove_sql(self, model, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return None
        return super().remove_sql(model, schema_editor)

    def validate(self, model, instance, exclude=None, using=DEFAULT_DB_ALIAS):
        if connections[using].vendor == "postgresql":
            super().validate(model, instance, exclude=exclude, using=using)


class BookingQuerySet(ScopedQuerySet):
    def live(self):
        return self.filter(status__in=LIVE_BOOKING)

    def overlapping(self, venue, starts_at, ends_at):
        """Live bookings of venue sharing any instant with [starts_at, ends_at)."""
        return self.live().filter(
            venue=venue, starts_at__lt=ends_at, ends_at__gt=starts_at
        )


class Booking(models.Model):
    venue = models.ForeignKey(
        Venue, on_delete=models.CASCADE, related_name="bookings", verbose_name=_("场地")
    )
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"))
    purpose = models.CharField(_("用途"), max_length=200)
    attendees = models.PositiveIntegerField(_("参加人数"), default=10)
    status = models.CharField(
        _("状态"),
        max_length=16,
        choices=BookingStatus.choices,
        default=BookingStatus.PENDING,
        db_index=True,
    )
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="venue_bookings",
        verbose_name=_("预约人"),
    )
    booker_place = models.ForeignKey(
        "places.Place",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("预约社区/街道"),
    )
    booker_unit = models.ForeignKey(
        "people.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="venue_bookings",
        verbose_name=_("预约单位"),
    )
    booker_org = models.ForeignKey(
        "Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="venue_bookings",
        verbose_name=_("预约组织"),
    )
    meeting = models.ForeignKey(
        "Meeting",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="bookings",
        verbose_name=_("关联会议"),
    )
    activity = models.ForeignKey(
        "volunteer.Activity",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="venue_bookings",
        verbose_name=_("关联志愿活动"),
    )
    checkin_token = models.CharField(max_length=32, unique=True, default=new_token)
    checked_in_at = models.DateTimeField(_("签到时间"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("审批人"),
    )
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    decision_note = models.CharField(_("审批意见"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=0)

    # The venue's managers (its community/street and owner unit) see its bookings,
    # the booking community/street sees what it booked, everyone their own.
    scope = Scope(
        place="venue__place",
        unit="venue__owner_unit",
        self_field="booked_by",
        owner_roles=frozenset(Role),
        assignee_place="booker_place",
        assignee_roles=frozenset(PLACE_ROLES),
    )
    objects = BookingQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("场地预约")
        verbose_name_plural = _("场地预约")
        indexes = [models.Index(fields=["venue", "starts_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")),
                name="booking_ends_after_start",
            ),
            # No two live bookings of a venue overlap, whatever the order in
            # which transactions commit (PostgreSQL; btree_gist for the "=").
            PostgresExclusionConstraint(
                name="booking_no_overlap",
                expressions=[
                    (
                        TsTzRange("starts_at", "ends_at", RangeBoundary()),
                        RangeOperators.OVERLAPS,
                    ),
                    ("venue", RangeOperators.EQUAL),
                ],
                condition=Q(status__in=["pending", "approved", "checked_in"]),
            ),
        ]

    def __str__(self):
        return f"{self.venue} {self.starts_at:%Y-%m-%d %H:%M}"

    def get_absolute_url(self):
        return reverse("alliances:booking_detail", args=[self.pk])

    @property
    def booker(self):
        return (
            self.booker_org or self.booker_unit or self.booker_place or self.booked_by
        )

    @property
    def is_live(self):
        return self.status in LIVE_BOOKING

    @property
    def hours(self):
        return round((self.ends_at - self.starts_at).total_seconds() / 3600, 1)
