"""Smart dispatch models, dispatchers' corrections, street settings and 未诉先办 tasks."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from jiceng.core.roles import Role
from jiceng.core.scope import Scope, ScopedQuerySet


class DispatchModel(models.Model):
    """One trained version. Only an accepted version that beat the one before it
    on the held-out cases is ever used (services.dispatch.retrain)."""

    version = models.PositiveIntegerField(_("版本"), unique=True)
    created_at = models.DateTimeField(_("训练时间"), auto_now_add=True)
    trained_on = models.PositiveIntegerField(_("训练案件数"))
    held_out = models.PositiveIntegerField(_("留出评估案件数"))
    category_top1 = models.FloatField(_("类别首选准确率"))
    category_top3 = models.FloatField(_("类别前三准确率"))
    handler_top1 = models.FloatField(_("承办首选准确率"))
    handler_top3 = models.FloatField(_("承办前三准确率"))
    previous_score = models.FloatField(_("上一版本得分"), null=True, blank=True)
    accepted = models.BooleanField(_("已采用"), default=False)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    # the pickled learning.Model; empty for a refused version
    blob = models.BinaryField(editable=False, default=b"")

    class Meta:
        ordering = ["-version"]
        verbose_name = _("派遣模型版本")
        verbose_name_plural = _("派遣模型版本")

    def __str__(self):
        return f"v{self.version}"

    @property
    def score(self):
        return (self.category_top1 + self.handler_top1) / 2


class DispatchCorrection(models.Model):
    """A dispatch that differed from the top suggestion: weighs more in training."""

    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="dispatch_corrections"
    )
    place = models.ForeignKey(
        "places.Place", on_delete=models.CASCADE, related_name="+"
    )
    suggested = models.CharField(_("建议"), max_length=100)
    chosen = models.CharField(_("实际派遣"), max_length=100)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    scope = Scope(place="place")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-at"]
        verbose_name = _("派遣纠正")
        verbose_name_plural = _("派遣纠正")

    def __str__(self):
        return f"{self.case} {self.suggested} → {self.chosen}"


class StreetSetting(models.Model):
    """Whether a street lets confident suggestions dispatch by themselves."""

    street = models.OneToOneField(
        "places.Place", on_delete=models.CASCADE, related_name="dispatch_setting"
    )
    auto_dispatch = models.BooleanField(_("启用自动派遣"), default=False)
    threshold = models.FloatField(
        _("自动派遣置信度阈值"),
        default=0.9,
        help_text=_("0.5–0.99；类别与上报一致且置信度不低于阈值时自动派遣"),
    )
    updated_at = models.DateTimeField(auto_now=True)

    scope = Scope(place="street")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("街道智能派遣设置")
        verbose_name_plural = _("街道智能派遣设置")

    def __str__(self):
        return f"{self.street} {self.threshold}"


class Kind(models.TextChoices):
    CLUSTER = "cluster", _("聚集")
    REPEAT = "repeat", _("反复")
    RISE = "rise", _("上升")


class TaskStatus(models.TextChoices):
    OPEN = "open", _("待办")
    CLOSED = "closed", _("已办结")


class ProactiveTask(models.Model):
    """未诉先办: a detected hot spot, repeat or rise, handed to its grid or community
    with the cases that show it, until someone closes it with what was done."""

    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    category = models.ForeignKey(
        "cases.Category",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("类别"),
    )
    place = models.ForeignKey(
        "places.Place",
        on_delete=models.PROTECT,
        related_name="proactive_tasks",
        verbose_name=_("责任网格/社区"),
    )
    lat = models.FloatField(_("纬度"), null=True, blank=True)
    lng = models.FloatField(_("经度"), null=True, blank=True)
    radius_m = models.FloatField(_("半径（米）"), default=0)
    summary = models.CharField(_("说明"), max_length=300)
    cases = models.ManyToManyField("cases.Case", related_name="proactive_tasks")
    first = models.DateTimeField(_("最早上报"))
    last = models.DateTimeField(_("最近上报"))
    status = models.CharField(
        _("状态"), max_length=16, choices=TaskStatus.choices, default=TaskStatus.OPEN
    )
    result = models.TextField(_("办理情况"), blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("发现时间"), auto_now_add=True)
    version = models.PositiveIntegerField(default=0)

    # departments see the cases dispatched to them, not an area's hot spots
    scope = Scope(place="place", place_excluded_roles=frozenset({Role.DEPARTMENT}))
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["status", "-last"]
        verbose_name = _("未诉先办任务")
        verbose_name_plural = _("未诉先办任务")
        indexes = [models.Index(fields=["status", "kind"])]

    def __str__(self):
        return f"{self.get_kind_display()} {self.category.name} {self.place.name}"

    def get_absolute_url(self):
        return reverse("intelligence:task_detail", args=[self.pk])


class DetectionRun(models.Model):
    """Where the last detection stopped: the next run looks at newer cases only."""

    at = models.DateTimeField(auto_now_add=True)
    last_case_id = models.PositiveBigIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    extended = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-at"]

    def __str__(self):
        return f"{self.at} {self.last_case_id}"
