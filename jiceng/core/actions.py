"""A page's POST action: call a service, flash its outcome in Chinese, redirect.

Every app's buttons (approve, cancel, check in …) go through `act`, so a refused
step reads the same everywhere and nothing reaches a 500.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect


def error_text(exc):
    """One Chinese sentence for a service's refusal."""
    if isinstance(exc, PermissionDenied):
        return str(exc) or "超出权限范围"
    return "；".join(exc.messages)


def act(request, call, success, target):
    """Call a service; flash its outcome and go back to target (POST-redirect-GET).

    success is a message, or a function of the service's result that makes one.
    """
    try:
        result = call()
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, error_text(exc))
        return redirect(target)
    messages.success(request, success(result) if callable(success) else success)
    return redirect(target)
