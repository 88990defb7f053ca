"""督察检查: plans (topic, targets, checklist, inspectors), inspections done on the
phone, and the rectification ledger (整改台账) of every problem found."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jiceng.core.scope import Scope, ScopedQuerySet

__all__ = [
    "OPEN_PROBLEM",
    "Inspection",
    "InspectionPhoto",
    "InspectionPlan",
    "Problem",
    "ProblemStatus",
]


class InspectionPlan(models.Model):
    title = models.CharField(_("督察名称"), max_length=100)
    topic = models.CharField(_("督察主题"), max_length=200)
    place = models.ForeignKey(
        "places.Place",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("组织单位辖区"),
    )
    targets = models.ManyToManyField(
        "places.Place", related_name="+", verbose_name=_("督察对象")
    )
    checklist = models.JSONField(_("检查清单"), default=list)  # [item text, …]
    inspectors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="+", verbose_name=_("督察人员")
    )
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    scope = Scope(place="place")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "pk"]
        verbose_name = _("督察计划")
        verbose_name_plural = verbose_name

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("assessment:plan_detail", args=[self.pk])


class Inspection(models.Model):
    """One target inspected: the checklist answered on the phone, with photos."""

    plan = models.ForeignKey(
        InspectionPlan, on_delete=models.CASCADE, related_name="inspections"
    )
    target = models.ForeignKey(
        "places.Place", on_delete=models.PROTECT, related_name="+"
    )
    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    answers = models.JSONField(_("检查结果"), default=list)  # [{item, ok, note}]
    done_at = models.DateTimeField(default=timezone.now)

    scope = Scope(place="target", self_field="inspector")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-done_at"]
        verbose_name = _("督察记录")
        verbose_name_plural = verbose_name

    def __str__(self):
        return f"{self.plan}·{self.target}"

    def get_absolute_url(self):
        return reverse("assessment:inspection_detail", args=[self.pk])


class InspectionPhoto(models.Model):
    inspection = models.ForeignKey(
        Inspection, on_delete=models.CASCADE, related_name="photos"
    )
    file = models.ImageField(upload_to="assessment/inspections/%Y/%m/")

    def __str__(self):
        return self.file.name


class ProblemStatus(models.TextChoices):
    OPEN = "open", _("待整改")
    SUBMITTED = "submitted", _("已整改待核验")
    VERIFIED = "verified", _("已销号")
    REOPENED = "reopened", _("核验未通过·重新整改")


OPEN_PROBLEM = (ProblemStatus.OPEN, ProblemStatus.REOPENED)


class Problem(models.Model):
    """整改台账 row: the problem, who fixes it by when, the evidence, and the
    inspector's verification (or reopening)."""

    inspection = models.ForeignKey(
        Inspection,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="problems",
    )
    place = models.ForeignKey(
        "places.Place",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("问题所在"),
    )
    description = models.CharField(_("问题描述"), max_length=300)
    owner_department = models.ForeignKey(
        "core.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("责任部门"),
    )
    owner_unit = models.ForeignKey(
        "people.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("责任单位"),
    )
    owner_name = models.CharField(_("责任人"), max_length=50)
    deadline = models.DateField(_("整改时限"))
    status = models.CharField(
        _("状态"),
        max_length=10,
        choices=ProblemStatus.choices,
        default=ProblemStatus.OPEN,
    )
    evidence = models.TextField(_("整改说明"), blank=True)
    evidence_photo = models.ImageField(
        _("整改照片"), upload_to="assessment/evidence/%Y/%m/", blank=True
    )
    fixed_at = models.DateTimeField(null=True, blank=True)
    verified_at = models.DateTimeField(null=True, blank=True)
    verifier = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    verify_note = models.CharField(_("核验意见"), max_length=200, blank=True)
    reopen_count = models.PositiveSmallIntegerField(_("退回次数"), default=0)
    created_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    scope = Scope(place="place", unit="owner_unit", department="owner_department")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["deadline", "pk"]
        verbose_name = _("整改台账")
        verbose_name_plural = verbose_name
        indexes = [models.Index(fields=["status", "deadline"])]

    def __str__(self):
        return self.description[:40]

    def get_absolute_url(self):
        return reverse("assessment:problem_detail", args=[self.pk])

    @property
    def owner(self):
        return self.owner_unit or self.owner_department or self.owner_name

    def overdue(self, today=None):
        today = today or timezone.localdate()
        return self.status in OPEN_PROBLEM and self.deadline < today
