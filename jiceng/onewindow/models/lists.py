"""The district's lists: 社区事务准入清单 (what a community may be asked to do),
街道权责清单 (powers by type), 证明事项 communities no longer issue, and the
departments' requests to hand a new task to communities."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from jiceng.core.roles import Role
from jiceng.core.scope import Scope, ScopedQuerySet


def every_row() -> Q:
    return Q(pk__gt=0)


# The lists are public inside the platform: whoever serves residents reads them.
LIST_SCOPE = Scope(
    place="district", open_permission="onewindow.view", open_rows=every_row
)


class MatterKind(models.TextChoices):
    DUTY = "duty", _("依法履职事项")
    ASSIST = "assist", _("协助政府事项")


class CommunityMatter(models.Model):
    """An entry of the 社区事务准入清单: a matter communities may be asked to do.

    Entries are never deleted: a matter taken off the list keeps its dates, so the
    count at any day (and its change from a year before) can be told.
    """

    district = models.ForeignKey(
        "places.Place", on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("事项名称"), max_length=150)
    kind = models.CharField(
        _("类型"), max_length=16, choices=MatterKind.choices, default=MatterKind.ASSIST
    )
    department = models.ForeignKey(
        "core.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("主管部门"),
    )
    basis = models.CharField(_("依据"), max_length=300, blank=True)
    listed_on = models.DateField(_("列入日期"))
    removed_on = models.DateField(_("移出日期"), null=True, blank=True)
    removal_reason = models.CharField(_("移出原因"), max_length=200, blank=True)

    scope = LIST_SCOPE
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["removed_on", "kind", "title"]
        verbose_name = _("社区事务准入事项")
        verbose_name_plural = _("社区事务准入清单")

    def __str__(self):
        return self.title

    @property
    def in_force(self) -> bool:
        return self.removed_on is None


class PowerKind(models.TextChoices):
    STATUTORY = "statutory", _("法定")
    TERRITORIAL = "territorial", _("属地")
    DELEGATED = "delegated", _("下放")


class StreetPower(models.Model):
    """An entry of the 街道权责清单: a power or duty of the streets, by type."""

    district = models.ForeignKey(
        "places.Place", on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("权责事项"), max_length=150)
    kind = models.CharField(_("类型"), max_length=16, choices=PowerKind.choices)
    department = models.ForeignKey(
        "core.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("原主管部门"),
    )
    basis = models.CharField(_("依据"), max_length=300, blank=True)

    scope = LIST_SCOPE
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "title"]
        verbose_name = _("街道权责事项")
        verbose_name_plural = _("街道权责清单")

    def __str__(self):
        return self.title


class ProofMatter(models.Model):
    """A 证明事项 communities must refuse to issue, with the reason and the way the
    resident gets what they need instead (告知承诺, data sharing…)."""

    district = models.ForeignKey(
        "places.Place", on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("证明名称"), max_length=100)
    reason = models.CharField(_("不予出具的原因"), max_length=300)
    alternative = models.CharField(_("替代办法"), max_length=300, blank=True)

    scope = LIST_SCOPE
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        verbose_name = _("社区不予出具的证明事项")
        verbose_name_plural = _("社区不予出具的证明事项")

    def __str__(self):
        return self.title

    @property
    def refusal_text(self) -> str:
        text = f"“{self.title}”社区不予出具：{self.reason}"
        if self.alternative:
            text += f"。替代办法：{self.alternative}"
        return text


class RequestStatus(models.TextChoices):
    PENDING = "pending", _("待审核")
    APPROVED = "approved", _("准入")
    REFUSED = "refused", _("不予准入")


class TaskRequest(models.Model):
    """A department asks to hand a new task to communities; the district decides
    against the 准入清单."""

    district = models.ForeignKey(
        "places.Place", on_delete=models.PROTECT, related_name="+"
    )
    department = models.ForeignKey(
        "core.Department",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("申请部门"),
    )
    title = models.CharField(_("拟交办事项"), max_length=150)
    description = models.TextField(_("工作内容"), blank=True)
    basis = models.CharField(_("依据"), max_length=300, blank=True)
    funding = models.CharField(_("经费与保障"), max_length=200, blank=True)
    status = models.CharField(
        _("状态"),
        max_length=16,
        choices=RequestStatus.choices,
        default=RequestStatus.PENDING,
    )
    matter = models.ForeignKey(
        CommunityMatter,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="requests",
        verbose_name=_("对应准入事项"),
    )
    decision_note = models.CharField(_("审核意见"), max_length=300, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("申请时间"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    # A department sees its own requests; its place on the map opens nothing here.
    scope = Scope(
        place="district",
        department="department",
        place_excluded_roles=frozenset({Role.DEPARTMENT}),
    )
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("事项准入申请")
        verbose_name_plural = _("事项准入申请")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("onewindow:request_detail", args=[self.pk])
