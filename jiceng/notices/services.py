"""Send and read notifications. Callers decide who; this keeps how in one place.

A notification belongs to its user alone: every read here is of the user's own
rows, so notifications have no place scope.
"""

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

from .errors import NoticeError
from .models import Notification


def is_local(url) -> bool:
    """Whether url stays on this site (a path), so opening it cannot lead away."""
    return url_has_allowed_host_and_scheme(url, allowed_hosts=None)


def notify(users, message, url="", *, exclude=None):
    """Notify each distinct active user once; the actor (exclude) is skipped."""
    if not message:
        raise ValidationError("通知内容不能为空", code=NoticeError.EMPTY_MESSAGE)
    if url and not is_local(url):
        raise ValidationError("通知链接须为站内地址", code=NoticeError.UNSAFE_URL)
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


def open_notification(*, user, pk):
    """Mark one of the user's notifications read and return it (None if not theirs)."""
    note = Notification.objects.filter(user=user, pk=pk).first()
    if note is not None and note.read_at is None:
        note.read_at = timezone.now()
        note.save(update_fields=["read_at"])
    return note


def mark_all_read(*, user):
    return Notification.objects.filter(user=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
