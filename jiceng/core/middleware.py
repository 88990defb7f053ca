"""Keep the current request's client address available to audit writes."""

import contextvars

from django.conf import settings

_client_ip = contextvars.ContextVar("jiceng_client_ip", default=None)


def current_client_ip():
    return _client_ip.get()


def client_ip_from(request):
    """The client's address for the audit log.

    X-Real-IP is taken only from a proxy listed in JICENG_TRUSTED_PROXIES (the
    documented nginx in front); from anyone else it could be forged."""
    remote = request.META.get("REMOTE_ADDR")
    if remote in settings.JICENG_TRUSTED_PROXIES:
        return request.META.get("HTTP_X_REAL_IP") or remote
    return remote


class RequestContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _client_ip.set(client_ip_from(request))
        try:
            return self.get_response(request)
        finally:
            _client_ip.reset(token)
