"""包联: units ↔ compounds, cadres ↔ buildings, leaders ↔ communities (3+1 包抓,
市领导联系社区), and the visits each pair logs."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from jiceng.core.roles import Role
from jiceng.core.scope import Scope, ScopedQuerySet

VISIT_DAYS = 30  # a pair not visited for this many days shows on the coverage page


class PairKind(models.TextChoices):
    UNIT_COMPOUND = "unit_compound", _("单位包联小区")
    CADRE_BUILDING = "cadre_building", _("干部包联楼栋")
    LEADER_COMMUNITY = "leader_community", _("领导联系社区")


# The place kind each pairing covers.
PAIR_PLACE_KIND = {
    PairKind.UNIT_COMPOUND: "compound",
    PairKind.CADRE_BUILDING: "building",
    PairKind.LEADER_COMMUNITY: "community",
}


class Pair(models.Model):
    kind = models.CharField(_("包联类型"), max_length=20, choices=PairKind.choices)
    place = models.ForeignKey(
        "places.Place",
        on_delete=models.PROTECT,
        related_name="pairs",
        verbose_name=_("包联对象"),
    )
    unit = models.ForeignKey(
        "people.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="pairs",
        verbose_name=_("包联单位"),
    )
    cadre = models.CharField(_("包联干部/领导"), max_length=50, blank=True)
    cadre_title = models.CharField(_("职务"), max_length=60, blank=True)
    cadre_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="pairs",
        verbose_name=_("干部账号"),
    )
    since = models.DateField(_("包联起始"))
    active = models.BooleanField(_("有效"), default=True)
    last_visit_on = models.DateField(_("最近走访"), null=True, blank=True)

    scope = Scope(
        place="place",
        unit="unit",
        self_field="cadre_user",
        owner_roles=frozenset(Role),
    )
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "place__path", "pk"]
        verbose_name = _("包联关系")
        verbose_name_plural = _("包联关系")
        indexes = [models.Index(fields=["kind", "active", "place"])]

    def __str__(self):
        return f"{self.unit or self.cadre} → {self.place}"

    def get_absolute_url(self):
        return reverse("alliances:pair_detail", args=[self.pk])

    @property
    def partner(self):
        return self.unit or self.cadre


class Visit(models.Model):
    pair = models.ForeignKey(Pair, on_delete=models.CASCADE, related_name="visits")
    visited_on = models.DateField(_("走访日期"))
    findings = models.TextField(_("发现问题/走访情况"))
    photo = models.ImageField(
        _("照片"), upload_to="alliances/visits/%Y/%m/", blank=True
    )
    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("转为事件"),
    )
    task = models.ForeignKey(
        "Task",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("转为督办事项"),
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    scope = Scope(
        place="pair__place",
        unit="pair__unit",
        self_field="pair__cadre_user",
        owner_roles=frozenset(Role),
    )
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-visited_on", "-pk"]
        verbose_name = _("走访记录")
        verbose_name_plural = _("走访记录")

    def __str__(self):
        return f"{self.pair} {self.visited_on}"
