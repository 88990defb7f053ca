"""Compound governance records: each compound's type, its 业委会 or 自管委 with
members and terms, the property company and its contract, the 小区党支部 and
交叉任职, and for 三无小区 whether and how they are covered; the owners' floor
areas the 业主大会 double majority counts."""

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jiceng.core.scope import Scope, ScopedQuerySet
from jiceng.places.models import Place


class CompoundKind(models.TextChoices):
    FORMED = "formed", _("成形物业小区")
    SELF_MANAGED = "self_managed", _("老旧自管小区")
    SCATTERED = "scattered", _("散居楼栋")
    THREE_NO = "three_no", _("三无小区")


class CommitteeKind(models.TextChoices):
    OWNERS = "owners", _("业主委员会")
    SELF = "self", _("自管委")
    NONE = "none", _("未成立")


class Coverage(models.TextChoices):
    COMMUNITY = "community", _("社区兜底服务")
    STREET = "street", _("街道托管")
    STATE_PROPERTY = "state_property", _("国有物业托管")
    NEARBY_PROPERTY = "nearby_property", _("周边物业托管")
    SELF = "self", _("居民自治（党员志愿者）")


class CompoundProfile(models.Model):
    compound = models.OneToOneField(
        Place,
        on_delete=models.PROTECT,
        related_name="governance",
        verbose_name=_("小区"),
    )
    community = models.ForeignKey(
        Place, on_delete=models.PROTECT, related_name="+", verbose_name=_("社区")
    )
    kind = models.CharField(_("小区类型"), max_length=16, choices=CompoundKind.choices)
    committee_kind = models.CharField(
        _("自治组织"),
        max_length=8,
        choices=CommitteeKind.choices,
        default=CommitteeKind.NONE,
    )
    property_company = models.CharField(_("物业公司"), max_length=100, blank=True)
    contract_start = models.DateField(_("物业合同开始"), null=True, blank=True)
    contract_end = models.DateField(_("物业合同到期"), null=True, blank=True)
    party_branch = models.ForeignKey(
        "party.PartyOrg",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("小区党支部"),
    )
    branch_secretary = models.CharField(_("党支部书记"), max_length=50, blank=True)
    covered = models.BooleanField(_("已覆盖"), default=False)
    coverage = models.CharField(
        _("覆盖方式"), max_length=16, choices=Coverage.choices, blank=True
    )
    coverage_note = models.CharField(_("覆盖说明"), max_length=200, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    scope = Scope(place="compound")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["community", "compound__code"]
        verbose_name = _("小区治理档案")
        verbose_name_plural = _("小区治理档案")

    def __str__(self):
        return str(self.compound)

    def get_absolute_url(self):
        return reverse("deliberation:compound_detail", args=[self.pk])

    def committee_in_office(self, day=None):
        day = day or timezone.localdate()
        return self.committee.filter(term_start__lte=day).filter(
            models.Q(term_end__isnull=True) | models.Q(term_end__gte=day)
        )

    @property
    def cross_appointed(self) -> bool:
        """交叉任职: the 党支部书记 sits on the 业委会/自管委 now."""
        if not self.branch_secretary:
            return False
        return self.committee_in_office().filter(name=self.branch_secretary).exists()

    @property
    def contract_expired(self) -> bool:
        return bool(self.contract_end and self.contract_end < timezone.localdate())


class CommitteeMember(models.Model):
    profile = models.ForeignKey(
        CompoundProfile, on_delete=models.CASCADE, related_name="committee"
    )
    name = models.CharField(_("姓名"), max_length=50)
    position = models.CharField(_("职务"), max_length=20, default="委员")
    is_party_member = models.BooleanField(_("党员"), default=False)
    term_start = models.DateField(_("任期开始"))
    term_end = models.DateField(_("任期结束"), null=True, blank=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return self.name


class HouseholdArea(models.Model):
    """专有部分面积 of a household's dwelling, for 业主大会 votes by area."""

    household = models.OneToOneField(
        "people.Household", on_delete=models.CASCADE, related_name="owned_area"
    )
    area = models.DecimalField(_("专有部分面积（㎡）"), max_digits=10, decimal_places=2)

    def __str__(self):
        return f"{self.household} {self.area}㎡"
