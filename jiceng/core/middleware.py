"""Keep the current request's client address available to audit writes."""

import contextvars

_client_ip = contextvars.ContextVar("jiceng_client_ip", default=None)


def current_client_ip():
    return _client_ip.get()


def client_ip_from(request):
    # Behind the documented reverse proxy, REMOTE_ADDR is the proxy; it sets X-Real-IP.
    return request.META.get("HTTP_X_REAL_IP") or request.META.get("REMOTE_ADDR")


class RequestContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _client_ip.set(client_ip_from(request))
        try:
            return self.get_response(request)
        finally:
            _client_ip.reset(token)
