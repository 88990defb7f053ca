"""Deadlines: overdue cases climb a level each sweep (escalate_overdue)."""

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from jiceng.core import audit
from jiceng.core.models import AuditAction

from .. import notify, workdays
from ..models import Case
from ..workflow import Status
from .timeline import add_event

ESCALATION_LEVELS = ["网格", "社区", "街道", "区"]


def _escalating(cases, now):
    return cases.overdue(now).filter(
        Q(escalate_after__isnull=True) | Q(escalate_after__lte=now),
        status=Status.DISPATCHED,
        escalation__lt=len(ESCALATION_LEVELS) - 1,
    )


def escalate_overdue(now=None) -> int:
    """琐事不出网格、小事不出社区、大事不出街道: a case overdue in its handling stage
    moves up one level (supervised from there) each time the sweep finds it still
    overdue. Overdue is Case.objects.overdue (on hold, 挂账, is never overdue; an
    approved extension's new limit counts); the response and verification limits
    are the dispatcher's and the checker's own and do not escalate.

    Escalation changes who watches the case, not its limits: the handling limit,
    the extension and the hold stay as they were, so an escalated case still shows
    as 超期 everywhere. The level is recorded on the case (escalation), its timeline
    and its audit row; the next level is considered one working day later."""
    now = now or timezone.now()
    moved = 0
    for pk in _escalating(Case.objects.all(), now).values_list("pk", flat=True):
        with transaction.atomic():
            locked = (
                _escalating(Case.objects.select_for_update(of=("self",)), now)
                .select_related("category", "place", "grid")
                .filter(pk=pk)
                .first()
            )
            if locked is None:  # handled, held or escalated since the sweep began
                continue
            locked.escalation += 1
            locked.supervised = True
            # the next sweep looks again one working day later
            locked.escalate_after = workdays.add_working_days(now, 1)
            locked.version += 1
            locked.save()
            level = ESCALATION_LEVELS[locked.escalation]
            add_event(
                locked,
                "escalate",
                None,
                f"超期未办结，升级至{level}督办",
                from_status=locked.status,
            )
            audit.record(
                actor=None,
                action=AuditAction.UPDATE,
                target=locked,
                changes={
                    "step": "escalate",
                    "escalation": level,
                    "level": [locked.escalation - 1, locked.escalation],
                },
            )
            notify.after_step(locked, "escalate", None)
            moved += 1
    return moved
