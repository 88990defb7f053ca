"""One small JSON-over-HTTP call for the gateway adapters (standard library only)."""

import json
import urllib.error
import urllib.request


class GatewayError(Exception):
    """A gateway call failed; str() is safe to log (status or error class only)."""

    def __init__(self, text, *, retry=True):
        super().__init__(text)
        self.retry = retry


def call(url, *, body=None, headers=None, timeout=5.0):
    """POST body as JSON (GET when None) and return the decoded JSON answer."""
    data = None if body is None else json.dumps(body, ensure_ascii=False).encode()
    request = urllib.request.Request(  # noqa: S310 (the administrator's gateway URL)
        url,
        data=data,
        headers={"Content-Type": "application/json; charset=utf-8", **(headers or {})},
        method="GET" if body is None else "POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            raw = response.read()
    except urllib.error.HTTPError as exc:
        # 4xx other than throttling will fail the same way next time
        retry = exc.code >= 500 or exc.code == 429
        raise GatewayError(f"HTTP {exc.code}", retry=retry) from None
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        raise GatewayError(f"网络错误 {type(exc).__name__}") from None
    try:
        return json.loads(raw or b"{}")
    except ValueError:
        raise GatewayError("应答不是 JSON") from None
