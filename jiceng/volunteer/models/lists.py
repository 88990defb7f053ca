"""三张清单: the community's needs list, the resources list that units, members and
teams offer, and the projects list built from needs; 对单配餐 matches; 项目认领 with
progress to done and evaluated; annual 为民办实事 projects with public progress."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from jiceng.core.scope import Scope, ScopedQuerySet

from .volunteers import time_slot_labels


class NeedStatus(models.TextChoices):
    OPEN = "open", _("待对接")
    MATCHED = "matched", _("已对接")
    PROJECT = "project", _("已立项")
    DONE = "done", _("已解决")
    CLOSED = "closed", _("已撤销")


class Need(models.Model):
    community = models.ForeignKey(
        "places.Place",
        on_delete=models.PROTECT,
        related_name="needs",
        verbose_name=_("社区"),
    )
    place = models.ForeignKey(
        "places.Place",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("所在网格/小区"),
    )
    title = models.CharField(_("需求"), max_length=120)
    description = models.TextField(_("说明"), blank=True)
    skills = models.CharField(_("所需技能/资源"), max_length=200, blank=True)
    time_slots = models.CharField(_("需要的服务时间"), max_length=60, blank=True)

    people = models.PositiveIntegerField(_("需要人数/份数"), default=1)
    lat = models.FloatField(_("纬度"), null=True, blank=True)
    lng = models.FloatField(_("经度"), null=True, blank=True)
    year = models.PositiveSmallIntegerField(_("年度"))
    status = models.CharField(
        _("状态"),
        max_length=16,
        choices=NeedStatus.choices,
        default=NeedStatus.OPEN,
        db_index=True,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("登记人"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=0)

    scope = Scope(place="community")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("需求清单")
        verbose_name_plural = _("需求清单")

    def __str__(self):
        return self.title

    @property
    def time_slots_display(self):
        return time_slot_labels(self.time_slots)


class ResourceKind(models.TextChoices):
    SKILL = "skill", _("技能")
    VENUE = "venue", _("场地")
    FUNDS = "funds", _("资金")
    GOODS = "goods", _("物资")
    TIME = "time", _("时间")


class Resource(models.Model):
    community = models.ForeignKey(
        "places.Place",
        on_delete=models.PROTECT,
        related_name="volunteer_resources",
        verbose_name=_("服务社区"),
    )
    kind = models.CharField(_("资源类型"), max_length=16, choices=ResourceKind.choices)
    title = models.CharField(_("资源"), max_length=120)
    unit = models.ForeignKey(
        "people.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="volunteer_resources",
        verbose_name=_("提供单位"),
    )
    volunteer = models.ForeignKey(
        "Volunteer",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="resources",
        verbose_name=_("提供党员/志愿者"),
    )
    skills = models.CharField(_("技能/资源标签"), max_length=200, blank=True)
    time_slots = models.CharField(_("可服务时间"), max_length=60, blank=True)

    capacity = models.PositiveIntegerField(_("可服务份数"), default=1)
    lat = models.FloatField(_("纬度"), null=True, blank=True)
    lng = models.FloatField(_("经度"), null=True, blank=True)
    max_distance = models.PositiveIntegerField(_("服务半径（米）"), default=3000)
    active = models.BooleanField(_("有效"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=0)

    scope = Scope(place="community", unit="unit", self_field="volunteer__user")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("资源清单")
        verbose_name_plural = _("资源清单")

    def __str__(self):
        return self.title

    @property
    def time_slots_display(self):
        return time_slot_labels(self.time_slots)

    @property
    def provider(self):
        return self.unit or self.volunteer or "—"


class MatchStatus(models.TextChoices):
    PROPOSED = "proposed", _("建议")
    ACCEPTED = "accepted", _("已采纳")
    REJECTED = "rejected", _("不采纳")
    WITHDRAWN = "withdrawn", _("已撤回（需求已立项或解决）")


class MatchQuerySet(ScopedQuerySet):
    def suggestions(self):
        """Proposals still to decide: for needs that wait for a match (待对接)."""
        return self.filter(status=MatchStatus.PROPOSED, need__status=NeedStatus.OPEN)


class Match(models.Model):
    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="matches")
    resource = models.ForeignKey(
        Resource, on_delete=models.CASCADE, related_name="matches"
    )
    score = models.FloatField(_("匹配度"))
    distance = models.PositiveIntegerField(_("距离（米）"), null=True, blank=True)
    status = models.CharField(
        _("状态"),
        max_length=16,
        choices=MatchStatus.choices,
        default=MatchStatus.PROPOSED,
        db_index=True,
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    scope = Scope(place="need__community")
    objects = MatchQuerySet.as_manager()

    class Meta:
        ordering = ["-score", "pk"]
        verbose_name = _("对单配餐")
        verbose_name_plural = _("对单配餐")
        constraints = [
            models.UniqueConstraint(fields=["need", "resource"], name="match_once")
        ]

    def __str__(self):
        return f"{self.need} ← {self.resource}"


class ProjectStatus(models.TextChoices):
    OPEN = "open", _("待认领")
    CLAIMED = "claimed", _("已认领")
    IN_PROGRESS = "in_progress", _("推进中")
    DONE = "done", _("已完成")
    EVALUATED = "evaluated", _("已评议")


# A project is finished once done, evaluated or not yet.
FINISHED_PROJECT = (ProjectStatus.DONE, ProjectStatus.EVALUATED)


class ProjectQuerySet(ScopedQuerySet):
    def practical(self, year):
        """The year's 为民办实事 projects, whose progress anyone may follow."""
        return self.filter(practical=True, year=year)

    def finished(self):
        return self.filter(status__in=FINISHED_PROJECT)


class Project(models.Model):
    community = models.ForeignKey(
        "places.Place",
        on_delete=models.PROTECT,
        related_name="volunteer_projects",
        verbose_name=_("社区"),
    )
    title = models.CharField(_("项目名称"), max_length=120)
    description = models.TextField(_("项目内容"), blank=True)
    needs = models.ManyToManyField(
        Need, blank=True, related_name="projects", verbose_name=_("来源需求")
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    practical = models.BooleanField(
        _("为民办实事"), default=False, help_text=_("列入年度为民办实事清单，公开进度")
    )
    budget = models.DecimalField(
        _("预算（元）"), max_digits=12, decimal_places=2, default=0
    )
    due_on = models.DateField(_("计划完成"), null=True, blank=True)
    status = models.CharField(
        _("状态"),
        max_length=16,
        choices=ProjectStatus.choices,
        default=ProjectStatus.OPEN,
        db_index=True,
    )
    progress = models.PositiveSmallIntegerField(_("进度（%）"), default=0)
    claim_unit = models.ForeignKey(
        "people.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="claimed_projects",
        verbose_name=_("认领单位"),
    )
    claim_volunteer = models.ForeignKey(
        "Volunteer",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="claimed_projects",
        verbose_name=_("认领党员"),
    )
    claimed_at = models.DateTimeField(_("认领时间"), null=True, blank=True)
    done_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    score = models.PositiveSmallIntegerField(_("评议得分"), null=True, blank=True)
    evaluation = models.CharField(_("评议意见"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=0)

    # Open projects are the 项目认领 list every member and unit (volunteer.join) may
    # browse; once claimed, a project stays with its community and its claimant.
    scope = Scope(
        place="community",
        unit="claim_unit",
        self_field="claim_volunteer__user",
        open_permission="volunteer.join",
        open_rows=lambda: models.Q(status=ProjectStatus.OPEN),
    )
    objects = ProjectQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "-created_at", "-pk"]
        verbose_name = _("项目清单")
        verbose_name_plural = _("项目清单")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("volunteer:project_detail", args=[self.pk])

    @property
    def claimant(self):
        return self.claim_unit or self.claim_volunteer


class ProjectUpdate(models.Model):
    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="updates"
    )
    progress = models.PositiveSmallIntegerField(_("进度（%）"))
    note = models.CharField(_("进展"), max_length=300)
    by_name = models.CharField(max_length=120)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.project} {self.progress}%"
