"""Helpers every one-window view shares."""

from jiceng.core.actions import act, error_text  # noqa: F401  (re-exported for the views)
from jiceng.core.scope import has_permission


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
