"""契约化共建协议 between a street or community and a unit: commitments with
quantities, term, signatories, the signed scan; 草拟→签订→履行中→到期/续签/终止; an
evaluation of each commitment at term end.

A commitment may point at what already records the work — a 三张清单 resource or
project, or the unit's 双报到 registration (its service records) — and then reads
its progress from there, so the work is recorded once and counted once.
"""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jiceng.core.scope import Scope, ScopedQuerySet

from .alliances import FourCo

EXPIRING_DAYS = 60  # the expiring-soon list looks this far ahead


class AgreementStatus(models.TextChoices):
    DRAFT = "draft", _("草拟")
    SIGNED = "signed", _("已签订")
    ACTIVE = "active", _("履行中")
    EXPIRED = "expired", _("已到期")
    RENEWED = "renewed", _("已续签")
    TERMINATED = "terminated", _("已终止")


ENDED = (AgreementStatus.EXPIRED, AgreementStatus.RENEWED, AgreementStatus.TERMINATED)


class AgreementQuerySet(ScopedQuerySet):
    def expiring(self, today=None, days=EXPIRING_DAYS):
        """In force and ending within days (the expiring-soon list)."""
        today = today or timezone.localdate()
        return self.filter(
            status__in=[AgreementStatus.SIGNED, AgreementStatus.ACTIVE],
            ends_on__gte=today,
            ends_on__lte=today + timedelta(days=days),
        )


class Agreement(models.Model):
    title = models.CharField(_("协议名称"), max_length=150)
    place = models.ForeignKey(
        "places.Place",
        on_delete=models.PROTECT,
        related_name="co_agreements",
        verbose_name=_("街道/社区"),
    )
    unit = models.ForeignKey(
        "people.Unit",
        on_delete=models.PROTECT,
        related_name="co_agreements",
        verbose_name=_("共建单位"),
    )
    alliance = models.ForeignKey(
        "Alliance",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="agreements",
        verbose_name=_("所属联盟"),
    )
    starts_on = models.DateField(_("协议期起"))
    ends_on = models.DateField(_("协议期止"))
    status = models.CharField(
        _("状态"),
        max_length=16,
        choices=AgreementStatus.choices,
        default=AgreementStatus.DRAFT,
        db_index=True,
    )
    place_signatory = models.CharField(_("街道/社区签字人"), max_length=50, blank=True)
    unit_signatory = models.CharField(_("单位签字人"), max_length=50, blank=True)
    signed_on = models.DateField(_("签订日期"), null=True, blank=True)
    scan = models.FileField(
        _("协议扫描件"), upload_to="alliances/agreements/%Y/", blank=True
    )
    renewed_from = models.OneToOneField(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="renewal",
        verbose_name=_("续签自"),
    )
    end_note = models.CharField(_("终止/到期说明"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=0)

    scope = Scope(place="place", unit="unit")
    objects = AgreementQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "-pk"]
        verbose_name = _("共建协议")
        verbose_name_plural = _("共建协议")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gt=models.F("starts_on")),
                name="agreement_term_positive",
            )
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("alliances:agreement_detail", args=[self.pk])

    @property
    def is_ended(self):
        return self.status in ENDED


class CommitmentKind(models.TextChoices):
    RESOURCE = "resource", _("资源")
    SERVICE = "service", _("服务")
    PROJECT = "project", _("项目")


class Evaluation(models.TextChoices):
    DONE = "done", _("已完成")
    PARTLY = "partly", _("部分完成")
    NOT = "not", _("未完成")


class Commitment(models.Model):
    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="commitments"
    )
    kind = models.CharField(_("类别"), max_length=16, choices=CommitmentKind.choices)
    tag = models.CharField(_("四共"), max_length=8, choices=FourCo.choices, blank=True)
    title = models.CharField(_("承诺内容"), max_length=200)
    quantity = models.DecimalField(_("数量"), max_digits=10, decimal_places=1)
    measure = models.CharField(_("计量单位"), max_length=10, default="次")
    resource = models.ForeignKey(
        "volunteer.Resource",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="co_commitments",
        verbose_name=_("对应资源清单"),
    )
    project = models.ForeignKey(
        "volunteer.Project",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="co_commitments",
        verbose_name=_("对应项目清单"),
    )
    registration = models.ForeignKey(
        "volunteer.UnitRegistration",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="co_commitments",
        verbose_name=_("对应双报到"),
        help_text=_("按单位报到后的服务记录计数（次数）"),
    )
    done_quantity = models.DecimalField(
        _("已完成（手工登记）"), max_digits=10, decimal_places=1, default=0
    )
    evaluation = models.CharField(
        _("期满评价"), max_length=8, choices=Evaluation.choices, blank=True
    )
    evaluation_note = models.CharField(_("评价说明"), max_length=300, blank=True)

    scope = Scope(place="agreement__place", unit="agreement__unit")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["agreement", "pk"]
        verbose_name = _("协议承诺")
        verbose_name_plural = _("协议承诺")

    def __str__(self):
        return self.title

    @property
    def source(self):
        return self.project or self.registration or self.resource
