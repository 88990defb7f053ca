"""WeChat official account template messages (模板消息).

An access token is fetched from /cgi-bin/token and cached until shortly before it
expires; each message is POSTed to /cgi-bin/message/template/send for the openid
the user bound. Settings (empty by default, so nothing is sent):
    JICENG_WECHAT_APPID, JICENG_WECHAT_SECRET   the official account
    JICENG_WECHAT_TEMPLATE                      the template id
    JICENG_WECHAT_API                           https://api.weixin.qq.com (or a proxy)
    JICENG_WECHAT_FIELDS                        template keys for the content and time
    JICENG_SITE_URL                             makes the message's link absolute
"""

import urllib.parse

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from .base import ChannelAdapter, Result
from .http import GatewayError, call

TOKEN_KEY = "notices:wechat-token"  # noqa: S105 (a cache key)
EXPIRED = (40001, 40014, 42001)  # token invalid or expired: fetch a new one


def access_token(*, fresh=False):
    if not fresh:
        token = cache.get(TOKEN_KEY)
        if token:
            return token
    query = urllib.parse.urlencode(
        {
            "grant_type": "client_credential",
            "appid": settings.JICENG_WECHAT_APPID,
            "secret": settings.JICENG_WECHAT_SECRET,
        }
    )
    answer = call(f"{settings.JICENG_WECHAT_API}/cgi-bin/token?{query}", timeout=5)
    token = answer.get("access_token") if isinstance(answer, dict) else None
    if not token:
        raise GatewayError(f"获取 access_token 失败 {answer.get('errcode', '')}")
    expires = int(answer.get("expires_in") or 7200)
    cache.set(TOKEN_KEY, token, max(expires - 300, 60))
    return token


class WeChatChannel(ChannelAdapter):
    def _body(self, openid, message, params):
        fields = settings.JICENG_WECHAT_FIELDS
        now = timezone.localtime().strftime("%Y-%m-%d %H:%M")
        body = {
            "touser": openid,
            "template_id": settings.JICENG_WECHAT_TEMPLATE,
            "data": {
                fields["content"]: {"value": message[:20]},
                fields["time"]: {"value": now},
            },
        }
        url = (params or {}).get("url")
        if url and settings.JICENG_SITE_URL:
            body["url"] = settings.JICENG_SITE_URL.rstrip("/") + url
        return body

    def send(self, recipient, message, *, params=None):
        body = self._body(recipient, message, params)
        try:
            for fresh in (False, True):
                token = access_token(fresh=fresh)
                answer = call(
                    f"{settings.JICENG_WECHAT_API}/cgi-bin/message/template/send"
                    f"?access_token={urllib.parse.quote(token)}",
                    body=body,
                    timeout=5,
                )
                code = answer.get("errcode", 0) if isinstance(answer, dict) else -1
                if code not in EXPIRED:
                    break
        except GatewayError as exc:
            return Result(ok=False, error=str(exc), retry=exc.retry)
        if code == 0:
            return Result(ok=True)
        # 43004 (not following the account) and 40003 (bad openid) will not heal
        return Result(
            ok=False, error=f"微信返回码 {code}", retry=code not in (40003, 43004)
        )
