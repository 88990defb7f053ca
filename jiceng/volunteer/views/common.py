"""Helpers every volunteering view shares."""

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
        "can_manage": has_permission(user, "volunteer.manage"),
        "can_join": has_permission(user, "volunteer.join"),
        "can_collect": has_permission(user, "volunteer.collect"),
    }
