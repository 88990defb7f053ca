"""Helpers every one-window view shares."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect

from jiceng.core.scope import has_permission


def error_text(exc):
    if isinstance(exc, PermissionDenied):
        return str(exc) or "超出权限范围"
    return "；".join(exc.messages)


def act(request, call, success, target):
    """Call a service; flash its outcome and go back to target (POST-redirect-GET)."""
    try:
        result = call()
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, error_text(exc))
        return redirect(target)
    messages.success(request, success(result) if callable(success) else success)
    return redirect(target)


def flags(user):
    return {
        perm: has_permission(user, f"onewindow.{perm}")
        for perm in (
            "accept",
            "handle",
            "manage",
            "configure",
            "proxy",
            "apply",
            "book",
            "request",
        )
    }


def is_staff(user):
    return any(
        has_permission(user, f"onewindow.{p}")
        for p in ("accept", "handle", "manage", "proxy")
    )


def uploads_from(request):
    """Files posted as material_<id> → {material id: file}."""
    found = {}
    for key, upload in request.FILES.items():
        if key.startswith("material_") and key[9:].isdigit():
            found[int(key[9:])] = upload
    return found


def ticked_from(request):
    return [int(v) for v in request.POST.getlist("provided") if v.isdigit()]


def community_of_place(place):
    from ..services.common import community_of

    return community_of(place)
