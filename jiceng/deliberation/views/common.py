"""Helpers every deliberation view shares."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render

from jiceng.core.actions import act, error_text  # noqa: F401  (re-exported for the views)
from jiceng.core.forms import add_service_errors
from jiceng.core.scope import has_permission


def form_page(request, form, call, *, title, submit, success, lead=""):
    """A form page: on a valid POST call the service and go to what it returns."""
    if request.method == "POST" and form.is_valid():
        try:
            result = call(form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, success)
            return redirect(result)
    return render(
        request,
        "deliberation/form.html",
        {"form": form, "title": title, "submit": submit, "lead": lead},
        status=400 if form.errors else 200,
    )


def flags(user):
    return {
        f"can_{name}": has_permission(user, f"deliberation.{name}")
        for name in (
            "manage",
            "raise",
            "consult",
            "vote",
            "mediate",
            "compounds",
        )
    }
