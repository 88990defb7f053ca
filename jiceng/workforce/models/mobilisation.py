"""平急结合: a street declares an emergency mode; 双报到 members, volunteers and
cadres take shifts at posts (checkpoints, buildings, supply points), confirm and
check in and out by QR; hours go to the points ledger when the mode ends."""

import secrets

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from jiceng.core.roles import Role
from jiceng.core.scope import Scope, ScopedQuerySet


class ModeKind(models.TextChoices):
    EPIDEMIC = "epidemic", _("疫情防控")
    FLOOD = "flood", _("防汛抢险")
    FIRE = "fire", _("森林防火")
    EARTHQUAKE = "earthquake", _("抗震救灾")
    EVENT = "event", _("重大活动保障")


class ModeStatus(models.TextChoices):
    ACTIVE = "active", _("应急状态")
    ENDED = "ended", _("已转平时")


class Mobilisation(models.Model):
    area = models.ForeignKey(
        "places.Place",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("范围"),
    )
    kind = models.CharField(_("类型"), max_length=12, choices=ModeKind.choices)
    title = models.CharField(_("名称"), max_length=100)
    starts_at = models.DateTimeField(_("开始"))
    ends_at = models.DateTimeField(_("预计结束"))
    status = models.CharField(
        _("状态"), max_length=8, choices=ModeStatus.choices, default=ModeStatus.ACTIVE
    )
    ended_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    scope = Scope(place="area")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at"]
        verbose_name = _("平急转换")
        verbose_name_plural = _("平急转换")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("workforce:mode_detail", args=[self.pk])


class PostKind(models.TextChoices):
    CHECKPOINT = "checkpoint", _("卡口")
    BUILDING = "building", _("楼栋")
    SUPPLY = "supply", _("物资保障点")


def new_token():
    return secrets.token_urlsafe(12)


class DutyPost(models.Model):
    mobilisation = models.ForeignKey(
        Mobilisation, on_delete=models.CASCADE, related_name="posts"
    )
    kind = models.CharField(_("类型"), max_length=12, choices=PostKind.choices)
    name = models.CharField(_("点位"), max_length=100)
    place = models.ForeignKey(
        "places.Place",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("位置"),
    )
    token = models.CharField(max_length=24, unique=True, default=new_token)

    class Meta:
        ordering = ["mobilisation", "kind", "name"]

    def __str__(self):
        return self.name


class Shift(models.Model):
    post = models.ForeignKey(DutyPost, on_delete=models.CASCADE, related_name="shifts")
    starts_at = models.DateTimeField(_("开始"))
    ends_at = models.DateTimeField(_("结束"))
    needed = models.PositiveSmallIntegerField(_("需要人数"), default=2)

    class Meta:
        ordering = ["starts_at", "post"]

    def __str__(self):
        return f"{self.post} {self.starts_at:%m-%d %H:%M}"


class PersonKind(models.TextChoices):
    MEMBER = "member", _("双报到党员")
    VOLUNTEER = "volunteer", _("志愿者")
    CADRE = "cadre", _("下沉干部")


class Deployment(models.Model):
    """One person on one shift; the shift's times are copied here so that "never
    two posts at once" is one indexed overlap query under the person's lock."""

    shift = models.ForeignKey(
        Shift, on_delete=models.CASCADE, related_name="deployments"
    )
    volunteer = models.ForeignKey(
        "volunteer.Volunteer", on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("身份"), max_length=12, choices=PersonKind.choices)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    checked_in_at = models.DateTimeField(_("到岗时间"), null=True, blank=True)
    checked_out_at = models.DateTimeField(_("离岗时间"), null=True, blank=True)
    hours = models.DecimalField(
        _("时长"), max_digits=5, decimal_places=1, null=True, blank=True
    )
    points_entry = models.ForeignKey(
        "volunteer.PointsEntry",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    scope = Scope(
        place="shift__post__mobilisation__area",
        self_field="volunteer__user",
        owner_roles=frozenset(
            {Role.GRID_WORKER, Role.BUILDING_LEAD, Role.UNIT_ORG, Role.COMMUNITY_STAFF}
        ),
    )
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("值守安排")
        verbose_name_plural = _("值守安排")
        indexes = [models.Index(fields=["volunteer", "starts_at", "ends_at"])]
        constraints = [
            models.UniqueConstraint(fields=["shift", "volunteer"], name="deploy_once")
        ]

    def __str__(self):
        return f"{self.volunteer} @ {self.shift}"
