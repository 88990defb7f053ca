"""Display links of the big screen: create, revoke, and resolve a raw token."""

import re
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from jiceng.core import audit
from jiceng.core.models import AuditAction
from jiceng.core.scope import covers, place_path_allowed

from .data import SCREEN_KINDS, screen_places
from .models import DisplayLink

LINK_PERMISSION = "screen.manage"
MAX_DAYS = 365
TOKEN_FORMAT = re.compile(r"^scr_[A-Za-z0-9_-]{20,64}$")
TOUCH_EVERY = timedelta(minutes=5)


def require_link_place(actor, place):
    """The actor manages links where they hold screen.manage and read the screen."""
    screens = [p.path for p in screen_places(actor)]
    if (
        place.kind not in SCREEN_KINDS
        or not covers(actor, place, LINK_PERMISSION)
        or not place_path_allowed(place.path, screens)
    ):
        raise PermissionDenied("该地点不在您的权限范围内")


@transaction.atomic
def create_link(*, actor, place, name, days) -> tuple[DisplayLink, str]:
    """Create a read-only display link for place; return it with the raw token,
    shown once (only its hash is kept)."""
    require_link_place(actor, place)
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": "请填写名称，例如“街道指挥中心大屏”"})
    if not isinstance(days, int) or not 1 <= days <= MAX_DAYS:
        raise ValidationError({"days": f"有效期为 1 至 {MAX_DAYS} 天"})
    raw = DisplayLink.generate_raw()
    link = DisplayLink.objects.create(
        place=place,
        name=name[:60],
        prefix=raw[:10],
        key_hash=DisplayLink.hash(raw),
        created_by=actor,
        expires_at=timezone.now() + timedelta(days=days),
    )
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        target=link,
        changes={
            "place": place.code,
            "name": link.name,
            "prefix": link.prefix,
            "expires_at": link.expires_at.isoformat(timespec="seconds"),
        },
    )
    return link, raw


@transaction.atomic
def revoke_link(*, actor, link):
    """Stop a display link at once; the screen showing it asks for a new one."""
    link = DisplayLink.objects.select_for_update().get(pk=link.pk)
    require_link_place(actor, link.place)
    if link.revoked_at is not None:
        return link
    link.revoked_at = timezone.now()
    link.save(update_fields=["revoked_at"])
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=link,
        changes={"revoked_at": [None, link.revoked_at.isoformat(timespec="seconds")]},
    )
    return link


def link_for_token(raw):
    """The usable link behind a raw token (its creator still active), or None."""
    if not raw or not TOKEN_FORMAT.match(raw):
        return None
    link = (
        DisplayLink.objects.select_related("created_by", "place")
        .filter(key_hash=DisplayLink.hash(raw))
        .first()
    )
    if link is None or not link.is_usable or not link.created_by.is_active:
        return None
    now = timezone.now()
    if link.last_used_at is None or now - link.last_used_at > TOUCH_EVERY:
        DisplayLink.objects.filter(pk=link.pk).update(last_used_at=now)
    return link
