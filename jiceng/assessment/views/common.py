"""Helpers the assessment pages share."""

from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError

from jiceng.core.actions import act, error_text  # noqa: F401  (re-exported)
from jiceng.core.bounds import parse_id
from jiceng.core.scope import has_permission
from jiceng.places.models import Place

FLAGS = (
    "rate",
    "mutual",
    "rank",
    "configure",
    "inspect",
    "rectify",
    "bulletin",
    "projects",
    "apply",
    "funds",
    "honours",
)


def flags(user):
    return {f"can_{n}": has_permission(user, f"assessment.{n}") for n in FLAGS}


def posted_place(request):
    """The place named by the form's "place" field, or None (also for a value
    that is not an id: a tampered form gets "请选择…", not a server error)."""
    pk = parse_id(request.POST.get("place"))
    return Place.objects.filter(pk=pk).first() if pk else None


def posted_date(request, name, label):
    try:
        return date.fromisoformat(request.POST.get(name, ""))
    except ValueError:
        raise ValidationError(f"请填写有效的{label}（年-月-日）") from None


def posted_decimal(request, name, label):
    try:
        return Decimal(request.POST.get(name, "").strip())
    except InvalidOperation:
        raise ValidationError(f"请填写有效的{label}") from None


def version_of(request):
    value = request.POST.get("version")
    return int(value) if value and value.isdigit() else None
