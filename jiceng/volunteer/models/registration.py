"""双报到: unit party organisations and in-service members register to a community.

双服务 is recorded as volunteer service hours (members) and unit service records;
双报告 as quarterly feedback reports to the member's unit and an annual evaluation.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from jiceng.core.scope import Scope, ScopedQuerySet


class RegistrationStatus(models.TextChoices):
    PENDING = "pending", _("待社区确认")
    CONFIRMED = "confirmed", _("已报到")
    REJECTED = "rejected", _("已退回")
    WITHDRAWN = "withdrawn", _("已撤回")


ACTIVE_REGISTRATION = (RegistrationStatus.PENDING, RegistrationStatus.CONFIRMED)


class UnitRegistration(models.Model):
    """A unit's party organisation registered to a community (单位党组织双报到)."""

    unit = models.ForeignKey(
        "people.Unit",
        on_delete=models.PROTECT,
        related_name="volunteer_registrations",
        verbose_name=_("单位"),
    )
    community = models.ForeignKey(
        "places.Place",
        on_delete=models.PROTECT,
        related_name="unit_registrations",
        verbose_name=_("报到社区"),
    )
    compounds = models.ManyToManyField(
        "places.Place",
        blank=True,
        related_name="paired_unit_registrations",
        verbose_name=_("结对小区"),
    )
    party_org_name = models.CharField(_("党组织名称"), max_length=200)
    commitments = models.TextField(_("服务承诺"), blank=True)
    claimed_items = models.TextField(_("认领事项"), blank=True)
    status = models.CharField(
        _("状态"),
        max_length=16,
        choices=RegistrationStatus.choices,
        default=RegistrationStatus.PENDING,
        db_index=True,
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("报到人"),
    )
    registered_at = models.DateTimeField(_("报到时间"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("确认人"),
    )
    decided_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    note = models.CharField(_("说明"), max_length=300, blank=True)
    version = models.PositiveIntegerField(default=0)

    scope = Scope(place="community", unit="unit")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-registered_at", "-pk"]
        verbose_name = _("单位报到")
        verbose_name_plural = _("单位报到")
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "community"],
                condition=models.Q(status__in=["pending", "confirmed"]),
                name="unit_registration_active_once",
            )
        ]

    def __str__(self):
        return f"{self.unit} → {self.community}"

    def get_absolute_url(self):
        return reverse("volunteer:unit_registration", args=[self.pk])


class MemberRegistration(models.Model):
    """An in-service party member registered to the community they live in."""

    member = models.ForeignKey(
        "party.PartyMember",
        on_delete=models.PROTECT,
        related_name="volunteer_registrations",
        verbose_name=_("党员"),
    )
    volunteer = models.ForeignKey(
        "Volunteer",
        on_delete=models.PROTECT,
        related_name="registrations",
        verbose_name=_("志愿者"),
    )
    community = models.ForeignKey(
        "places.Place",
        on_delete=models.PROTECT,
        related_name="member_registrations",
        verbose_name=_("报到社区"),
    )
    unit = models.ForeignKey(
        "people.Unit",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="member_registrations",
        verbose_name=_("工作单位"),
    )
    commitments = models.TextField(_("服务承诺"), blank=True)
    claimed_items = models.TextField(_("认领事项"), blank=True)
    status = models.CharField(
        _("状态"),
        max_length=16,
        choices=RegistrationStatus.choices,
        default=RegistrationStatus.PENDING,
        db_index=True,
    )
    registered_at = models.DateTimeField(_("报到时间"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("确认人"),
    )
    decided_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    note = models.CharField(_("说明"), max_length=300, blank=True)
    version = models.PositiveIntegerField(default=0)

    scope = Scope(place="community", unit="unit", self_field="volunteer__user")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-registered_at", "-pk"]
        verbose_name = _("党员报到")
        verbose_name_plural = _("党员报到")
        # One community at a time: an in-service member registers where they live.
        constraints = [
            models.UniqueConstraint(
                fields=["member"],
                condition=models.Q(status__in=["pending", "confirmed"]),
                name="member_registration_active_once",
            )
        ]

    def __str__(self):
        return f"{self.volunteer} → {self.community}"

    def get_absolute_url(self):
        return reverse("volunteer:member_registration", args=[self.pk])


class UnitServiceRecord(models.Model):
    """双服务 (unit side): what a registered unit did for the community."""

    registration = models.ForeignKey(
        UnitRegistration,
        on_delete=models.CASCADE,
        related_name="services",
        verbose_name=_("单位报到"),
    )
    served_on = models.DateField(_("服务日期"))
    title = models.CharField(_("服务内容"), max_length=200)
    participants = models.PositiveIntegerField(_("参与人数"), default=1)
    hours = models.DecimalField(_("服务时长（小时）"), max_digits=8, decimal_places=1)
    funds = models.DecimalField(
        _("投入资金（元）"), max_digits=12, decimal_places=2, default=0
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("记录人"),
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    scope = Scope(place="registration__community", unit="registration__unit")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-served_on", "-pk"]
        verbose_name = _("单位服务记录")
        verbose_name_plural = _("单位服务记录")

    def __str__(self):
        return f"{self.registration.unit} {self.served_on} {self.title}"


class Grade(models.TextChoices):
    EXCELLENT = "excellent", _("优秀")
    QUALIFIED = "qualified", _("合格")
    UNQUALIFIED = "unqualified", _("不合格")


class QuarterlyReport(models.Model):
    """双报告: a member's quarter of service, sent to their unit's party organisation.

    The figures are a snapshot taken when the report is generated; regenerating the
    same quarter replaces the snapshot until it is sent.
    """

    registration = models.ForeignKey(
        MemberRegistration,
        on_delete=models.CASCADE,
        related_name="quarterly_reports",
        verbose_name=_("党员报到"),
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    quarter = models.PositiveSmallIntegerField(_("季度"))
    hours = models.DecimalField(_("服务时长"), max_digits=8, decimal_places=1)
    activities = models.PositiveIntegerField(_("参加活动次数"), default=0)
    wishes = models.PositiveIntegerField(_("完成微心愿"), default=0)
    evaluation = models.CharField(_("社区评价"), max_length=300, blank=True)
    generated_at = models.DateTimeField(_("生成时间"), auto_now=True)
    sent_at = models.DateTimeField(_("报送时间"), null=True, blank=True)

    scope = Scope(
        place="registration__community",
        unit="registration__unit",
        self_field="registration__volunteer__user",
    )
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "-quarter", "registration_id"]
        verbose_name = _("季度反馈报告")
        verbose_name_plural = _("季度反馈报告")
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "year", "quarter"], name="report_once"
            )
        ]

    def __str__(self):
        return f"{self.registration.volunteer} {self.year}年第{self.quarter}季度"


class AnnualEvaluation(models.Model):
    """The community's annual evaluation of a registered member (优秀/合格/不合格)."""

    registration = models.ForeignKey(
        MemberRegistration,
        on_delete=models.CASCADE,
        related_name="evaluations",
        verbose_name=_("党员报到"),
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    grade = models.CharField(_("评定等次"), max_length=16, choices=Grade.choices)
    hours = models.DecimalField(_("全年服务时长"), max_digits=8, decimal_places=1)
    comment = models.CharField(_("评语"), max_length=300, blank=True)
    evaluated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("评定人"),
    )
    evaluated_at = models.DateTimeField(auto_now=True)

    scope = Scope(
        place="registration__community",
        unit="registration__unit",
        self_field="registration__volunteer__user",
    )
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "registration_id"]
        verbose_name = _("年度评定")
        verbose_name_plural = _("年度评定")
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "year"], name="evaluation_once"
            )
        ]

    def __str__(self):
        return f"{self.registration.volunteer} {self.year} {self.get_grade_display()}"
