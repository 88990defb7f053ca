"""Keep the current request's client address available to audit writes; refuse
page requests carrying NUL characters."""

import contextvars

from django.conf import settings
from django.core.exceptions import BadRequest
from django.urls import reverse

from .apiutils import NUL_REFUSED

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


class RefuseNulMiddleware:
    """Answer 400 to a page request whose query or form fields hold a NUL character.

    No text column can store NUL (PostgreSQL refuses it outright) and Django's form
    fields reject it, but a view that reads a query parameter itself would pass it
    on to a query. The API and Open311 refuse it themselves, in their own formats.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.own_refusals = (reverse("api:api-root"), reverse("open311:root"))

    def __call__(self, request):
        if not request.path_info.startswith(self.own_refusals) and (
            _has_nul(request.GET) or _form_has_nul(request)
        ):
            raise BadRequest(NUL_REFUSED)
        return self.get_response(request)


def _has_nul(query):
    return any(
        "\x00" in key or any("\x00" in v for v in values)
        for key, values in query.lists()
    )


FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def _form_has_nul(request):
    return (
        request.method == "POST"
        and request.content_type in FORM_TYPES
        and _has_nul(request.POST)
    )
