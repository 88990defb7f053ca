"""Display links: a command centre's screen stays on for days, longer than a login.

A street administrator creates a link for one place; whoever opens it sees that
place's screen, read-only, as the administrator who made it would (their grants
as they are at each refresh: an administrator who leaves takes the link's sight
with them). Only the token's SHA-256 is kept; the link ends when revoked or when
it expires.
"""

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jiceng.core.models import hash_token
from jiceng.core.scope import Scope, ScopedQuerySet


class DisplayLink(models.Model):
    place = models.ForeignKey(
        "places.Place",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("大屏区域"),
    )
    name = models.CharField(_("名称"), max_length=60)
    prefix = models.CharField(_("前缀"), max_length=12)
    key_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("创建人"),
    )
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    expires_at = models.DateTimeField(_("有效期至"))
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("停用时间"), null=True, blank=True)

    scope = Scope(place="place")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("大屏展示链接")
        verbose_name_plural = _("大屏展示链接")

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def generate_raw() -> str:
        return "scr_" + secrets.token_urlsafe(32)

    @staticmethod
    def hash(raw: str) -> str:
        return hash_token(raw)

    @property
    def is_usable(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()
