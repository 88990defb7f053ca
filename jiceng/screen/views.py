"""The big screen (大屏): the page, the one JSON it polls, and its display links."""

from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.views.decorators.http import require_POST

from jiceng.core.forms import add_service_errors
from jiceng.core.htmx import paginate
from jiceng.core.scope import (
    get_visible_or_404,
    has_permission,
    permission_required,
    require_permission,
)
from jiceng.places.models import Place, PlaceKind

from . import data, services
from .forms import LinkForm
from .models import DisplayLink

MIN_POLL, MAX_POLL = 2, 600


def poll_seconds(request) -> int:
    """The refresh interval: the setting, or ?poll=N (2–600 s) for a test or a
    screen on a slow line."""
    value = request.GET.get("poll", "")
    if value.isdigit() and len(value) < 4:
        return min(max(int(value), MIN_POLL), MAX_POLL)
    return settings.JICENG_SCREEN_POLL_SECONDS


def _error(status, code, message):
    return JsonResponse({"error": code, "message": message}, status=status)


def _no_store(response):
    response["Cache-Control"] = "no-store"
    return response


@permission_required(data.SCREEN_PERMISSION)
def index(request):
    """The reader's own screen, or a choice: the district and each of its streets."""
    places = data.screen_places(request.user)
    if len(places) == 1 and places[0].kind != PlaceKind.DISTRICT:
        target = reverse("screen:place", args=[places[0].code])
        query = request.GET.urlencode()
        return redirect(f"{target}?{query}" if query else target)
    choices = []
    for place in places:
        choices.append(place)
        if place.kind == PlaceKind.DISTRICT:
            choices.extend(
                Place.objects.get_children(place)
                .filter(kind=PlaceKind.STREET)
                .order_by("code")
            )
    return render(
        request,
        "screen/index.html",
        {
            "choices": choices,
            "can_link": has_permission(request.user, "screen.view"),
        },
    )


def _screen_page(request, place, data_url, *, display=None):
    return render(
        request,
        "screen/screen.html",
        {
            "place": place,
            "data_url": data_url,
            "poll": poll_seconds(request),
            "display": display,
            "login_url": f"{resolve_url(settings.LOGIN_URL)}?next={quote(request.path)}",
        },
    )


@permission_required(data.SCREEN_PERMISSION)
def place_screen(request, code):
    place = data.place_for(request.user, code)
    return _screen_page(request, place, reverse("screen:data", args=[place.code]))


def place_data(request, code):
    """The screen's data as JSON; errors as JSON the page understands (401: log in
    again, 403, 404), never a redirect to the login page."""
    if not request.user.is_authenticated:
        return _no_store(_error(401, "login_required", "登录已失效，请重新登录"))
    try:
        place = data.place_for(request.user, code)
    except PermissionDenied:
        return _no_store(_error(403, "forbidden", "您没有查看该大屏的权限"))
    except Http404:
        return _no_store(_error(404, "not_found", "该区域不存在或不在您的权限范围内"))
    return _no_store(JsonResponse(data.build(request.user, place)))


def _link_place(token):
    """The link's place, still within what its creator may read, or 404."""
    link = services.link_for_token(token)
    if link is None:
        raise Http404
    try:
        place = data.place_for(link.created_by, link.place.code)
    except PermissionDenied as exc:
        raise Http404 from exc
    return link, place


def display(request, token):
    """The screen behind a display link: no login, read-only, one place."""
    link, place = _link_place(token)
    response = _screen_page(
        request, place, reverse("screen:display_data", args=[token]), display=link
    )
    response["Referrer-Policy"] = "no-referrer"
    return response


def display_data(request, token):
    try:
        link, place = _link_place(token)
    except Http404:
        return _no_store(_error(404, "link_revoked", "展示链接已停用或过期"))
    return _no_store(JsonResponse(data.build(link.created_by, place)))


@permission_required("screen.view")
def links(request):
    """The display links of one's subtree, and a form to create one."""
    user = request.user
    form = LinkForm(request.POST or None, user=user)
    created = None
    if request.method == "POST":
        require_permission(user, services.LINK_PERMISSION)
        if form.is_valid():
            try:
                link, raw = services.create_link(
                    actor=user,
                    place=form.cleaned_data["place"],
                    name=form.cleaned_data["name"],
                    days=form.cleaned_data["days"],
                )
            except (ValidationError, PermissionDenied) as exc:
                add_service_errors(form, exc)
            else:
                created = {
                    "link": link,
                    "url": request.build_absolute_uri(
                        reverse("screen:display", args=[raw])
                    ),
                }
                form = LinkForm(user=user)
    page = paginate(
        request,
        DisplayLink.objects.visible_to(user)
        .select_related("place", "created_by")
        .order_by("-created_at", "-pk"),
    )
    return render(
        request,
        "screen/links.html",
        {"form": form, "page": page, "created": created},
        status=400 if form.errors else 200,
    )


@require_POST
@permission_required(services.LINK_PERMISSION)
def revoke(request, pk):
    link = get_visible_or_404(DisplayLink.objects, request.user, "manage", pk=pk)
    try:
        services.revoke_link(actor=request.user, link=link)
    except PermissionDenied as exc:
        raise Http404 from exc
    messages.success(request, f"已停用展示链接“{link.name}”")
    return redirect("screen:links")
