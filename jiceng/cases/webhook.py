"""城市之眼: video-analytics systems post alerts here, signed with a shared secret.

POST /api/v1/hooks/video/{source}
    X-Jiceng-Timestamp: unix seconds (within MAX_SKEW of now: no replays)
    X-Jiceng-Signature: sha256=<hex HMAC-SHA256 of "<timestamp>." + body>
    body: {"event_id", "category_code", "description", "lat", "lng",
           "address", "snapshot_url"}
A resent alert (same source and event_id) returns the case already made.
"""

import hashlib
import hmac
import json
import time

from django.core.exceptions import PermissionDenied, ValidationError
from ninja import Router, Schema, Status

from . import services
from .errors import CaseError, field_error
from .models import Case, Channel, VideoSource
from .services import keys

MAX_SKEW = 300

router = Router(tags=["城市之眼视频告警"])


class VideoAlert(Schema):
    event_id: str
    category_code: str
    description: str
    lat: float | None = None
    lng: float | None = None
    address: str = ""
    snapshot_url: str = ""


class AlertResult(Schema):
    case_number: str
    status_url: str
    duplicate: bool


def sign(secret, timestamp, body: bytes):
    message = f"{timestamp}.".encode() + body
    return "sha256=" + hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def create_source(name):
    """Register a video source; returns (code, secret) — the secret is shown once.
    The command line's way, the same service as the 外部接入密钥 page."""
    source, secret = keys.create_video_source(actor=None, name=name)
    return source.code, secret


def verify(source, headers, body):
    try:
        timestamp = int(headers.get("X-Jiceng-Timestamp", ""))
    except ValueError:
        raise PermissionDenied("缺少或错误的时间戳") from None
    if abs(time.time() - timestamp) > MAX_SKEW:
        raise PermissionDenied("时间戳已过期，请求可能被重放")
    expected = sign(source.secret, timestamp, body)
    if not hmac.compare_digest(expected, headers.get("X-Jiceng-Signature", "")):
        raise PermissionDenied("签名校验失败")


@router.post(
    "video/{source_code}",
    auth=None,
    response={200: AlertResult, 201: AlertResult},
    summary="接收视频智能分析告警（签名）",
)
def video_alert(request, source_code: str):
    source = VideoSource.objects.filter(code=source_code, active=True).first()
    if source is None:
        raise PermissionDenied("未登记或已停用的视频来源")
    verify(source, request.headers, request.body)
    keys.use_video_source(source)
    try:
        alert = VideoAlert(**json.loads(request.body))
    except (ValueError, TypeError) as exc:
        raise ValidationError(
            "请求体不是有效的告警JSON", code=CaseError.BAD_PAYLOAD
        ) from exc
    ref = f"{source.code}:{alert.event_id}"[:100]
    existing = Case.objects.filter(channel=Channel.VIDEO, external_ref=ref).first()
    if existing is not None:
        return Status(200, _result(request, existing, duplicate=True))
    category = services.category_by_code(alert.category_code)
    if category is None:
        raise field_error("category_code", "类别编码不存在", CaseError.CATEGORY)
    case = services.report_case(
        actor=None,
        category=category,
        description=alert.description,
        channel=Channel.VIDEO,
        lat=alert.lat,
        lng=alert.lng,
        address=alert.address,
        reporter_name=source.name[:50],
        media_url=alert.snapshot_url[:500],
        external_ref=ref,
    )
    return Status(201, _result(request, case, duplicate=False))


def _result(request, case, *, duplicate):
    return {
        "case_number": case.number,
        "status_url": request.build_absolute_uri(case.get_public_url()),
        "duplicate": duplicate,
    }
