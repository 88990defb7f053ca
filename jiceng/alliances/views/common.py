"""Helpers every co-governance view shares."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render

from jiceng.core.actions import act, error_text  # noqa: F401  (re-exported for the views)
from jiceng.core.forms import add_service_errors
from jiceng.core.scope import has_permission


def form_page(request, form, title, save, *, submit="保存", lead="", multipart=False):
    """A form page: on a valid POST call save(cleaned_data); service errors stay
    on the form with what was typed."""
    if request.method == "POST" and form.is_valid():
        try:
            result = save(dict(form.cleaned_data))
        except (ValidationError, PermissionDenied) as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"{title}：已保存")
            return redirect(result)
    return render(
        request,
        "alliances/form.html",
        {
            "form": form,
            "title": title,
            "submit": submit,
            "lead": lead,
            "multipart": multipart,
        },
        status=400 if form.errors else 200,
    )


def flags(user):
    return {
        "can_change": has_permission(user, "alliances.change"),
        "can_book": has_permission(user, "alliances.book"),
        "can_approve": has_permission(user, "alliances.approve"),
    }
