"""Membership processes: 流动党员, the recruitment pipeline, 党费 and 小区党支部书记
双向推选."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from jiceng.core.scope import Scope, ScopedQuerySet


class FlowDirection(models.TextChoices):
    IN = "in", _("流入（外地党员在本区）")
    OUT = "out", _("流出（本区党员在外地）")


class FlowingMember(models.Model):
    """流动党员: where the formal relation is, and where the member takes part."""

    member = models.ForeignKey(
        "PartyMember",
        on_delete=models.CASCADE,
        related_name="flows",
        verbose_name=_("党员"),
    )
    direction = models.CharField(_("流向"), max_length=8, choices=FlowDirection.choices)
    formal_org_name = models.CharField(_("组织关系所在党组织"), max_length=200)
    takes_part_in = models.ForeignKey(
        "PartyOrg",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("参加组织生活的党组织"),
    )
    takes_part_in_flex = models.ForeignKey(
        "FlexOrg",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="flowing_members",
        verbose_name=_("参加组织生活的功能型党组织"),
    )
    elsewhere = models.CharField(_("外出地/来源地"), max_length=200, blank=True)
    since = models.DateField(_("登记日期"))
    until = models.DateField(_("结束日期"), null=True, blank=True)

    scope = Scope(
        place="member__place",
        unit="takes_part_in_flex__lead_unit",
        self_field="member__resident__user",
    )
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-since", "pk"]
        verbose_name = _("流动党员")
        verbose_name_plural = _("流动党员")

    def __str__(self):
        return f"{self.member} {self.get_direction_display()}"


class Stage(models.TextChoices):
    APPLICANT = "applicant", _("入党申请人")
    ACTIVIST = "activist", _("入党积极分子")
    CANDIDATE = "candidate", _("发展对象")
    PROBATIONARY = "probationary", _("预备党员")
    FULL = "full", _("正式党员")


STAGE_ORDER = list(Stage.values)
# the date field that records reaching each stage
STAGE_DATE = {
    Stage.APPLICANT: "applied_on",
    Stage.ACTIVIST: "activist_on",
    Stage.CANDIDATE: "candidate_on",
    Stage.PROBATIONARY: "probationary_on",
    Stage.FULL: "full_on",
}


class Recruit(models.Model):
    """One person on the way from 入党申请 to 正式党员 in a branch."""

    resident = models.ForeignKey(
        "people.Resident",
        on_delete=models.PROTECT,
        related_name="party_recruits",
        verbose_name=_("居民"),
    )
    org = models.ForeignKey(
        "PartyOrg",
        on_delete=models.PROTECT,
        related_name="recruits",
        verbose_name=_("培养党支部"),
    )
    stage = models.CharField(_("阶段"), max_length=16, choices=Stage.choices)
    applied_on = models.DateField(_("递交申请日期"))
    activist_on = models.DateField(_("确定积极分子日期"), null=True, blank=True)
    candidate_on = models.DateField(_("确定发展对象日期"), null=True, blank=True)
    probationary_on = models.DateField(_("接收预备党员日期"), null=True, blank=True)
    full_on = models.DateField(_("转正日期"), null=True, blank=True)
    introducers = models.CharField(_("入党介绍人"), max_length=100, blank=True)
    version = models.PositiveIntegerField(default=0)

    scope = Scope(
        place="org__place", place_path="org__place_path", self_field="resident__user"
    )
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["org__path", "applied_on", "pk"]
        verbose_name = _("发展党员")
        verbose_name_plural = _("发展党员")
        constraints = [
            models.UniqueConstraint(fields=["resident"], name="recruit_once")
        ]

    def __str__(self):
        return f"{self.resident} {self.get_stage_display()}"


class DuesBand(models.Model):
    """党费 rate for one monthly income band (税后), set by the district."""

    place = models.ForeignKey(
        "places.Place",
        on_delete=models.CASCADE,
        related_name="dues_bands",
        verbose_name=_("制定单位"),
    )
    retired = models.BooleanField(_("离退休"), default=False)
    above = models.DecimalField(_("月收入高于（元）"), max_digits=10, decimal_places=2)
    rate = models.DecimalField(_("比例（%）"), max_digits=4, decimal_places=2)

    scope = Scope(place="place")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["retired", "above"]
        verbose_name = _("党费档次")
        verbose_name_plural = _("党费档次")
        constraints = [
            models.UniqueConstraint(
                fields=["place", "retired", "above"], name="dues_band_once"
            )
        ]

    def __str__(self):
        return f"月收入{self.above}元以上 {self.rate}%"


class DuesPayment(models.Model):
    member = models.ForeignKey(
        "PartyMember",
        on_delete=models.CASCADE,
        related_name="dues",
        verbose_name=_("党员"),
    )
    year = models.PositiveSmallIntegerField(_("年"))
    month = models.PositiveSmallIntegerField(_("月"))
    base = models.DecimalField(_("缴费基数（元）"), max_digits=10, decimal_places=2)
    amount = models.DecimalField(_("应缴（元）"), max_digits=8, decimal_places=2)
    paid_on = models.DateField(_("缴纳日期"))

    scope = Scope(place="member__place", self_field="member__resident__user")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "-month", "pk"]
        verbose_name = _("党费缴纳")
        verbose_name_plural = _("党费缴纳")
        constraints = [
            models.UniqueConstraint(
                fields=["member", "year", "month"], name="dues_once_a_month"
            )
        ]

    def __str__(self):
        return f"{self.member} {self.year}-{self.month:02d} {self.amount}"


class ElectionStage(models.TextChoices):
    NOMINATED = "nominated", _("已推荐")
    VOTED = "voted", _("已表决")
    APPOINTED = "appointed", _("已任命")
    FAILED = "failed", _("未当选")


class SecretaryElection(models.Model):
    """小区党支部书记 双向推选: 党员推荐 and 群众推荐, the members' vote, the
    appointment by the 党委 above, and a seat on the compound's 业委会."""

    org = models.ForeignKey(
        "PartyOrg",
        on_delete=models.PROTECT,
        related_name="secretary_elections",
        verbose_name=_("小区党支部"),
    )
    nominee = models.ForeignKey(
        "PartyMember",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("人选"),
    )
    member_nominations = models.PositiveIntegerField(_("党员推荐票"), default=0)
    resident_nominations = models.PositiveIntegerField(_("群众推荐票"), default=0)
    votes_for = models.PositiveIntegerField(_("赞成票"), null=True, blank=True)
    voters = models.PositiveIntegerField(_("到会党员"), null=True, blank=True)
    stage = models.CharField(
        _("进度"),
        max_length=16,
        choices=ElectionStage.choices,
        default=ElectionStage.NOMINATED,
    )
    appointed_on = models.DateField(_("任命日期"), null=True, blank=True)
    on_owners_committee = models.BooleanField(_("兼任业委会成员"), default=False)
    version = models.PositiveIntegerField(default=0)

    scope = Scope(
        place="org__place",
        place_path="org__place_path",
        self_field="nominee__resident__user",
    )
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-pk"]
        verbose_name = _("书记双向推选")
        verbose_name_plural = _("书记双向推选")

    def __str__(self):
        return f"{self.org} · {self.nominee}"
