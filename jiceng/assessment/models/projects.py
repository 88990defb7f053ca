"""示范项目评选 and 创投: calls with a budget and criteria, applications with
attachments, an expert panel (with conflict-of-interest exclusion), normalised
scores, ranking, allocation within the budget, milestones and final evaluation."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jiceng.core.scope import Scope, ScopedQuerySet

__all__ = [
    "Application",
    "ApplicationFile",
    "ApplicationStatus",
    "Call",
    "CallKind",
    "CallStatus",
    "Expert",
    "Milestone",
    "Normalisation",
    "Review",
]


class CallKind(models.TextChoices):
    DEMO = "demo", _("示范项目评选")
    VENTURE = "venture", _("公益创投")


class Normalisation(models.TextChoices):
    ZSCORE = "zscore", _("按专家标准化（Z分数）")
    TRIM = "trim", _("去掉最高分和最低分")


class CallStatus(models.TextChoices):
    OPEN = "open", _("申报中")
    REVIEW = "review", _("评审中")
    ALLOCATED = "allocated", _("已确定资助")
    CLOSED = "closed", _("已结项")


class Call(models.Model):
    kind = models.CharField(_("类型"), max_length=8, choices=CallKind.choices)
    title = models.CharField(_("名称"), max_length=100)
    place = models.ForeignKey(
        "places.Place",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("发布单位辖区"),
    )
    budget = models.DecimalField(_("总预算（元）"), max_digits=12, decimal_places=2)
    max_grant = models.DecimalField(
        _("单项资助上限（元）"), max_digits=12, decimal_places=2
    )
    criteria = models.JSONField(_("评审标准"), default=list)  # [{name, weight}]
    eligibility = models.TextField(_("申报条件"), blank=True)
    normalisation = models.CharField(
        _("分数处理"),
        max_length=8,
        choices=Normalisation.choices,
        default=Normalisation.ZSCORE,
    )
    deadline = models.DateField(_("申报截止"))
    status = models.CharField(
        _("状态"), max_length=10, choices=CallStatus.choices, default=CallStatus.OPEN
    )
    experts = models.ManyToManyField("Expert", related_name="calls", blank=True)
    allocation_note = models.TextField(_("资助线说明"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)

    scope = Scope(place="place")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-deadline", "pk"]
        verbose_name = _("项目评选")
        verbose_name_plural = verbose_name

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("assessment:call_detail", args=[self.pk])


class Expert(models.Model):
    """A panel expert: their own unit and street are excluded from their reviews."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="expert"
    )
    name = models.CharField(_("姓名"), max_length=50)
    unit = models.ForeignKey(
        "people.Unit",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("所在单位"),
    )
    street = models.ForeignKey(
        "places.Place",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("所在街道"),
    )
    field = models.CharField(_("专业领域"), max_length=50, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("评审专家")
        verbose_name_plural = verbose_name

    def __str__(self):
        return self.name


def assigned_to(user):
    """An expert's applications: those they were assigned to review."""
    return models.Q(
        pk__in=Review.objects.filter(expert__user=user).values("application")
    )


class ApplicationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("已申报")
    INELIGIBLE = "ineligible", _("资格审查未通过")
    ELIGIBLE = "eligible", _("资格审查通过")
    FUNDED = "funded", _("获得资助")
    NOT_FUNDED = "not_funded", _("未获资助")
    COMPLETED = "completed", _("已结项")


class Application(models.Model):
    call = models.ForeignKey(
        Call, on_delete=models.CASCADE, related_name="applications"
    )
    title = models.CharField(_("项目名称"), max_length=100)
    community = models.ForeignKey(
        "places.Place",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("实施社区"),
    )
    unit = models.ForeignKey(
        "people.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("申报社会组织"),
    )
    summary = models.TextField(_("项目简介"))
    requested = models.DecimalField(
        _("申请金额（元）"), max_digits=12, decimal_places=2
    )
    status = models.CharField(
        _("状态"),
        max_length=10,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.SUBMITTED,
    )
    eligibility_note = models.CharField(_("资格审查意见"), max_length=200, blank=True)
    mean_score = models.DecimalField(
        _("平均分"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    final_score = models.DecimalField(
        _("标准化得分"), max_digits=7, decimal_places=3, null=True, blank=True
    )
    rank = models.PositiveIntegerField(_("排名"), null=True, blank=True)
    granted = models.DecimalField(
        _("资助金额（元）"), max_digits=12, decimal_places=2, default=0
    )
    evaluation = models.CharField(_("结项评价"), max_length=10, blank=True)
    evaluation_note = models.TextField(_("结项意见"), blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    # Experts see the applications assigned to them (and only those).
    scope = Scope(place="community", unit="unit", member_rows=assigned_to)
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["call", "rank", "pk"]
        verbose_name = _("项目申报")
        verbose_name_plural = verbose_name

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("assessment:application_detail", args=[self.pk])

    @property
    def used(self):
        return sum((m.spent for m in self.milestones.all()), 0)


class ApplicationFile(models.Model):
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="files"
    )
    file = models.FileField(upload_to="assessment/applications/%Y/")
    name = models.CharField(max_length=200)

    def __str__(self):
        return self.name


class Review(models.Model):
    """An expert's assignment to an application and, once submitted, the scores."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="reviews"
    )
    expert = models.ForeignKey(Expert, on_delete=models.PROTECT, related_name="reviews")
    scores = models.JSONField(default=dict)  # criterion -> 0..100
    total = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["application", "expert"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "expert"], name="assessment_one_review"
            )
        ]

    def __str__(self):
        return f"{self.expert}→{self.application}"


class Milestone(models.Model):
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="milestones"
    )
    title = models.CharField(_("节点"), max_length=100)
    due_on = models.DateField(_("计划完成"))
    done_on = models.DateField(_("实际完成"), null=True, blank=True)
    report = models.TextField(_("进展报告"), blank=True)
    spent = models.DecimalField(
        _("本节点支出（元）"), max_digits=12, decimal_places=2, default=0
    )

    class Meta:
        ordering = ["application", "due_on"]

    def __str__(self):
        return self.title
