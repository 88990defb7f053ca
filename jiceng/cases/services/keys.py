"""Keys of the outside clients: Open311 API keys and 城市之眼 video sources.

District administrators (cases.keys) create, disable, enable and rotate them on a
page; the management commands call the same functions with the system actor. A
secret is returned once, at creation or rotation, and stored only hashed (Open311)
or encrypted (the video source's signing secret, which the webhook must read).
"""

import hashlib
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, F, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.text import slugify

from jiceng.core import audit
from jiceng.core.config_cache import VersionedCache
from jiceng.core.models import AuditAction
from jiceng.core.scope import require_permission
from jiceng.core.tokens import new_token

from ..errors import CaseError
from ..models import Case, Open311Key, VideoSource


def hash_key(raw):
    return hashlib.sha256(raw.encode()).hexdigest()


def _require(actor):
    if actor is not None:  # None: the command line (the system actor)
        require_permission(actor, "cases.keys")


def _name(name):
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": "请填写名称"})
    return name[:100]


def _record(actor, target, changes):
    audit.record(actor=actor, action=AuditAction.TOKEN, target=target, changes=changes)


@transaction.atomic
def create_open311_key(*, actor, name) -> tuple[Open311Key, str]:
    """A new key for an outside client; returns it with the raw key, shown once."""
    _require(actor)
    raw = "o311_" + new_token()
    key = Open311Key.objects.create(name=_name(name), key_hash=hash_key(raw))
    _record(actor, key, {"created": key.name})
    return key, raw


@transaction.atomic
def rotate_open311_key(*, actor, key) -> str:
    """A new raw key for the same client (the old one stops working at once)."""
    _require(actor)
    key = Open311Key.objects.select_for_update().get(pk=key.pk)
    raw = "o311_" + new_token()
    key.key_hash, key.rotated_at = hash_key(raw), timezone.now()
    key.save(update_fields=["key_hash", "rotated_at"])
    _record(actor, key, {"rotated": key.name})
    return raw


@transaction.atomic
def set_open311_key_active(*, actor, key, active):
    _require(actor)
    Open311Key.objects.filter(pk=key.pk).update(active=bool(active))
    key.active = bool(active)
    _record(actor, key, {"active": bool(active)})
    return key


def _active_keys():
    return {key.key_hash: key for key in Open311Key.objects.filter(active=True)}


# A handful of rows, asked for by every Open311 report: held per process, and
# rebuilt when a key is added, rotated, disabled or removed (the triggers of
# migration 0021 move the token, so a disabled key is refused by the next request).
_active = VersionedCache(("cases.open311_keys",), _active_keys)


def use_open311_key(raw):
    """The active key for a raw key, or None (read-only: shared by the process's
    requests). Its use is counted from the cases it brought (open311_keys_with_use),
    not by a write per request: an UPDATE of the key's row would cost a commit and
    make every report through it wait in turn."""
    return _active.get().get(hash_key(raw or ""))


def open311_keys_with_use():
    """The keys with the reports each brought in and when it last did."""
    cases = Case.objects.filter(open311_key=OuterRef("pk"))
    return Open311Key.objects.annotate(
        use_count=Coalesce(
            Subquery(
                cases.order_by()
                .values("open311_key")
                .annotate(n=Count("pk"))
                .values("n")
            ),
            0,
        ),
        last_used_at=Subquery(cases.order_by("-created_at").values("created_at")[:1]),
    )


@transaction.atomic
def create_video_source(*, actor, name) -> tuple[VideoSource, str]:
    """Register a video source; returns it with its signing secret, shown once."""
    _require(actor)
    name = _name(name)
    if VideoSource.objects.filter(name=name).exists():
        raise ValidationError(f"视频来源“{name}”已登记", code=CaseError.DUPLICATE)
    secret = secrets.token_hex(32)
    code = slugify(name) or f"source-{secrets.token_hex(3)}"
    if VideoSource.objects.filter(code=code).exists():
        code = f"{code}-{secrets.token_hex(3)}"[:50]
    source = VideoSource.objects.create(name=name, code=code, secret=secret)
    _record(actor, source, {"created": source.name, "code": code})
    return source, secret


@transaction.atomic
def rotate_video_source(*, actor, source) -> str:
    """A new signing secret; alerts signed with the old one are refused from now."""
    _require(actor)
    source = VideoSource.objects.select_for_update().get(pk=source.pk)
    secret = secrets.token_hex(32)
    source.secret, source.rotated_at = secret, timezone.now()
    source.save(update_fields=["secret", "rotated_at"])
    _record(actor, source, {"rotated": source.name})
    return secret


@transaction.atomic
def set_video_source_active(*, actor, source, active):
    _require(actor)
    VideoSource.objects.filter(pk=source.pk).update(active=bool(active))
    source.active = bool(active)
    _record(actor, source, {"active": bool(active)})
    return source


def use_video_source(source):
    """Count an alert the source signed correctly."""
    VideoSource.objects.filter(pk=source.pk).update(
        use_count=F("use_count") + 1, last_used_at=timezone.now()
    )
