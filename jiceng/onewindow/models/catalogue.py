"""The service catalogue (办事指南): items with their conditions, the materials they
need, the legal basis, who accepts and who handles them, the time limit in working
days, the fee and the channels they can be applied through."""

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from jiceng.core.scope import Scope, ScopedQuerySet


class Category(models.TextChoices):
    CIVIL = "civil", _("民政救助")
    ELDERLY = "elderly", _("养老服务")
    DISABLED = "disabled", _("残疾人服务")
    HEALTH = "health", _("卫生健康")
    EMPLOYMENT = "employment", _("就业社保")
    HOUSEHOLD = "household", _("户籍居住")
    PROOF = "proof", _("证明开具")
    CITY = "city", _("城市管理")
    OTHER = "other", _("其他")


class Level(models.TextChoices):
    COMMUNITY = "community", _("社区")
    STREET = "street", _("街道")
    DEPARTMENT = "department", _("区级部门")


class MaterialForm(models.TextChoices):
    ORIGINAL = "original", _("原件")
    COPY = "copy", _("复印件")
    BOTH = "both", _("原件及复印件")


def active_items() -> Q:
    return Q(active=True)


class ServiceItem(models.Model):
    """One matter a resident can apply for (居住证明, 高龄津贴, 残疾人证办理…).

    The catalogue is the district's: district admins edit it, everyone who serves
    or applies reads the items in force.
    """

    district = models.ForeignKey(
        "places.Place",
        on_delete=models.PROTECT,
        related_name="service_items",
        verbose_name=_("所属区"),
    )
    code = models.CharField(_("事项编码"), max_length=32, unique=True)
    name = models.CharField(_("事项名称"), max_length=100)
    category = models.CharField(
        _("类别"), max_length=16, choices=Category.choices, default=Category.OTHER
    )
    conditions = models.TextField(_("办理条件"), blank=True)
    legal_basis = models.TextField(_("设立依据"), blank=True)
    accept_level = models.CharField(
        _("受理层级"),
        max_length=16,
        choices=Level.choices,
        default=Level.COMMUNITY,
        help_text=_("全科受理：社区窗口均可受理"),
    )
    handle_level = models.CharField(
        _("办理层级"), max_length=16, choices=Level.choices, default=Level.STREET
    )
    department = models.ForeignKey(
        "core.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="service_items",
        verbose_name=_("办理部门"),
        help_text=_("办理层级为区级部门时必填"),
    )
    time_limit_days = models.PositiveSmallIntegerField(
        _("承诺时限（工作日）"), default=5
    )
    fee = models.DecimalField(
        _("收费（元）"), max_digits=8, decimal_places=2, default=0
    )
    channel_window = models.BooleanField(_("窗口办理"), default=True)
    channel_online = models.BooleanField(_("网上办理"), default=True)
    channel_home = models.BooleanField(_("上门办理"), default=False)
    channel_proxy = models.BooleanField(_("代办"), default=True)
    refused_proof = models.ForeignKey(
        "ProofMatter",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="items",
        verbose_name=_("已取消的证明事项"),
        help_text=_("关联后窗口不予受理，并向申请人说明原因"),
    )
    active = models.BooleanField(_("在用"), default=True)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    scope = Scope(
        place="district", open_permission="onewindow.view", open_rows=active_items
    )
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["category", "code"]
        verbose_name = _("服务事项")
        verbose_name_plural = _("服务事项")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("onewindow:item_detail", args=[self.pk])

    @property
    def channels(self) -> list[str]:
        pairs = [
            (self.channel_window, "窗口"),
            (self.channel_online, "网上"),
            (self.channel_home, "上门"),
            (self.channel_proxy, "代办"),
        ]
        return [label for on, label in pairs if on]

    @property
    def levels_label(self) -> str:
        handler = (
            self.department.name
            if self.handle_level == Level.DEPARTMENT and self.department_id
            else self.get_handle_level_display()
        )
        return f"{self.get_accept_level_display()}受理 → {handler}办理"


class Material(models.Model):
    """A material an item needs: original or copy, how many, electronic or not."""

    item = models.ForeignKey(
        ServiceItem, on_delete=models.CASCADE, related_name="materials"
    )
    name = models.CharField(_("材料名称"), max_length=100)
    form = models.CharField(
        _("形式"), max_length=16, choices=MaterialForm.choices, default="original"
    )
    copies = models.PositiveSmallIntegerField(_("份数"), default=1)
    electronic_ok = models.BooleanField(_("可提交电子材料"), default=True)
    required = models.BooleanField(_("必须提交"), default=True)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(_("顺序"), default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("申请材料")
        verbose_name_plural = _("申请材料")

    def __str__(self):
        return self.name

    @property
    def requirement(self) -> str:
        """How the material is asked for: 原件1份，可提交电子材料."""
        text = f"{self.get_form_display()}{self.copies}份"
        text += "，可提交电子版" if self.electronic_ok else "，须提交纸质材料"
        if not self.required:
            text += "（如有）"
        return text
