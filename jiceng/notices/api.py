"""My notifications and notification preferences under /api/v1/notices/: the same
services as the pages; every read is of the caller's own rows."""

from datetime import datetime

from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from . import channels, services
from .models import OUTSIDE, Channel, NoticeKind, Notification

router = Router(tags=["通知"])


class NoticeQuery(Schema):
    unread: bool | None = None


class NoticeOut(Schema):
    id: int
    kind: str
    message: str
    url: str
    created_at: datetime
    read_at: datetime | None


class NoticePreferenceOut(Schema):
    kind: str
    kind_label: str
    channel: str
    enabled: bool
    # False for SMS/WeChat while the channel is not configured on this platform
    available: bool


class NoticePreferencesOut(Schema):
    items: list[NoticePreferenceOut]


class NoticePreferenceIn(Schema):
    kind: NoticeKind
    channel: Channel


class NoticePreferencesIn(Schema):
    enabled: list[NoticePreferenceIn] = Field(
        ..., max_length=len(NoticeKind) * len(Channel)
    )


def _table(user):
    configured = channels.configured_channels()
    return {
        "items": [
            {
                "kind": kind.value,
                "kind_label": str(kind.label),
                "channel": ch.value,
                "enabled": on,
                "available": ch not in OUTSIDE or ch in configured,
            }
            for kind, chans in services.preference_table(user).items()
            for ch, on in chans.items()
        ]
    }


@router.get("", response=list[NoticeOut])
@paginate
def list_notices(request, filters: Query[NoticeQuery]):
    rows = Notification.objects.filter(user=request.user)
    if filters.unread is not None:
        rows = rows.filter(read_at__isnull=filters.unread)
    return rows


@router.get("preferences/", response=NoticePreferencesOut)
def get_preferences(request):
    return _table(request.user)


@router.put("preferences/", response=NoticePreferencesOut)
def put_preferences(request, payload: NoticePreferencesIn):
    """Turn on exactly the listed (kind, channel) pairs; every other is off."""
    services.save_preferences(
        actor=request.user,
        enabled={(item.kind, item.channel) for item in payload.enabled},
    )
    return _table(request.user)
