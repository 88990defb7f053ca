"""Open311 GeoReport v2 at /open311/v2/: discovery, services, requests, tokens.

Every endpoint answers in JSON or XML by its extension; errors are the spec's array
of {code, description} with the matching HTTP status. Requests are created through
the same report_case service as the pages. Statuses map to open/closed.
"""

import math
import re
from datetime import datetime, timedelta
from functools import wraps
from xml.etree import ElementTree as ET

from django.conf import settings
from django.core.exceptions import SuspiciousOperation, ValidationError
from django.db.models import OuterRef, Subquery
from django.http import HttpResponse, JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.views.decorators.csrf import csrf_exempt

from jiceng.core.apiutils import NUL_REFUSED, TOO_LARGE, contains_nul
from jiceng.core.ledgers import choice_labels
from jiceng.places.models import Place

from . import services
from .models import OPEN_STATUSES, Case, CaseEvent, Channel
from .services import keys

SPEC = "http://wiki.open311.org/GeoReport_v2"
DEFAULT_WINDOW = timedelta(days=90)
# Dates a query may name: wide enough for any record, narrow enough to do sums on.
MIN_DATE, MAX_DATE = datetime(1900, 1, 1), datetime(2999, 12, 31)
MAX_RESULTS = 1000
ATTRIBUTES = [
    {
        "variable": True,
        "code": "anonymous",
        "datatype": "singlevaluelist",
        "required": False,
        "datatype_description": "是否匿名",
        "order": 1,
        "description": "匿名上报时不公开联系人",
        "values": [{"key": "true", "name": "匿名"}, {"key": "false", "name": "实名"}],
    },
    {
        "variable": True,
        "code": "location_detail",
        "datatype": "string",
        "required": False,
        "datatype_description": "楼栋、门牌或地标",
        "order": 2,
        "description": "补充位置说明",
        "values": [],
    },
]


class Open311Error(Exception):
    def __init__(self, status, description):
        super().__init__(description)
        self.status, self.description = status, description


def create_key(name):
    """Store a new key and return it in clear (shown once): the command line's way,
    the same service as the 外部接入密钥 page."""
    _key, raw = keys.create_open311_key(actor=None, name=name)
    return raw


# --- rendering -----------------------------------------------------------------------

# Characters XML 1.0 cannot carry, even escaped (text echoed from a request may).
XML_ILLEGAL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _xml_value(parent, tag, value):
    element = ET.SubElement(parent, tag)
    if isinstance(value, list):
        child_tag = {
            "endpoints": "endpoint",
            "formats": "format",
            "attributes": "attribute",
            "values": "value",
            "keywords": "keyword",
        }.get(tag, "item")
        for item in value:
            _xml_value(element, child_tag, item)
    elif isinstance(value, dict):
        for key, inner in value.items():
            _xml_value(element, key, inner)
    elif isinstance(value, bool):
        element.text = "true" if value else "false"
    elif value is not None:
        element.text = XML_ILLEGAL_RE.sub("", str(value))


def render(data, fmt, *, root, item, status=200):
    """data is a list of dicts (or one dict for discovery/definitions)."""
    if fmt == "json":
        return JsonResponse(
            data, safe=False, status=status, json_dumps_params={"ensure_ascii": False}
        )
    top = ET.Element(root)
    for entry in data if isinstance(data, list) else [data]:
        node = ET.SubElement(top, item) if item else top
        for key, value in entry.items():
            _xml_value(node, key, value)
    body = b'<?xml version="1.0" encoding="utf-8"?>' + ET.tostring(
        top, encoding="utf-8"
    )
    return HttpResponse(body, status=status, content_type="text/xml; charset=utf-8")


def error(fmt, status, description):
    return render(
        [{"code": status, "description": description}],
        fmt,
        root="errors",
        item="error",
        status=status,
    )


def endpoint(*methods):
    """Check the method and the format, and answer every refusal (Open311Error,
    a wrong method or format) with the spec's error array."""

    def decorate(view):
        @wraps(view)
        def wrapped(request, *args, fmt="json", **kwargs):
            if fmt not in ("json", "xml"):
                return error("json", 400, "格式应为 json 或 xml")
            if request.method not in methods:
                refused = error(fmt, 405, f"只支持 {'、'.join(methods)} 请求")
                refused["Allow"] = ", ".join(methods)
                return refused
            try:
                fields = (*request.GET.lists(), *request.POST.lists())
                if any(contains_nul(v) for v in fields):
                    return error(fmt, 400, NUL_REFUSED)
                return view(request, *args, fmt=fmt, **kwargs)
            except Open311Error as exc:
                return error(fmt, exc.status, exc.description)
            except SuspiciousOperation:  # a body past the size limit, too many fields
                return error(fmt, 400, TOO_LARGE)

        return wrapped

    return decorate


def iso(moment):
    return timezone.localtime(moment).isoformat() if moment else None


# --- endpoints -----------------------------------------------------------------------


@endpoint("GET")
def discovery(request, fmt):
    base = request.build_absolute_uri(reverse("open311:root"))
    return render(
        {
            "changeset": "2026-11-01T00:00:00+08:00",
            "contact": getattr(
                settings, "JICENG_OPEN311_CONTACT", "本区城市运行管理中心"
            ),
            "key_service": "向区城市运行管理中心申请 API 密钥",
            "endpoints": [
                {
                    "specification": SPEC,
                    "url": base,
                    "changeset": "2026-11-01T00:00:00+08:00",
                    "type": "production",
                    "formats": ["application/json", "text/xml"],
                }
            ],
        },
        fmt,
        root="discovery",
        item=None,
    )


def _service(category):
    return {
        "service_code": category.code,
        "service_name": category.name,
        "description": category.full_name,
        "metadata": True,
        "type": "realtime",
        "keywords": ",".join([category.get_type_display(), category.parent.name]),
        "group": f"{category.get_type_display()}·{category.parent.name}",
    }


@endpoint("GET")
def service_list(request, fmt):
    return render(
        [_service(c) for c in services.categories_for_reporting()],
        fmt,
        root="services",
        item="service",
    )


@endpoint("GET")
def service_definition(request, code, fmt):
    category = services.categories_for_reporting().filter(code=code).first()
    if category is None:
        raise Open311Error(404, f"服务代码 {code} 不存在")
    return render(
        {"service_code": category.code, "attributes": ATTRIBUTES},
        fmt,
        root="service_definition",
        item=None,
    )


def _media_url(request, case):
    """The first photo through a signed link to that photo alone."""
    photos = list(case.photos.all())  # prefetched by _requests_query
    if not photos:
        return case.media_url
    return request.build_absolute_uri(photos[0].get_url())


def _request_data(request, case, status_labels):
    """One request's fields; status_labels: choice_labels(Case, "status"), read once
    per response (get_status_display() hashes the translated choices on every call)."""
    last_note, last_at = case.last_note, case.last_at  # annotated by _requests_query
    return {
        "service_request_id": case.number,
        "status": "open" if case.status in OPEN_STATUSES else "closed",
        "status_notes": status_labels[case.status]
        + (f"：{last_note}" if last_note else ""),
        "service_name": case.category.name,
        "service_code": case.category.code,
        "description": case.description,
        "agency_responsible": str(case.department or case.grid or "城市运行管理中心"),
        "service_notice": "",
        "requested_datetime": iso(case.created_at),
        "updated_datetime": iso(last_at or case.created_at),
        "expected_datetime": iso(case.handle_due),
        "address": case.address,
        "address_id": case.place.code,
        "zipcode": "",
        "lat": case.lat,
        "long": case.lng,
        "media_url": _media_url(request, case),
    }


def _requests_query():
    # The latest timeline entry's note and time in the same query: one query per
    # case for up to MAX_RESULTS cases took 25 s at a district's size (load test).
    last = CaseEvent.objects.filter(case=OuterRef("pk")).order_by("-at", "-pk")
    return (
        Case.objects.select_related("category", "department", "grid", "place")
        .prefetch_related("photos")
        .annotate(
            last_note=Subquery(last.values("note")[:1]),
            last_at=Subquery(last.values("at")[:1]),
        )
    )


@csrf_exempt  # an API for outside clients, authenticated by api_key, not by session
@endpoint("GET", "POST")
def requests_collection(request, fmt):
    if request.method == "POST":
        return _create(request, fmt)
    params = request.GET
    cases = _requests_query()
    if params.get("service_request_id"):
        ids = [i.strip() for i in params["service_request_id"].split(",") if i.strip()]
        cases = cases.filter(number__in=ids)
    else:
        end = _date(params.get("end_date")) or timezone.now()
        start = _date(params.get("start_date")) or end - DEFAULT_WINDOW
        cases = cases.filter(created_at__gte=start, created_at__lte=end)
        if params.get("service_code"):
            cases = cases.filter(category__code__in=params["service_code"].split(","))
        statuses = {s.strip() for s in params.get("status", "").split(",") if s.strip()}
        if statuses - {"open", "closed"}:
            raise Open311Error(400, "status 应为 open 或 closed")
        if statuses == {"open"}:
            cases = cases.filter(status__in=OPEN_STATUSES)
        elif statuses == {"closed"}:
            cases = cases.exclude(status__in=OPEN_STATUSES)
    cases = cases.order_by("-created_at")[:MAX_RESULTS]
    labels = choice_labels(Case, "status")
    return render(
        [_request_data(request, c, labels) for c in cases],
        fmt,
        root="service_requests",
        item="request",
    )


def _date(text):
    if not text:
        return None
    try:
        moment = parse_datetime(text)
    except ValueError:  # well formed, but no such day or time
        moment = None
    if moment is None or not MIN_DATE <= moment.replace(tzinfo=None) <= MAX_DATE:
        raise Open311Error(
            400, f"日期格式应为 ISO 8601（{MIN_DATE.year}–{MAX_DATE.year}年）：{text}"
        )
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


def _create(request, fmt):
    data = request.POST
    key = keys.use_open311_key(data.get("api_key", ""))
    if key is None:
        raise Open311Error(403, "api_key 无效")
    category = services.category_by_code(data.get("service_code", ""))
    if category is None or not category.is_reportable:
        raise Open311Error(404, "service_code 不存在")
    place, lat, lng = None, None, None
    if data.get("lat") and data.get("long"):
        try:
            lat, lng = float(data["lat"]), float(data["long"])
        except ValueError as exc:
            raise Open311Error(400, "lat/long 应为数字") from exc
        if not (math.isfinite(lat) and math.isfinite(lng)) or not (
            -90 <= lat <= 90 and -180 <= lng <= 180
        ):
            raise Open311Error(
                400, "lat 应在 -90 到 90 之间，long 应在 -180 到 180 之间"
            )
    elif data.get("address_id"):
        place = Place.objects.filter(code=data["address_id"]).first()
        if place is None:
            raise Open311Error(400, "address_id 不存在")
    elif not data.get("address_string"):
        raise Open311Error(400, "需要 lat/long、address_string 或 address_id 之一")
    attribute = {
        k[len("attribute[") : -1]: v
        for k, v in data.items()
        if k.startswith("attribute[") and k.endswith("]")
    }
    name = " ".join(
        p for p in (data.get("last_name", ""), data.get("first_name", "")) if p
    )
    address = " ".join(
        p
        for p in (data.get("address_string", ""), attribute.get("location_detail", ""))
        if p
    )
    if place is None and lat is None:
        place = _place_for_address(data["address_string"])
    try:
        case = services.report_case(
            actor=None,
            category=category,
            description=data.get("description", ""),
            channel=Channel.OPEN311,
            place=place,
            lat=lat,
            lng=lng,
            address=address,
            reporter_name=name,
            reporter_phone=data.get("phone", ""),
            anonymous=attribute.get("anonymous") == "true",
            media_url=data.get("media_url", "")[:500],
            open311_key=key,
        )
    except ValidationError as exc:
        raise Open311Error(400, "；".join(exc.messages)) from exc
    status_page = request.build_absolute_uri(case.get_public_url())
    return render(
        [
            {
                "service_request_id": case.number,
                "service_notice": f"已受理，进度见 {status_page}",
                "account_id": data.get("account_id", ""),
            }
        ],
        fmt,
        root="service_requests",
        item="request",
        status=201,
    )


def _place_for_address(text):
    from jiceng.places.resolver import address_names, normalize_address

    wanted = normalize_address(text)
    for pk, _path, _kind, name in address_names([""]):
        if wanted and wanted in normalize_address(name):
            return Place.objects.get(pk=pk)
    raise Open311Error(400, f"无法根据地址定位：{text}，请提供 lat/long")


@endpoint("GET")
def request_detail(request, number, fmt):
    case = _requests_query().filter(number=number).first()
    if case is None:
        raise Open311Error(404, f"请求 {number} 不存在")
    return render(
        [_request_data(request, case, choice_labels(Case, "status"))],
        fmt,
        root="service_requests",
        item="request",
    )


@endpoint("GET")
def token_detail(request, token, fmt):
    # Requests are created at once, so the token is the request's own number.
    case = Case.objects.filter(number=token).first()
    if case is None:
        raise Open311Error(404, f"token {token} 不存在")
    return render(
        [{"service_request_id": case.number, "token": token}],
        fmt,
        root="service_requests",
        item="request",
    )


def root(request):
    return discovery(request, fmt="json")
