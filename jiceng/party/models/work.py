"""Members at work and organisations beyond the territorial tree: 设岗定责 and 先锋岗,
临时党支部, 行业党委, 产业链党委 and 商圈/楼宇 organisations, and 两个覆盖 of the
两新组织 in the units registry."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from jiceng.core.scope import Scope, ScopedQuerySet


class PostKind(models.TextChoices):
    PUBLICITY = "publicity", _("政策宣传岗")
    ENVIRONMENT = "environment", _("环境监督岗")
    NEIGHBOURS = "neighbours", _("邻里守望岗")
    CIVILITY = "civility", _("文明劝导岗")
    MEDIATION = "mediation", _("矛盾调解岗")
    VANGUARD = "vanguard", _("党员先锋岗")


class MemberPost(models.Model):
    """设岗定责 (and 党员先锋岗 in a unit or compound): a member's post and where it serves."""

    member = models.ForeignKey(
        "PartyMember",
        on_delete=models.CASCADE,
        related_name="posts",
        verbose_name=_("党员"),
    )
    kind = models.CharField(_("岗位"), max_length=16, choices=PostKind.choices)
    title = models.CharField(_("岗位名称"), max_length=100, blank=True)
    place = models.ForeignKey(
        "places.Place",
        on_delete=models.PROTECT,
        related_name="member_posts",
        verbose_name=_("责任区（小区/楼栋）"),
    )
    unit = models.ForeignKey(
        "people.Unit",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="member_posts",
        verbose_name=_("所在单位"),
    )
    duties = models.CharField(_("岗位职责"), max_length=300, blank=True)
    since = models.DateField(_("上岗日期"))
    until = models.DateField(_("离岗日期"), null=True, blank=True)

    scope = Scope(place="place", unit="unit", self_field="member__resident__user")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "pk"]
        verbose_name = _("党员岗位")
        verbose_name_plural = _("党员岗位")

    def __str__(self):
        return self.title or self.get_kind_display()


class FlexKind(models.TextChoices):
    TEMPORARY = "temporary", _("临时党支部")
    INDUSTRY = "industry", _("行业党委")
    CHAIN = "chain", _("产业链党委")
    COMMERCIAL = "commercial", _("商圈/楼宇党组织")


class Industry(models.TextChoices):
    EXPRESS = "express", _("快递")
    DELIVERY = "delivery", _("外卖")
    TRANSPORT = "transport", _("交通")
    PROPERTY = "property", _("物业")
    OTHER = "other", _("其他")


class FlexOrg(models.Model):
    """An organisation outside the five territorial levels. Members are attached
    (FlexMembership) without moving their formal relation; enterprises are units
    of the registry (FlexUnit)."""

    name = models.CharField(_("组织名称"), max_length=120)
    kind = models.CharField(_("类别"), max_length=16, choices=FlexKind.choices)
    industry = models.CharField(
        _("行业"), max_length=16, choices=Industry.choices, blank=True
    )
    place = models.ForeignKey(
        "places.Place",
        on_delete=models.PROTECT,
        related_name="flex_orgs",
        verbose_name=_("登记地"),
        help_text=_("管理它的街道或区"),
    )
    parent = models.ForeignKey(
        "PartyOrg",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="flex_orgs",
        verbose_name=_("上级党组织"),
    )
    lead_unit = models.ForeignKey(
        "people.Unit",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="led_flex_orgs",
        verbose_name=_("牵头单位/链长单位"),
    )
    purpose = models.CharField(_("任务/项目"), max_length=200, blank=True)
    starts_on = models.DateField(_("成立日期"))
    ends_on = models.DateField(_("预计结束"), null=True, blank=True)
    dissolved_on = models.DateField(_("撤销日期"), null=True, blank=True)
    dissolution_note = models.CharField(_("撤销说明"), max_length=300, blank=True)
    version = models.PositiveIntegerField(default=0)

    # a 行业党委's own account (a unit grant on its lead unit) sees it anywhere
    scope = Scope(place="place", unit="lead_unit")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("功能型党组织")
        verbose_name_plural = _("功能型党组织")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("party:flex_detail", args=[self.pk])


class FlexMembership(models.Model):
    org = models.ForeignKey(FlexOrg, on_delete=models.CASCADE, related_name="members")
    member = models.ForeignKey(
        "PartyMember",
        on_delete=models.CASCADE,
        related_name="flex_memberships",
        verbose_name=_("党员"),
    )
    role = models.CharField(_("职务"), max_length=50, blank=True)
    joined_on = models.DateField(_("加入日期"))
    left_on = models.DateField(_("退出日期"), null=True, blank=True)

    scope = Scope(
        place="org__place", unit="org__lead_unit", self_field="member__resident__user"
    )
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        verbose_name = _("功能型党组织成员")
        verbose_name_plural = _("功能型党组织成员")
        constraints = [
            models.UniqueConstraint(
                fields=["org", "member"],
                condition=models.Q(left_on__isnull=True),
                name="flex_member_once",
            )
        ]

    def __str__(self):
        return f"{self.member} · {self.org}"


class OrgForm(models.TextChoices):
    SINGLE = "single", _("单独组建")
    JOINT = "joint", _("联合组建")
    INSTRUCTOR = "instructor", _("党建指导员覆盖")
    NONE = "none", _("未覆盖")


class UnitCoverage(models.Model):
    """两个覆盖 of one 两新组织: how a party organisation reaches it and whether party
    work does; who is assigned to cover it while it is not."""

    unit = models.OneToOneField(
        "people.Unit",
        on_delete=models.CASCADE,
        related_name="coverage",
        verbose_name=_("单位"),
    )
    org_form = models.CharField(
        _("组织覆盖"), max_length=16, choices=OrgForm.choices, default=OrgForm.NONE
    )
    work_covered = models.BooleanField(_("工作覆盖"), default=False)
    industry = models.CharField(
        _("行业"), max_length=16, choices=Industry.choices, blank=True
    )
    commercial = models.ForeignKey(
        FlexOrg,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="covered_units",
        verbose_name=_("所属商圈/产业链党组织"),
    )
    assignee = models.CharField(_("包联责任人/党建指导员"), max_length=50, blank=True)
    checked_on = models.DateField(_("核实日期"), null=True, blank=True)
    version = models.PositiveIntegerField(default=0)

    scope = Scope(place="unit__place", unit="unit")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("两个覆盖")
        verbose_name_plural = _("两个覆盖")

    def __str__(self):
        return f"{self.unit} {self.get_org_form_display()}"

    @property
    def org_covered(self):
        return self.org_form != OrgForm.NONE
