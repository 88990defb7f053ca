"""党建联盟 and 大党委/大工委 at work: members, a rotating chair (轮值主席) with its
hand-over and term report, the annual plan and its items tagged 共商/共建/共治/共享.

A 大党委/大工委 is party.PartyOrg (is_joint_committee) with its member units
(party.JointCommitteeUnit); an Alliance of that kind points to it and counts those
units as members, so they are not entered twice.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from jiceng.core.scope import Scope, ScopedQuerySet


class AllianceKind(models.TextChoices):
    ALLIANCE = "alliance", _("党建联盟")
    BIG_COMMITTEE = "big_committee", _("大党委")
    WORK_COMMITTEE = "work_committee", _("大工委")


class FourCo(models.TextChoices):
    """四共: what a plan item, task or commitment is about."""

    CONSULT = "consult", _("共商")
    BUILD = "build", _("共建")
    GOVERN = "govern", _("共治")
    SHARE = "share", _("共享")


class Alliance(models.Model):
    name = models.CharField(_("名称"), max_length=120)
    kind = models.CharField(_("类型"), max_length=16, choices=AllianceKind.choices)
    place = models.ForeignKey(
        "places.Place",
        on_delete=models.PROTECT,
        related_name="alliances",
        verbose_name=_("牵头街道/社区"),
    )
    committee = models.ForeignKey(
        "party.PartyOrg",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="alliances",
        limit_choices_to={"is_joint_committee": True},
        verbose_name=_("大党委/大工委组织"),
    )
    charter = models.TextField(_("联盟章程/议事规则"), blank=True)
    founded_on = models.DateField(_("成立日期"), null=True, blank=True)
    term_months = models.PositiveSmallIntegerField(_("轮值任期（月）"), default=3)

    scope = Scope(place="place")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["place__path", "name"]
        verbose_name = _("党建联盟")
        verbose_name_plural = _("党建联盟")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("alliances:alliance_detail", args=[self.pk])


class MemberKind(models.TextChoices):
    UNIT = "unit", _("成员单位")
    PARTY_ORG = "party_org", _("党组织")
    ORGANISATION = "organisation", _("社会组织/群团组织")


class AllianceMember(models.Model):
    alliance = models.ForeignKey(
        Alliance, on_delete=models.CASCADE, related_name="members"
    )
    unit = models.ForeignKey(
        "people.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="alliance_memberships",
        verbose_name=_("成员单位"),
    )
    party_org = models.ForeignKey(
        "party.PartyOrg",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("党组织"),
    )
    organisation = models.ForeignKey(
        "Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="alliance_memberships",
        verbose_name=_("社会组织/群团组织"),
    )
    representative = models.CharField(_("联络人"), max_length=50, blank=True)
    joined_on = models.DateField(_("加入日期"), null=True, blank=True)
    active = models.BooleanField(_("在册"), default=True)

    scope = Scope(place="alliance__place", unit="unit")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["alliance", "pk"]
        verbose_name = _("联盟成员")
        verbose_name_plural = _("联盟成员")

    def __str__(self):
        return str(self.member)

    def get_absolute_url(self):
        return reverse("alliances:member_detail", args=[self.pk])

    @property
    def member(self):
        return self.unit or self.party_org or self.organisation

    @property
    def kind(self):
        if self.unit_id:
            return MemberKind.UNIT
        return MemberKind.PARTY_ORG if self.party_org_id else MemberKind.ORGANISATION


class TermStatus(models.TextChoices):
    PLANNED = "planned", _("待轮值")
    CURRENT = "current", _("轮值中")
    DONE = "done", _("已交接")


class ChairTerm(models.Model):
    """One turn of the rotating chair (轮值主席), ended by a hand-over."""

    alliance = models.ForeignKey(
        Alliance, on_delete=models.CASCADE, related_name="terms"
    )
    member = models.ForeignKey(
        AllianceMember,
        on_delete=models.PROTECT,
        related_name="terms",
        verbose_name=_("轮值主席单位"),
    )
    starts_on = models.DateField(_("任期开始"))
    ends_on = models.DateField(_("任期结束"))
    status = models.CharField(
        _("状态"), max_length=16, choices=TermStatus.choices, default="planned"
    )
    theme = models.CharField(_("轮值主题"), max_length=120, blank=True)
    report = models.TextField(_("任期工作报告"), blank=True)
    handover_note = models.TextField(_("交接事项"), blank=True)
    handed_over_at = models.DateTimeField(_("交接时间"), null=True, blank=True)
    handed_over_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    scope = Scope(place="alliance__place", unit="member__unit")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["alliance", "starts_on"]
        verbose_name = _("轮值主席任期")
        verbose_name_plural = _("轮值主席任期")

    def __str__(self):
        return f"{self.member}（{self.starts_on}—{self.ends_on}）"


class AnnualPlan(models.Model):
    alliance = models.ForeignKey(
        Alliance, on_delete=models.CASCADE, related_name="plans"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    title = models.CharField(_("计划名称"), max_length=120)
    summary = models.TextField(_("总体安排"), blank=True)

    scope = Scope(place="alliance__place")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-year"]
        verbose_name = _("年度计划")
        verbose_name_plural = _("年度计划")
        constraints = [
            models.UniqueConstraint(fields=["alliance", "year"], name="plan_per_year")
        ]

    def __str__(self):
        return self.title


class ItemStatus(models.TextChoices):
    PLANNED = "planned", _("计划中")
    DOING = "doing", _("推进中")
    DONE = "done", _("已完成")


class PlanItem(models.Model):
    plan = models.ForeignKey(AnnualPlan, on_delete=models.CASCADE, related_name="items")
    title = models.CharField(_("事项"), max_length=200)
    tag = models.CharField(_("四共"), max_length=8, choices=FourCo.choices)
    lead = models.ForeignKey(
        AllianceMember,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="plan_items",
        verbose_name=_("牵头成员"),
    )
    due_on = models.DateField(_("完成时限"), null=True, blank=True)
    status = models.CharField(
        _("状态"), max_length=8, choices=ItemStatus.choices, default="planned"
    )
    result = models.CharField(_("完成情况"), max_length=300, blank=True)

    scope = Scope(place="plan__alliance__place", unit="lead__unit")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["plan", "due_on", "pk"]
        verbose_name = _("计划事项")
        verbose_name_plural = _("计划事项")

    def __str__(self):
        return self.title
