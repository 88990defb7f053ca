"""Send and read notifications. Callers decide who; this keeps how in one place."""

from django.utils import timezone

from .models import Notification


def notify(users, message, url="", *, exclude=None):
    """Notify each distinct active user once; the actor (exclude) is skipped."""
    exclude_id = getattr(exclude, "pk", None)
    seen, rows = set(), []
    for user in users:
        if user is None or user.pk in seen or user.pk == exclude_id:
            continue
        if not user.is_active:
            continue
        seen.add(user.pk)
        rows.append(Notification(user=user, message=message[:200], url=url[:300]))
    Notification.objects.bulk_create(rows)
    return len(rows)


def unread_count(user):
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def open_notification(user, pk):
    """Mark one of the user's notifications read and return it (None if not theirs)."""
    note = Notification.objects.filter(user=user, pk=pk).first()
    if note is not None and note.read_at is None:
        note.read_at = timezone.now()
        note.save(update_fields=["read_at"])
    return note


def mark_all_read(user):
    return Notification.objects.filter(user=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
