"""The case loop's rules, one module per seam: intake (report, routing), the workflow
steps and rating, deadlines (escalation), merging duplicates.

Pages, the API, Open311, the webhook, the tasks and the demo all call these
functions; each writes its timeline event and its audit row.
"""

from .assignment import handling_places
from .deadlines import ESCALATION_LEVELS, escalate_overdue
from .intake import (
    categories_for_reporting,
    category_by_code,
    grid_at,
    report_case,
    route,
)
from .merge import merge_case
from .steps import (
    MAX_EXTENSION_DAYS,
    REOPEN_DAYS,
    STEP_SERVICES,
    accept_case,
    available_steps,
    cancel_case,
    close_case,
    dispatch_case,
    extend_case,
    handle_case,
    hold_case,
    rate_case,
    redo_case,
    reject_case,
    release_case,
    supervise_case,
    take_step,
    transfer_case,
    verify_case,
)

__all__ = [
    "ESCALATION_LEVELS",
    "MAX_EXTENSION_DAYS",
    "REOPEN_DAYS",
    "STEP_SERVICES",
    "accept_case",
    "available_steps",
    "cancel_case",
    "categories_for_reporting",
    "category_by_code",
    "close_case",
    "dispatch_case",
    "escalate_overdue",
    "extend_case",
    "grid_at",
    "handle_case",
    "handling_places",
    "hold_case",
    "merge_case",
    "rate_case",
    "redo_case",
    "reject_case",
    "release_case",
    "report_case",
    "route",
    "supervise_case",
    "take_step",
    "transfer_case",
    "verify_case",
]
