"""The registry of 群团组织, 自治队伍 (自治自管组织), 社会组织 and their 联合会, each
with its 党建指导员. They can join an alliance and book venues."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from jiceng.core.scope import Scope, ScopedQuerySet


class OrgKind(models.TextChoices):
    MASS = "mass", _("群团组织")
    SELF_GOVERNING = "self_governing", _("自治队伍")
    SOCIAL = "social", _("社会组织")
    FEDERATION = "federation", _("联合会")


class Organisation(models.Model):
    name = models.CharField(_("组织名称"), max_length=120)
    kind = models.CharField(_("类别"), max_length=16, choices=OrgKind.choices)
    place = models.ForeignKey(
        "places.Place",
        on_delete=models.PROTECT,
        related_name="organisations",
        verbose_name=_("所在社区/街道"),
    )
    federation = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="member_orgs",
        limit_choices_to={"kind": OrgKind.FEDERATION},
        verbose_name=_("所属联合会"),
    )
    unit = models.ForeignKey(
        "people.Unit",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("登记单位"),
        help_text=_("已在单位名录登记的社会组织"),
    )
    leader = models.CharField(_("负责人"), max_length=50, blank=True)
    instructor = models.CharField(_("党建指导员"), max_length=50, blank=True)
    instructor_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("党建指导员账号"),
    )
    members_count = models.PositiveIntegerField(_("成员人数"), default=0)
    services = models.CharField(_("服务内容"), max_length=200, blank=True)
    active = models.BooleanField(_("正常活动"), default=True)

    scope = Scope(place="place", unit="unit")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "name", "pk"]
        verbose_name = _("群团与社会组织")
        verbose_name_plural = _("群团与社会组织")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("alliances:org_detail", args=[self.pk])
