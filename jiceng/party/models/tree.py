"""The party-organisation tree anchored to places, party members, 大工委/大党委
and 双向核查 roster checks.

Five levels (Jinchang, Weibin, Yuanping): 街道党工委 → 社区党委 → 网格党支部 →
楼栋/楼院党小组 → 党员中心户 / 党员家庭联组. Each node sits on a place, so scope follows
the territory tree.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node, MP_NodeManager, MP_NodeQuerySet

from jiceng.core.fields import EncryptedCharField, MaskField
from jiceng.core.roles import PLACE_ROLES
from jiceng.core.scope import Scope, ScopedQuerySet
from jiceng.core.validators import mask_id_number
from jiceng.places.models import PATH_OPCLASS, PlacePathMixin


class PartyOrgKind(models.TextChoices):
    STREET_COMMITTEE = "street_committee", _("街道党工委")
    COMMUNITY_COMMITTEE = "community_committee", _("社区党委")
    GRID_BRANCH = "grid_branch", _("网格党支部")
    BUILDING_GROUP = "building_group", _("楼栋/楼院党小组")
    MEMBER_HOUSEHOLD = "member_household", _("党员中心户")
    FAMILY_GROUP = "family_group", _("党员家庭联组")


ORG_PARENT_KINDS = {
    PartyOrgKind.STREET_COMMITTEE: set(),
    PartyOrgKind.COMMUNITY_COMMITTEE: {PartyOrgKind.STREET_COMMITTEE},
    PartyOrgKind.GRID_BRANCH: {PartyOrgKind.COMMUNITY_COMMITTEE},
    PartyOrgKind.BUILDING_GROUP: {PartyOrgKind.GRID_BRANCH},
    PartyOrgKind.MEMBER_HOUSEHOLD: {PartyOrgKind.BUILDING_GROUP},
    PartyOrgKind.FAMILY_GROUP: {PartyOrgKind.BUILDING_GROUP},
}

# The place kinds each organisation level is anchored to.
ORG_PLACE_KINDS = {
    PartyOrgKind.STREET_COMMITTEE: {"street"},
    PartyOrgKind.COMMUNITY_COMMITTEE: {"community"},
    PartyOrgKind.GRID_BRANCH: {"grid"},
    PartyOrgKind.BUILDING_GROUP: {"compound", "building"},
    PartyOrgKind.MEMBER_HOUSEHOLD: {"building", "entrance", "dwelling"},
    PartyOrgKind.FAMILY_GROUP: {"building", "entrance", "dwelling"},
}


class MemberStatus(models.TextChoices):
    IN_SERVICE = "in_service", _("在职")
    RETIRED = "retired", _("离退休")
    MOBILE = "mobile", _("流动")
    OTHER = "other", _("其他")
    TRANSFERRED_OUT = "transferred_out", _("已转出")


class PartyOrgQuerySet(MP_NodeQuerySet, ScopedQuerySet):
    pass


class PartyOrgManager(MP_NodeManager):
    def get_queryset(self):
        return PartyOrgQuerySet(self.model).order_by("path")

    def visible_to(self, user, action="view"):
        return self.get_queryset().visible_to(user, action)


class PartyOrg(PlacePathMixin, MP_Node):
    name = models.CharField(_("组织名称"), max_length=120)
    kind = models.CharField(_("组织类别"), max_length=24, choices=PartyOrgKind.choices)
    place = models.ForeignKey(
        "places.Place",
        on_delete=models.PROTECT,
        related_name="party_orgs",
        verbose_name=_("所在地"),
    )
    is_joint_committee = models.BooleanField(
        _("大工委/大党委"),
        default=False,
        help_text=_("吸收驻区单位党组织负责人任兼职委员的区域化党组织"),
    )
    secretary = models.ForeignKey(
        "PartyMember",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("书记/负责人"),
    )
    founded_on = models.DateField(_("成立日期"), null=True, blank=True)
    note = models.TextField(_("备注"), blank=True)
    version = models.PositiveIntegerField(default=0)

    scope = Scope(place="place", place_path="place_path")
    objects = PartyOrgManager()

    class Meta:
        verbose_name = _("党组织")
        verbose_name_plural = _("党组织")
        indexes = [
            models.Index(
                fields=["place_path"],
                name="party_partyorg_place_path_idx",
                opclasses=[PATH_OPCLASS],
            )
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("party:org_detail", args=[self.pk])


class PartyMember(models.Model):
    """A party member linked to a resident record."""

    resident = models.OneToOneField(
        "people.Resident",
        on_delete=models.CASCADE,
        related_name="party_member",
        verbose_name=_("居民"),
    )
    org = models.ForeignKey(
        PartyOrg,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="members",
        verbose_name=_("所在党组织"),
    )
    unit = models.ForeignKey(
        "people.Unit",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="party_members",
        verbose_name=_("工作单位"),
        help_text=_("在职党员组织关系所在单位"),
    )
    place = models.ForeignKey(
        "places.Place",
        on_delete=models.PROTECT,
        related_name="party_members",
        verbose_name=_("管理地"),
        help_text=_("所在党组织的驻地，未编入社区组织的按居住地"),
    )
    status = models.CharField(
        _("党员状态"), max_length=16, choices=MemberStatus.choices
    )
    joined_on = models.DateField(_("入党日期"), null=True, blank=True)
    is_probationary = models.BooleanField(_("预备党员"), default=False)
    note = models.TextField(_("备注"), blank=True)
    version = models.PositiveIntegerField(default=0)

    scope = Scope(place="place", unit="unit", self_field="resident__user")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("党员")
        verbose_name_plural = _("党员")
        indexes = [models.Index(fields=["place", "status"])]

    def __str__(self):
        return str(self.resident)

    def get_absolute_url(self):
        return reverse("party:member_detail", args=[self.pk])


class TransferKind(models.TextChoices):
    WITHIN = "within", _("区内转接")
    IN = "in", _("转入")
    OUT = "out", _("转出本区")


class TransferStatus(models.TextChoices):
    PENDING = "pending", _("待接收")
    ACCEPTED = "accepted", _("已接收")
    REJECTED = "rejected", _("已退回")
    CANCELLED = "cancelled", _("已撤回")


class MemberTransfer(models.Model):
    """组织关系转接: one change of a member's organisation, with its reason and date.

    A transfer between branches is first sent (待接收): the member stays in the
    sending branch until the receiving one accepts, so no one is ever between
    branches. At most one transfer of a member is pending at a time.
    """

    member = models.ForeignKey(
        PartyMember,
        on_delete=models.CASCADE,
        related_name="transfers",
        verbose_name=_("党员"),
    )
    kind = models.CharField(_("类型"), max_length=16, choices=TransferKind.choices)
    from_org = models.ForeignKey(
        PartyOrg,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("原党组织"),
    )
    to_org = models.ForeignKey(
        PartyOrg,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("转入党组织"),
    )
    # names as they were, so the record reads right after an org is renamed or dissolved
    from_name = models.CharField(_("原组织名称"), max_length=120, blank=True)
    to_name = models.CharField(_("转至"), max_length=200, blank=True)
    transferred_on = models.DateField(_("转接日期"))
    reason = models.CharField(_("转接原因"), max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("经办人"),
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    status = models.CharField(
        _("状态"),
        max_length=16,
        choices=TransferStatus.choices,
        default=TransferStatus.ACCEPTED,
        db_index=True,
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("接收人"),
    )
    decided_at = models.DateTimeField(_("办理时间"), null=True, blank=True)
    decision_note = models.CharField(_("办理意见"), max_length=200, blank=True)

    # the receiving branch's staff see the transfers sent to them
    scope = Scope(
        place="member__place",
        self_field="member__resident__user",
        assignee_place="to_org__place",
        assignee_roles=frozenset(PLACE_ROLES),
    )
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-transferred_on", "-pk"]
        verbose_name = _("组织关系转接")
        verbose_name_plural = _("组织关系转接")
        constraints = [
            models.UniqueConstraint(
                fields=["member"],
                condition=models.Q(status="pending"),
                name="one_pending_transfer",
            )
        ]

    def __str__(self):
        return f"{self.member} {self.get_kind_display()} {self.to_name}"


class JointCommitteeUnit(models.Model):
    """A member unit of a 大工委/大党委."""

    committee = models.ForeignKey(
        PartyOrg,
        on_delete=models.CASCADE,
        related_name="member_units",
        verbose_name=_("大工委/大党委"),
    )
    unit = models.ForeignKey(
        "people.Unit",
        on_delete=models.PROTECT,
        related_name="joint_committees",
        verbose_name=_("成员单位"),
    )
    joined_on = models.DateField(_("加入日期"), null=True, blank=True)

    scope = Scope(place="committee__place", unit="unit")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("成员单位")
        verbose_name_plural = _("成员单位")
        constraints = [
            models.UniqueConstraint(
                fields=["committee", "unit"], name="joint_unit_once"
            )
        ]

    def __str__(self):
        return f"{self.committee} · {self.unit}"


class PartTimeMember(models.Model):
    """A part-time committee member (兼职委员) drawn from a member unit."""

    committee = models.ForeignKey(
        PartyOrg,
        on_delete=models.CASCADE,
        related_name="part_time_members",
        verbose_name=_("大工委/大党委"),
    )
    name = models.CharField(_("姓名"), max_length=50)
    unit = models.ForeignKey(
        "people.Unit",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("所在单位"),
    )
    position = models.CharField(_("单位职务"), max_length=100, blank=True)
    since = models.DateField(_("任职日期"), null=True, blank=True)

    scope = Scope(place="committee__place", unit="unit")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("兼职委员")
        verbose_name_plural = _("兼职委员")

    def __str__(self):
        return f"{self.name}（{self.unit}）"


class RosterCheck(models.Model):
    """双向核查: a unit's roster of in-service members compared with the community's."""

    community = models.ForeignKey(
        "places.Place",
        on_delete=models.PROTECT,
        related_name="roster_checks",
        verbose_name=_("社区"),
    )
    unit = models.ForeignKey(
        "people.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="roster_checks",
        verbose_name=_("单位"),
    )
    filename = models.CharField(_("名单文件"), max_length=255)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("核查人"),
    )
    created_at = models.DateTimeField(_("核查时间"), auto_now_add=True)
    roster_size = models.PositiveIntegerField(_("名单人数"), default=0)
    community_size = models.PositiveIntegerField(_("社区登记人数"), default=0)

    scope = Scope(place="community", unit="unit")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("双向核查")
        verbose_name_plural = _("双向核查")

    def __str__(self):
        return f"{self.unit or '单位名单'} × {self.community}"

    def get_absolute_url(self):
        return reverse("party:roster_check", args=[self.pk])


class RosterEntry(models.Model):
    """One person as the unit's roster lists them."""

    roster_check = models.ForeignKey(
        RosterCheck, on_delete=models.CASCADE, related_name="entries"
    )
    row_number = models.PositiveIntegerField(_("行号"))
    name = models.CharField(_("姓名"), max_length=50)
    id_number = EncryptedCharField(_("身份证号"))
    id_number_mask = MaskField(source="id_number", masker=mask_id_number)

    class Meta:
        ordering = ["row_number"]

    def __str__(self):
        return f"{self.name}（第{self.row_number}行）"


class PairKind(models.TextChoices):
    MATCHED = "matched", _("一致")
    CONFLICT = "conflict", _("同一人但信息不一致")
    REVIEW = "review", _("待人工确认")
    ONLY_UNIT = "only_unit", _("仅在单位名单（未到社区报到）")
    ONLY_COMMUNITY = "only_community", _("仅在社区登记")


class RosterPair(models.Model):
    """One outcome of a check: a pair, a doubtful pair, or a person on one side only."""

    roster_check = models.ForeignKey(
        RosterCheck, on_delete=models.CASCADE, related_name="pairs"
    )
    kind = models.CharField(_("结果"), max_length=16, choices=PairKind.choices)
    entry = models.ForeignKey(
        RosterEntry, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    member = models.ForeignKey(
        PartyMember, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    score = models.FloatField(_("相似度"), default=0)
    differences = models.JSONField(_("差异"), default=list, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("确认人"),
    )
    decided_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    version = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["kind", "-score", "pk"]
        indexes = [models.Index(fields=["roster_check", "kind"])]

    def __str__(self):
        return f"{self.get_kind_display()} {self.score}"
