"""月通报 / 季调度 / 年总结: a street's editable Word template and the bulletins
generated from the data, published internally or (after approval) publicly."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jiceng.core.scope import Scope, ScopedQuerySet

__all__ = ["Bulletin", "BulletinKind", "BulletinStatus", "BulletinTemplate"]


class BulletinKind(models.TextChoices):
    MONTH = "month", _("月通报")
    QUARTER = "quarter", _("季调度")
    YEAR = "year", _("年总结")


class BulletinStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    INTERNAL = "internal", _("内部发布")
    PENDING = "pending", _("待审批公开")
    PUBLIC = "public", _("已公开")


class BulletinTemplate(models.Model):
    """A street's Word template: {{标题}}, {{期次}}, {{正文}} … are filled in."""

    place = models.OneToOneField(
        "places.Place", on_delete=models.CASCADE, related_name="+"
    )
    file = models.FileField(_("模板文件"), upload_to="assessment/templates/")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    scope = Scope(place="place")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("通报模板")
        verbose_name_plural = verbose_name

    def __str__(self):
        return f"{self.place}通报模板"


class Bulletin(models.Model):
    place = models.ForeignKey(
        "places.Place", on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("类型"), max_length=8, choices=BulletinKind.choices)
    period = models.CharField(_("期次"), max_length=8)
    title = models.CharField(_("标题"), max_length=200)
    figures = models.JSONField(default=dict)
    file = models.FileField(upload_to="assessment/bulletins/%Y/")
    status = models.CharField(
        _("状态"),
        max_length=10,
        choices=BulletinStatus.choices,
        default=BulletinStatus.DRAFT,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    published_at = models.DateTimeField(null=True, blank=True)

    scope = Scope(place="place")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("通报")
        verbose_name_plural = verbose_name

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("assessment:bulletin_detail", args=[self.pk])
