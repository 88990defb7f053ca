"""What every service writes beside the case row: its timeline events, counted in
the KPI rollup as they are written."""

from django.utils import timezone

from .. import kpi
from ..models import CaseEvent, Status

SYSTEM = "系统"


def _measures(case, action, from_status, now):
    """What the step measures for the KPIs (see kpi.event_counts)."""
    measures = {"department_id": case.department_id}
    if from_status == Status.REPORTED and action in kpi.RESPONSE_ACTIONS:
        measures["on_time"] = case.respond_due is None or now <= case.respond_due
    if action == "close":
        handled = case.handled_at or now
        measures["on_time"] = case.escalation == 0 and (
            case.handle_due is None or handled <= case.handle_due
        )
        measures["elapsed_seconds"] = int((now - case.created_at).total_seconds())
    if action in ("rate", "reopen"):
        measures["rating"] = case.rating
    return measures


def new_event(case, action, actor, note="", from_status=""):
    """A timeline step of the case as it is now (saved by the caller)."""
    return CaseEvent(
        case=case,
        action=action,
        from_status=from_status,
        to_status=case.status,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        actor_name=str(actor) if actor else SYSTEM,
        note=note,
        **_measures(case, action, from_status, timezone.now()),
    )


def add_event(case, action, actor, note="", from_status=""):
    """Put a step on the timeline and count it in the KPI rollup, atomically."""
    event = new_event(case, action, actor, note, from_status)
    event.save()
    kpi.record(case, event)
    return event
