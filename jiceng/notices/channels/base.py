"""The adapter interface: send(recipient, message) -> Result.

recipient is the plaintext address (a mobile, an openid), handed over only for the
call; an adapter never writes it anywhere but to its gateway (the demo outboxes
write its mask). Result.error is short and carries no recipient or message text.
"""

from dataclasses import dataclass

from jiceng.core.validators import mask_mobile


@dataclass(frozen=True)
class Result:
    ok: bool
    error: str = ""
    # False when trying again cannot help (a refused number, a bad template).
    retry: bool = True


def mask_recipient(recipient: str) -> str:
    """138****5678 for a mobile, the openid's first and last characters otherwise."""
    recipient = recipient or ""
    if recipient.isdigit():
        return mask_mobile(recipient)
    if len(recipient) <= 6:
        return "*" * len(recipient)
    return recipient[:3] + "***" + recipient[-3:]


class ChannelAdapter:
    """One way out of the platform; subclasses implement send."""

    def __init__(self, *, channel: str = ""):
        self.channel = channel

    def send(self, recipient: str, message: str, *, params=None) -> Result:
        raise NotImplementedError
