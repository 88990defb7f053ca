"""Write audit entries. Every service that changes or reveals data calls record()."""

from .middleware import current_client_ip
from .models import AuditAction, AuditEntry

SYSTEM_ACTOR_NAME = "system"


def record(
    *,
    actor,
    action: AuditAction,
    target=None,
    target_type="",
    target_id="",
    target_repr="",
    changes=None,
    ip=None,
) -> AuditEntry:
    """Append one audit row for actor doing action on target."""
    if target is not None:
        target_type = target_type or target._meta.label_lower
        target_id = target_id or str(target.pk)
        target_repr = target_repr or str(target)[:200]
    is_user = actor is not None and getattr(actor, "is_authenticated", False)
    return AuditEntry.objects.create(
        actor=actor if is_user else None,
        actor_name=actor.get_username() if is_user else (actor or SYSTEM_ACTOR_NAME),
        action=action,
        target_type=target_type,
        target_id=str(target_id),
        target_repr=target_repr[:200],
        changes=changes or {},
        ip=ip or current_client_ip(),
    )


def diff(before: dict, after: dict, *, hidden=()) -> dict:
    """Return {field: [old, new]} for changed fields; hidden fields show only '已修改'."""
    changes = {}
    for key in sorted(set(before) | set(after)):
        old, new = before.get(key), after.get(key)
        if old != new:
            changes[key] = (
                ["***", "***"] if key in hidden else [_jsonable(old), _jsonable(new)]
            )
    return changes


def _jsonable(value):
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def entries_for(target):
    """The audit rows about one record (its history), newest first."""
    return AuditEntry.objects.filter(
        target_type=target._meta.label_lower, target_id=str(target.pk)
    ).order_by("-at", "-pk")
