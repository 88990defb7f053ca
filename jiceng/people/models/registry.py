"""Residents, households, dwelling occupancy and units (单位).

ID numbers and phones are SM4-encrypted at rest, with a blind index for exact
lookup and a clear masked form (110101********1234, 138****5678) for display
and tail search. The full registry features (import, tags, history) build on these.
"""

from datetime import date

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jiceng.core.fields import BlindIndexField, EncryptedCharField, MaskField
from jiceng.core.scope import Scope, ScopedQuerySet
from jiceng.core.validators import mask_id_number, mask_mobile
from jiceng.places.models import PATH_OPCLASS, PlacePathMixin


class Sex(models.TextChoices):
    MALE = "M", _("男")
    FEMALE = "F", _("女")


class ResidenceType(models.TextChoices):
    REGISTERED = "registered", _("户籍")
    PERMANENT = "permanent", _("常住")
    FLOATING = "floating", _("流动")
    TENANT = "tenant", _("租住")


class Relation(models.TextChoices):
    HEAD = "head", _("户主")
    SPOUSE = "spouse", _("配偶")
    CHILD = "child", _("子女")
    PARENT = "parent", _("父母")
    GRANDCHILD = "grandchild", _("孙子女")
    SIBLING = "sibling", _("兄弟姐妹")
    OTHER = "other", _("其他")


class UnitKind(models.TextChoices):
    AGENCY = "agency", _("机关")
    INSTITUTION = "institution", _("事业单位")
    STATE_OWNED = "state_owned", _("国有企业")
    PRIVATE = "private", _("非公企业")
    SOCIAL_ORG = "social_org", _("社会组织")
    INDIVIDUAL = "individual", _("个体工商户")
    PROPERTY = "property", _("物业服务企业")
    OTHER = "other", _("其他")


class Incubation(models.TextChoices):
    """Where a social organisation stands in the community's incubator (孵化)."""

    INCUBATING = "incubating", _("孵化中")
    FILED = "filed", _("已备案")
    REGISTERED = "registered", _("已登记注册")


class Unit(models.Model):
    """An organisation in the district: agency, enterprise, social organisation…"""

    name = models.CharField(_("单位名称"), max_length=200)
    kind = models.CharField(_("单位类型"), max_length=16, choices=UnitKind.choices)
    credit_code = models.CharField(
        _("统一社会信用代码"), max_length=18, unique=True, null=True, blank=True
    )
    place = models.ForeignKey(
        "places.Place",
        on_delete=models.PROTECT,
        related_name="units",
        verbose_name=_("所在地"),
    )
    address = models.CharField(_("地址"), max_length=200, blank=True)
    party_org_name = models.CharField(_("党组织名称"), max_length=200, blank=True)
    contact_name = models.CharField(_("联系人"), max_length=50, blank=True)
    contact_phone = EncryptedCharField(_("联系电话"))
    contact_phone_mask = MaskField(source="contact_phone", masker=mask_mobile)
    staff_count = models.PositiveIntegerField(_("从业人数"), null=True, blank=True)
    incubation = models.CharField(
        _("孵化状态"),
        max_length=16,
        choices=Incubation.choices,
        blank=True,
        help_text=_("社会组织适用"),
    )
    note = models.TextField(_("备注"), blank=True)

    scope = Scope(place="place", unit="pk")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("单位")
        verbose_name_plural = _("单位")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("people:unit_detail", args=[self.pk])


class Household(PlacePathMixin):
    """A household (户) registered at a dwelling."""

    number = models.CharField(_("户号"), max_length=32, unique=True)
    place = models.ForeignKey(
        "places.Place",
        on_delete=models.PROTECT,
        related_name="households",
        verbose_name=_("住址"),
    )
    head = models.ForeignKey(
        "Resident",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("户主"),
    )
    note = models.TextField(_("备注"), blank=True)
    # db_default: the household importer inserts rows in raw SQL
    version = models.PositiveIntegerField(default=0, db_default=0)

    scope = Scope(place="place", place_path="place_path")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["number"]
        verbose_name = _("户")
        verbose_name_plural = _("户")
        indexes = [
            models.Index(
                fields=["place_path"],
                name="people_household_path_idx",
                opclasses=[PATH_OPCLASS],
            )
        ]

    def __str__(self):
        return self.number

    def get_absolute_url(self):
        return reverse("people:household_detail", args=[self.pk])


class Resident(PlacePathMixin):
    name = models.CharField(_("姓名"), max_length=50, db_index=True)
    sex = models.CharField(_("性别"), max_length=1, choices=Sex.choices, blank=True)
    birth_date = models.DateField(_("出生日期"), null=True, blank=True)
    ethnicity = models.CharField(_("民族"), max_length=20, blank=True, default="汉族")
    id_number = EncryptedCharField(_("身份证号"))
    id_number_index = BlindIndexField(source="id_number", unique=True)
    id_number_mask = MaskField(source="id_number", masker=mask_id_number, db_index=True)
    phone = EncryptedCharField(_("手机号码"))
    phone_index = BlindIndexField(source="phone", db_index=True)
    phone_mask = MaskField(source="phone", masker=mask_mobile)
    place = models.ForeignKey(
        "places.Place",
        on_delete=models.PROTECT,
        related_name="residents",
        verbose_name=_("住址"),
        help_text=_("最具体的已知住址：户、楼栋或网格"),
    )
    household = models.ForeignKey(
        Household,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="members",
        verbose_name=_("所属户"),
    )
    relation = models.CharField(
        _("与户主关系"), max_length=16, choices=Relation.choices, blank=True
    )
    residence_type = models.CharField(
        _("居住类型"),
        max_length=16,
        choices=ResidenceType.choices,
        default=ResidenceType.REGISTERED,
    )
    # The current stay lives on the resident row itself; Occupancy keeps the past
    # ones. A million new residents then cost one row each, not two.
    moved_in_on = models.DateField(_("入住日期"), default=timezone.localdate)
    work_unit = models.ForeignKey(
        Unit,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="staff",
        verbose_name=_("工作单位"),
    )
    employer_name = models.CharField(
        _("工作单位名称"),
        max_length=200,
        blank=True,
        help_text=_("未在单位库登记的工作单位，按台账原文保存"),
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="resident",
        verbose_name=_("关联账号"),
    )
    note = models.TextField(_("备注"), blank=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    scope = Scope(place="place", place_path="place_path", self_field="user")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("居民")
        verbose_name_plural = _("居民")
        indexes = [
            models.Index(
                fields=["place_path", "name"],
                name="people_resident_path_name_idx",
                opclasses=[PATH_OPCLASS, "varchar_ops"],
            )
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("people:resident_detail", args=[self.pk])

    @property
    def age(self):
        if not self.birth_date:
            return None
        today = date.today()
        born = self.birth_date
        return (
            today.year - born.year - ((today.month, today.day) < (born.month, born.day))
        )


class Occupancy(models.Model):
    """A past stay: where a resident lived, with which household, from when to when.

    The current stay is the resident's own place, household and moved_in_on; a move
    copies it here with ended_on set.
    """

    resident = models.ForeignKey(
        Resident,
        on_delete=models.CASCADE,
        related_name="occupancies",
        verbose_name=_("居民"),
    )
    place = models.ForeignKey(
        "places.Place",
        on_delete=models.PROTECT,
        related_name="occupancies",
        verbose_name=_("住址"),
    )
    household = models.ForeignKey(
        Household,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("户"),
    )
    started_on = models.DateField(_("入住日期"))
    ended_on = models.DateField(_("迁出日期"))

    scope = Scope(place="place", self_field="resident__user")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-ended_on", "-id"]
        verbose_name = _("居住记录")
        verbose_name_plural = _("居住记录")

    def __str__(self):
        return f"{self.resident} @ {self.place}"
