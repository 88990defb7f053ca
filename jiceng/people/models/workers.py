"""New-employment workers (新就业群体): couriers, riders, ride-hailing drivers…

Many do not live in the district, so a worker is a record of its own, linked to a
resident when they are one. They 报到 to a community, which then serves them.
"""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from jiceng.core.fields import BlindIndexField, EncryptedCharField, MaskField
from jiceng.core.scope import Scope, ScopedQuerySet
from jiceng.core.validators import mask_id_number, mask_mobile


class Occupation(models.TextChoices):
    COURIER = "courier", _("快递员")
    RIDER = "rider", _("外卖骑手")
    RIDE_HAILING = "ride_hailing", _("网约车司机")
    TRUCKER = "trucker", _("网约货车司机")
    STREAMER = "streamer", _("网络主播")
    OTHER = "other", _("其他")


class GigWorker(models.Model):
    name = models.CharField(_("姓名"), max_length=50)
    id_number = EncryptedCharField(_("身份证号"))
    id_number_index = BlindIndexField(source="id_number", unique=True)
    id_number_mask = MaskField(source="id_number", masker=mask_id_number)
    phone = EncryptedCharField(_("手机号码"))
    phone_index = BlindIndexField(source="phone", db_index=True)
    phone_mask = MaskField(source="phone", masker=mask_mobile)
    occupation = models.CharField(_("职业"), max_length=16, choices=Occupation.choices)
    platform = models.CharField(_("平台/公司"), max_length=100, blank=True)
    employer = models.ForeignKey(
        "people.Unit",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="gig_workers",
        verbose_name=_("所属单位"),
    )
    community = models.ForeignKey(
        "places.Place",
        on_delete=models.PROTECT,
        related_name="gig_workers",
        verbose_name=_("报到社区"),
    )
    service_area = models.CharField(_("服务区域"), max_length=200, blank=True)
    reported_on = models.DateField(_("报到日期"))
    resident = models.OneToOneField(
        "people.Resident",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="gig_worker",
        verbose_name=_("本辖区居民"),
    )
    is_party_member = models.BooleanField(_("党员"), default=False)
    note = models.TextField(_("备注"), blank=True)

    scope = Scope(place="community")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-reported_on", "-pk"]
        verbose_name = _("新就业群体")
        verbose_name_plural = _("新就业群体")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("people:worker_detail", args=[self.pk])
