"""Helpers every volunteering view shares."""

from jiceng.core.actions import act, error_text  # noqa: F401  (re-exported for the views)
from jiceng.core.scope import has_permission


def flags(user):
    return {
        "can_manage": has_permission(user, "volunteer.manage"),
        "can_join": has_permission(user, "volunteer.join"),
        "can_collect": has_permission(user, "volunteer.collect"),
    }
