"""Demo outboxes: the message is shown, not sent. The recipient appears masked."""

import sys

from django.conf import settings
from django.utils import timezone

from .base import ChannelAdapter, Result, mask_recipient


def _line(channel, recipient, message):
    now = timezone.localtime().strftime("%Y-%m-%d %H:%M:%S")
    text = " ".join(str(message).split())
    return f"{now}\t{channel}\t{mask_recipient(recipient)}\t{text}\n"


class ConsoleChannel(ChannelAdapter):
    """Print each message on the server's standard output."""

    def send(self, recipient, message, *, params=None):
        sys.stdout.write(_line(self.channel, recipient, message))
        sys.stdout.flush()
        return Result(ok=True)


class FileChannel(ChannelAdapter):
    """Append each message to var/messages/<channel>.log (the demo's default)."""

    def send(self, recipient, message, *, params=None):
        folder = settings.VAR_DIR / "messages"
        folder.mkdir(parents=True, exist_ok=True)
        with open(
            folder / f"{self.channel or 'outbox'}.log", "a", encoding="utf-8"
        ) as f:
            f.write(_line(self.channel, recipient, message))
        return Result(ok=True)
