"""Outside channels behind one interface: adapter_for(channel) returns the adapter
settings name for it, or None when the channel is not configured (the default:
nothing leaves an offline intranet unless an administrator sets it up).

    JICENG_NOTICE_ADAPTERS = {"sms": "jiceng.notices.channels.sms.SmsChannel", …}
"""

from django.conf import settings
from django.utils.module_loading import import_string

from .base import ChannelAdapter, Result

__all__ = ["ChannelAdapter", "Result", "adapter_for", "configured"]


def adapter_for(channel) -> ChannelAdapter | None:
    """The adapter configured for a channel (sms, wechat), or None."""
    path = (getattr(settings, "JICENG_NOTICE_ADAPTERS", {}) or {}).get(str(channel))
    if not path:
        return None
    return import_string(path)(channel=str(channel))


def configured(channel) -> bool:
    return bool(
        (getattr(settings, "JICENG_NOTICE_ADAPTERS", {}) or {}).get(str(channel))
    )


def configured_channels() -> set:
    return {
        name
        for name, path in (
            getattr(settings, "JICENG_NOTICE_ADAPTERS", {}) or {}
        ).items()
        if path
    }
