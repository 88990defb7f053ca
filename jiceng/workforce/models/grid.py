"""Grid duty: each grid's team, the 11 duties of a 全科网格 per period, patrols
(a line sampled by the phone, findings) and home visits (入户走访) per household."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from jiceng.core.fields import EncryptedCharField, MaskField
from jiceng.core.roles import Role
from jiceng.core.scope import Scope, ScopedQuerySet
from jiceng.core.validators import mask_mobile


class TeamRole(models.TextChoices):
    GRID_LEAD = "grid_lead", _("网格长")
    GRID_WORKER = "grid_worker", _("专职网格员")
    PART_TIME = "part_time", _("兼职网格员")
    BUILDING_LEAD = "building_lead", _("楼栋长")
    UNIT_LEAD = "unit_lead", _("单元长")
    LANE_LEAD = "lane_lead", _("街巷长")
    MEMBER_HOUSEHOLD = "member_household", _("党员中心户")
    POLICE = "police", _("社区民警")
    PROPERTY = "property", _("物业管理员")
    MEDIATOR = "mediator", _("调解员")
    INFORMANT = "informant", _("信息员")
    VOLUNTEER = "volunteer", _("志愿者")
    GUIDE = "guide", _("网格指导员")


# 四支队伍进网格: the force each team member belongs to.
class Force(models.TextChoices):
    PARTY = "party", _("党员队伍")
    POLICE = "police", _("公安民警")
    PROPERTY = "property", _("物业队伍")
    VOLUNTEER = "volunteer", _("志愿者队伍")


class TeamMember(models.Model):
    grid = models.ForeignKey(
        "places.Place",
        on_delete=models.CASCADE,
        related_name="team",
        verbose_name=_("网格"),
    )
    role = models.CharField(_("职责"), max_length=20, choices=TeamRole.choices)
    force = models.CharField(
        _("四支队伍"), max_length=12, choices=Force.choices, blank=True
    )
    name = models.CharField(_("姓名"), max_length=50)
    phone = EncryptedCharField(_("联系电话"))
    phone_mask = MaskField(source="phone", masker=mask_mobile)
    building = models.ForeignKey(
        "places.Place",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("负责楼栋/街巷"),
    )
    worker = models.ForeignKey(
        "Worker", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )

    scope = Scope(place="grid")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["grid", "role", "name"]
        verbose_name = _("网格力量")
        verbose_name_plural = _("网格力量")

    def __str__(self):
        return f"{self.get_role_display()} {self.name}"


# The 11 duties of a 全科网格 (Luzhou): one checklist line each per period.
DUTIES = [
    ("info", "基础信息采集"),
    ("visit", "入户走访"),
    ("patrol", "日常巡查"),
    ("policy", "政策宣传"),
    ("dispute", "矛盾纠纷排查化解"),
    ("safety", "安全隐患排查"),
    ("key_people", "重点人员服务管理"),
    ("service", "便民服务代办"),
    ("events", "事件上报处置"),
    ("environment", "环境卫生督导"),
    ("emergency", "应急处置协助"),
]
DUTY_LABELS = dict(DUTIES)


class DutyCheck(models.Model):
    grid = models.ForeignKey("places.Place", on_delete=models.CASCADE, related_name="+")
    period = models.DateField(_("月份"))
    duty = models.CharField(_("职责"), max_length=16, choices=DUTIES)
    done = models.BooleanField(_("已完成"), default=False)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    checked_at = models.DateTimeField(null=True)

    scope = Scope(place="grid")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["grid", "period", "duty"]
        verbose_name = _("网格职责清单")
        verbose_name_plural = _("网格职责清单")
        constraints = [
            models.UniqueConstraint(
                fields=["grid", "period", "duty"], name="duty_once_per_period"
            )
        ]

    def __str__(self):
        return f"{self.period:%Y-%m} {DUTY_LABELS.get(self.duty, self.duty)}"


# A grid worker sees their own patrols and visits; the community and those above
# see every one in their subtree.
OWN_ONLY = frozenset({Role.GRID_WORKER})


class Patrol(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="patrols",
        verbose_name=_("网格员"),
    )
    grid = models.ForeignKey(
        "places.Place",
        on_delete=models.PROTECT,
        related_name="patrols",
        verbose_name=_("网格"),
    )
    started_at = models.DateTimeField(_("开始时间"), db_index=True)
    ended_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    # The track as an encoded polyline (precision 1e-6°): ~6 bytes a point
    # against ~40 as GeoJSON text (benchmarks/workforce.py).
    track = models.TextField(_("轨迹"), blank=True, default="")
    points = models.PositiveIntegerField(_("轨迹点数"), default=0)
    metres = models.PositiveIntegerField(_("里程(米)"), default=0)
    note = models.CharField(_("备注"), max_length=200, blank=True)

    scope = Scope(
        place="grid",
        self_field="user",
        place_excluded_roles=OWN_ONLY,
        owner_roles=OWN_ONLY,
    )
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("巡查")
        verbose_name_plural = _("巡查")
        indexes = [models.Index(fields=["grid", "started_at"])]

    def __str__(self):
        return f"{self.grid} {self.started_at:%m-%d %H:%M} 巡查"

    def get_absolute_url(self):
        return reverse("workforce:patrol_detail", args=[self.pk])


class PatrolBuilding(models.Model):
    """A building the track passed (within PASS_METRES): coverage reads these."""

    patrol = models.ForeignKey(Patrol, on_delete=models.CASCADE, related_name="passed")
    building = models.ForeignKey(
        "places.Place", on_delete=models.CASCADE, related_name="+"
    )
    grid = models.ForeignKey("places.Place", on_delete=models.CASCADE, related_name="+")
    at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["grid", "at"])]

    def __str__(self):
        return f"{self.patrol_id}→{self.building_id}"


class Finding(models.Model):
    patrol = models.ForeignKey(
        Patrol, on_delete=models.CASCADE, related_name="findings"
    )
    description = models.CharField(_("发现问题"), max_length=300)
    category = models.ForeignKey(
        "cases.Category",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("事件类别"),
    )
    lat = models.FloatField(null=True, blank=True)
    lng = models.FloatField(null=True, blank=True)
    at = models.DateTimeField(_("时间"))
    case = models.OneToOneField(
        "cases.Case",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("事件"),
    )

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self):
        return self.description


class VisitKind(models.TextChoices):
    """四员: the duty a home visit serves."""

    INFORMANT = "信息员", _("信息员")
    PUBLICIST = "宣传员", _("宣传员")
    MEDIATOR = "调解员", _("调解员")
    SERVICE = "服务员", _("服务员")


class Visit(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="home_visits",
        verbose_name=_("走访人"),
    )
    household = models.ForeignKey(
        "people.Household",
        on_delete=models.PROTECT,
        related_name="visits",
        verbose_name=_("户"),
    )
    grid = models.ForeignKey(
        "places.Place",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("网格"),
    )
    kind = models.CharField(_("四员职责"), max_length=4, choices=VisitKind.choices)
    at = models.DateTimeField(_("走访时间"), db_index=True)
    seen = models.ManyToManyField(
        "people.Resident", blank=True, related_name="+", verbose_name=_("见到的人")
    )
    confirmed = models.BooleanField(_("登记信息已核实"), default=False)
    corrections = models.PositiveSmallIntegerField(_("更正项数"), default=0)
    notes = models.TextField(_("走访情况"), blank=True)

    scope = Scope(
        place="grid",
        self_field="user",
        place_excluded_roles=OWN_ONLY,
        owner_roles=OWN_ONLY,
    )
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-at"]
        verbose_name = _("入户走访")
        verbose_name_plural = _("入户走访")
        indexes = [models.Index(fields=["grid", "at", "household"])]

    def __str__(self):
        return f"{self.household} {self.at:%m-%d} 走访"

    def get_absolute_url(self):
        return reverse("workforce:visit_detail", args=[self.pk])


class NeedKind(models.TextChoices):
    WISH = "wish", _("微心愿")
    NEED = "need", _("需求清单")
    CASE = "case", _("事件")
    REVIEW = "review", _("重点人群复核")


class VisitNeed(models.Model):
    """A need found on a visit and where it went (a wish, a need, a case, a
    key-population review); target_* name the row made for it."""

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="needs")
    kind = models.CharField(_("去向"), max_length=8, choices=NeedKind.choices)
    text = models.CharField(_("内容"), max_length=300)
    target_type = models.CharField(max_length=40, blank=True)
    target_id = models.PositiveBigIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return self.text
