"""Helpers shared by the apps' API routers."""

from ninja.errors import HttpError
from ninja.parser import Parser

NUL_REFUSED = "请求含有不允许的空字符（NUL）"
BODY_UNREADABLE = "请求体不是有效的JSON，或含有不允许的空字符（NUL）"
TOO_LARGE = "请求无效：请求体过大或字段过多"


def filtered(filterset_class, params, queryset):
    """Apply the app's django-filter FilterSet to a scoped queryset with API params."""
    data = {k: v for k, v in params.dict().items() if v not in (None, "")}
    return filterset_class(data, queryset=queryset).qs


def contains_nul(value):
    """Whether a parsed value holds the NUL character anywhere (keys included)."""
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(contains_nul(k) or contains_nul(v) for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return any(contains_nul(v) for v in value)
    return False


class NulFreeParser(Parser):
    """ninja's JSON and query parsing, refusing the NUL character.

    No text column can hold NUL (PostgreSQL refuses it outright and Django's forms
    reject it), so a request carrying one is answered 400 before it reaches a query.
    ninja answers a body that fails to parse with its own 400.
    """

    def parse_body(self, request):
        data = super().parse_body(request)
        if contains_nul(data):
            raise ValueError("NUL in request body")
        return data

    def parse_querydict(self, data, list_fields, request):
        values = super().parse_querydict(data, list_fields, request)
        if contains_nul(values):
            raise HttpError(400, NUL_REFUSED)
        return values
