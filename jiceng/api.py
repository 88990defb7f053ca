"""The REST API at /api/v1/: session or bearer-token auth, structured JSON errors.

Every collection returns {"items": [...], "count": N} with limit/offset, and every
query goes through the same visible_to() scope as the HTML pages.
"""

import json

from django.core.exceptions import (
    PermissionDenied,
    SuspiciousOperation,
    ValidationError,
)
from django.http import Http404
from django.shortcuts import render
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.openapi.docs import Swagger
from ninja.security import HttpBearer, django_auth

from jiceng.alliances import api as alliances_api
from jiceng.assessment import api as assessment_api
from jiceng.cases.api import router as cases_router
from jiceng.cases.webhook import router as hooks_router
from jiceng.core.api import router as core_router
from jiceng.core.apiutils import BODY_UNREADABLE, TOO_LARGE, NulFreeParser
from jiceng.core.errors import Conflict
from jiceng.core.services import user_for_token
from jiceng.deliberation.api import disputes as disputes_router
from jiceng.deliberation.api import topics as topics_router
from jiceng.onewindow.api import router as onewindow_router
from jiceng.party.api import router as party_router
from jiceng.people.api import router as people_router
from jiceng.places.api import router as places_router
from jiceng.volunteer.api import router as volunteer_router
from jiceng.workforce import api as workforce_api


class BearerToken(HttpBearer):
    def authenticate(self, request, token):
        user = user_for_token(token)
        if user is not None:
            request.user = user
        return user


class OfflineSwagger(Swagger):
    """The docs page from ninja's own template and vendored Swagger UI.

    ninja renders it only when "ninja" is an installed app, else it links Swagger
    UI from a CDN (unreachable on a government intranet); jiceng adds ninja's
    templates and static files by path instead (settings.NINJA_DIR). jiceng's own
    page (templates/api_docs.html) adds a way back to the site and a Chinese loading
    state; the account page links to it.
    """

    template = "api_docs.html"

    def render_page(self, request, api, **kwargs):
        self.settings["url"] = self.get_openapi_url(api, kwargs)
        context = {
            "swagger_settings": json.dumps(self.settings, indent=1),
            "api": api,
            "add_csrf": True,  # session auth is one of the API's auths
        }
        return render(request, self.template, context)


api = NinjaAPI(
    title="基层治理平台 API",
    version="1",
    description="党建引领城市基层治理平台接口。认证：会话或 `Authorization: Bearer <令牌>`"
    "（在“账号与安全”页面或 `manage.py api_token` 生成）。所有数据按调用者的角色与辖区过滤。",
    auth=[BearerToken(), django_auth],
    urls_namespace="api",
    docs=OfflineSwagger(),
    parser=NulFreeParser(),
)


def error(request, status, code, message, details=None):
    body = {"code": code, "message": message}
    if details:
        body["details"] = details
    return api.create_response(request, body, status=status)


@api.exception_handler(Http404)
def not_found(request, exc):
    return error(request, 404, "not_found", "对象不存在或不在您的权限范围内")


@api.exception_handler(PermissionDenied)
def forbidden(request, exc):
    return error(request, 403, "forbidden", str(exc) or "没有执行此操作的权限")


@api.exception_handler(SuspiciousOperation)
def refused_request(request, exc):
    # A body past DATA_UPLOAD_MAX_MEMORY_SIZE, too many fields, and the like.
    return error(request, 400, "invalid_request", TOO_LARGE)


@api.exception_handler(AuthenticationError)
def unauthenticated(request, exc):
    return error(request, 401, "unauthenticated", "请先登录或提供有效的API令牌")


@api.exception_handler(ValidationError)
def invalid(request, exc):
    if hasattr(exc, "error_dict"):
        details = [
            {"field": field, "code": e.code or "invalid", "message": m}
            for field, errors in exc.error_dict.items()
            for e in errors
            for m in e.messages
        ]
    else:
        details = [
            {"field": None, "code": e.code or "invalid", "message": m}
            for e in exc.error_list
            for m in e.messages
        ]
    # Someone else changed the object since the caller read it: 409, not 422.
    status = 409 if isinstance(exc, Conflict) else 422
    return error(request, status, details[0]["code"], details[0]["message"], details)


@api.exception_handler(NinjaValidationError)
def invalid_request(request, exc):
    details = [
        {
            "field": ".".join(str(p) for p in e.get("loc", [])[1:]) or None,
            "code": e.get("type", "invalid"),
            "message": e.get("msg", ""),
        }
        for e in exc.errors
    ]
    return error(request, 422, "invalid_request", "请求参数无效", details)


# ninja's own English messages, as the caller reads them.
NINJA_MESSAGES = {
    "Cannot parse request body": BODY_UNREADABLE,
    "CSRF check Failed": "CSRF校验失败：以会话调用接口时须带 X-CSRFToken 请求头",
}


@api.exception_handler(HttpError)
def http_error(request, exc):
    message = str(exc)
    message = next(
        (zh for en, zh in NINJA_MESSAGES.items() if message.startswith(en)), message
    )
    return error(request, exc.status_code, "error", message)


api.add_router("/", core_router)
api.add_router("/cases/", cases_router)
api.add_router("/hooks/", hooks_router)
api.add_router("/places/", places_router)
api.add_router("/volunteer/", volunteer_router)
api.add_router("/party-orgs/", party_router.orgs)
api.add_router("/members/", party_router.members)
api.add_router("/", people_router)
# 共建共治共享
api.add_router("/venues/", alliances_api.venues)
api.add_router("/agreements/", alliances_api.agreements)
api.add_router("/tasks/", alliances_api.tasks)
api.add_router("/meetings/", alliances_api.meetings)
api.add_router("/topics/", topics_router)
api.add_router("/disputes/", disputes_router)
api.add_router("/", onewindow_router)
# 智能派遣与未诉先办
from jiceng.intelligence.api import router as intelligence_router  # noqa: E402

api.add_router("/", intelligence_router)
# 社区工作者与网格
api.add_router("/patrols/", workforce_api.patrols)
api.add_router("/visits/", workforce_api.visits)
api.add_router("/workers/", workforce_api.workers)
# 考核评价与督察
api.add_router("/ratings/", assessment_api.ratings)
api.add_router("/rankings/", assessment_api.rankings)
api.add_router("/party/", party_router.life)

from jiceng.insight.api import router as insight_router  # noqa: E402

api.add_router("/dashboard/", insight_router)
# 通知与通知设置
from jiceng.notices.api import router as notices_router  # noqa: E402

api.add_router("/notices/", notices_router)
