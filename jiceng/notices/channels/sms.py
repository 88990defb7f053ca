"""A generic HTTP SMS gateway: one signed JSON POST per message.

Settings (all empty by default, so nothing is sent):
    JICENG_SMS_URL       the gateway's send endpoint
    JICENG_SMS_KEY       the account key, sent as X-Api-Key
    JICENG_SMS_SECRET    signs each request: X-Signature = HMAC-SHA256(secret,
                         timestamp + "\\n" + nonce + "\\n" + body), hex
    JICENG_SMS_TEMPLATE  the registered template id
    JICENG_SMS_SIGN      the registered signature (短信签名), e.g. 【某某区基层治理】
Body: {"phone", "template_id", "sign_name", "params", "content"}. Any 2xx answer
whose JSON "code" is absent, 0, "0" or "OK" counts as sent.
"""

import hashlib
import hmac
import json
import secrets
import time

from django.conf import settings

from .base import ChannelAdapter, Result
from .http import GatewayError, call

SENT_CODES = (None, 0, "0", "OK", "ok")


def signature(secret, timestamp, nonce, body) -> str:
    message = f"{timestamp}\n{nonce}\n{body}".encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


class SmsChannel(ChannelAdapter):
    def send(self, recipient, message, *, params=None):
        payload = {
            "phone": recipient,
            "template_id": settings.JICENG_SMS_TEMPLATE,
            "sign_name": settings.JICENG_SMS_SIGN,
            "params": params or {},
            "content": message,
        }
        body = json.dumps(payload, ensure_ascii=False, sort_keys=True)
        timestamp, nonce = str(int(time.time())), secrets.token_hex(8)
        headers = {"X-Api-Key": settings.JICENG_SMS_KEY, "X-Timestamp": timestamp}
        headers["X-Nonce"] = nonce
        if settings.JICENG_SMS_SECRET:
            headers["X-Signature"] = signature(
                settings.JICENG_SMS_SECRET, timestamp, nonce, body
            )
        try:
            answer = call(
                settings.JICENG_SMS_URL,
                body=payload,
                headers=headers,
                timeout=settings.JICENG_SMS_TIMEOUT,
            )
        except GatewayError as exc:
            return Result(ok=False, error=str(exc), retry=exc.retry)
        code = answer.get("code") if isinstance(answer, dict) else None
        if code in SENT_CODES:
            return Result(ok=True)
        return Result(ok=False, error=f"网关返回码 {str(code)[:20]}")
