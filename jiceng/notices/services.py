"""Send and read notifications. Callers decide who and what kind; this keeps how in
one place: each person's preferences, the in-app row, and the queue of messages for
outside channels (SMS, WeChat) with their retries.

A notification belongs to its user alone: every read here is of the user's own
rows, so notifications have no place scope.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import FilteredRelation, Q, QuerySet
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

from jiceng.core import audit, crypto
from jiceng.core.models import AuditAction
from jiceng.core.validators import mask_mobile, validate_mobile

from . import channels
from .channels.base import mask_recipient
from .errors import NoticeError
from .models import (
    OUTSIDE,
    Channel,
    Contact,
    Delivery,
    DeliveryStatus,
    NoticeKind,
    Notification,
    Preference,
)

log = logging.getLogger(__name__)

# Without a preference row: in-app on; SMS, WeChat and the digest off.
DEFAULTS = {
    Channel.IN_APP: True,
    Channel.SMS: False,
    Channel.WECHAT: False,
    Channel.DIGEST: False,
}
ENQUEUE_CHUNK = 200
# A claimed delivery is left to its worker this long before another may try it.
LEASE = timedelta(minutes=10)


def is_local(url) -> bool:
    """Whether url stays on this site (a path), so opening it cannot lead away."""
    return url_has_allowed_host_and_scheme(url, allowed_hosts=None)


def _choices_among(users, kind, exclude_id):
    """(user id, channel or None, enabled) of the active users of a user queryset:
    one row per preference they set for kind, or one with None when they set none."""
    users = users.filter(is_active=True)
    if exclude_id is not None:
        users = users.exclude(pk=exclude_id)
    return (
        users.annotate(
            choice=FilteredRelation(
                "notice_preferences", condition=Q(notice_preferences__kind=kind)
            )
        )
        .order_by("pk")
        .values_list("pk", "choice__channel", "choice__enabled")
    )


def _chunks(ids, size=900):
    """Id lists small enough for one IN (...) on any engine (SQLite's variables)."""
    ids = list(ids)
    return [ids[i : i + size] for i in range(0, len(ids), size)] or [[]]


def _recipients(user_ids, channel):
    """{user_id: (ciphertext, mask)} of users reachable on an outside channel."""
    found = {}
    for chunk in _chunks(user_ids):
        found |= _recipients_among(chunk, channel)
    return found


def _recipients_among(user_ids, channel):
    rows = Contact.objects.filter(user_id__in=user_ids)
    if channel == Channel.SMS:
        return {
            u: (bytes(c), m)
            for u, c, m in rows.exclude(phone_cipher=None).values_list(
                "user_id", "phone_cipher", "phone_mask"
            )
        }
    return {
        u: (crypto.encrypt(o), mask_recipient(o))
        for u, o in rows.exclude(wechat_openid="").values_list(
            "user_id", "wechat_openid"
        )
    }


class Audience:
    """The distinct active users who will hear of something (the actor left out),
    with the channels each chose for its kind: read first, so that a caller
    holding a transaction open only writes the rows (send).

    users: a queryset of users or an iterable of users. Who is active and what
    each chose is one query (per 900 users of a list)."""

    def __init__(self, users, *, kind=NoticeKind.GENERAL, exclude=None):
        self.kind = NoticeKind(kind)
        if isinstance(users, QuerySet):
            selections = [users]
        else:
            ids = sorted({u.pk for u in users if u is not None})
            selections = [
                get_user_model().objects.filter(pk__in=chunk)
                for chunk in _chunks(ids)
                if chunk
            ]
        exclude_id = getattr(exclude, "pk", None)
        chosen, found = {}, {}
        for selection in selections:
            for user_id, channel, enabled in _choices_among(
                selection, self.kind, exclude_id
            ):
                chosen[user_id] = None
                if channel is not None:
                    found[(user_id, channel)] = enabled
        self.chosen = list(chosen)  # user ids, in id order
        self.wants = {
            (u, c): found.get((u, c), DEFAULTS[c]) for u in chosen for c in Channel
        }

    def send(self, message, url=""):
        """Notify them on their channels; return how many were told in-app."""
        if not message:
            raise ValidationError("通知内容不能为空", code=NoticeError.EMPTY_MESSAGE)
        if url and not is_local(url):
            raise ValidationError("通知链接须为站内地址", code=NoticeError.UNSAFE_URL)
        if not self.chosen:
            return 0
        kind, chosen, wants = self.kind, self.chosen, self.wants
        rows = Notification.objects.bulk_create(
            [
                Notification(
                    user_id=pk, kind=kind, message=message[:200], url=url[:300]
                )
                for pk in chosen
                if wants[(pk, Channel.IN_APP)]
            ]
        )
        in_app = {row.user_id: row for row in rows}
        outside = []
        for channel in OUTSIDE:
            if not channels.configured(channel):
                continue  # never queued for a channel nobody set up
            ids = [pk for pk in chosen if wants[(pk, channel)]]
            if not ids:
                continue
            for user_id, (cipher, mask) in _recipients(ids, channel).items():
                outside.append(
                    Delivery(
                        notification=in_app.get(user_id),
                        user_id=user_id,
                        kind=kind,
                        channel=channel,
                        recipient_cipher=cipher,
                        recipient_mask=mask,
                        message=message[:300],
                        params={"url": url[:300]} if url else {},
                    )
                )
        if outside:
            enqueue(Delivery.objects.bulk_create(outside))
        return len(rows)


def notify(users, message, url="", *, kind=NoticeKind.GENERAL, exclude=None):
    """Notify each distinct active user once (the actor, exclude, is skipped), on
    the channels each has chosen for this kind; return how many were told in-app."""
    if not message:
        raise ValidationError("通知内容不能为空", code=NoticeError.EMPTY_MESSAGE)
    return Audience(users, kind=kind, exclude=exclude).send(message, url)


def notify_once_today(users, message, url, *, kind, now=None):
    """notify, skipping users already told of this url and kind today (reminders
    that a daily command may run twice)."""
    now = now or timezone.now()
    start = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    users = list(users)
    told = set(
        Notification.objects.filter(
            user__in=[u.pk for u in users if u is not None],
            kind=kind,
            url=url,
            created_at__gte=start,
        ).values_list("user_id", flat=True)
    )
    return notify(
        [u for u in users if u is not None and u.pk not in told],
        message,
        url,
        kind=kind,
    )


def queue_sms(*, phone, message, kind, params=None):
    """Queue an SMS to someone with no account (a hotline caller), if SMS is set up.

    The number is stored only as ciphertext and a mask; it is decrypted inside the
    adapter call. Returns the delivery, or None when SMS is not configured or the
    number is not a mobile."""
    if not channels.configured(Channel.SMS) or not phone:
        return None
    try:
        number = validate_mobile(phone)
    except ValidationError:
        return None
    delivery = Delivery.objects.create(
        kind=kind,
        channel=Channel.SMS,
        recipient_cipher=crypto.encrypt(number),
        recipient_mask=mask_mobile(number),
        message=message[:300],
        params=params or {},
    )
    enqueue([delivery])
    return delivery


def enqueue(deliveries):
    """Hand the deliveries to the task worker once the transaction commits."""
    from .tasks import deliver_task

    ids = [d.pk for d in deliveries]
    for start in range(0, len(ids), ENQUEUE_CHUNK):
        chunk = ids[start : start + ENQUEUE_CHUNK]
        transaction.on_commit(lambda chunk=chunk: deliver_task.enqueue(chunk))


def backoff(attempts) -> timedelta:
    """The wait before the next try: 1, 2, 4, 8 … times the base, capped at a day."""
    seconds = settings.JICENG_NOTICE_RETRY_SECONDS * 2 ** max(attempts - 1, 0)
    return timedelta(seconds=min(seconds, 86400))


def _claim(pk, now):
    """Lock the row and take it for one attempt, or return None when it is done,
    given up, or not due yet (a later retry, or another worker's lease)."""
    with transaction.atomic():
        row = Delivery.objects.select_for_update().filter(pk=pk).first()
        if row is None or row.status not in (
            DeliveryStatus.QUEUED,
            DeliveryStatus.FAILED,
        ):
            return None
        if row.next_attempt_at and row.next_attempt_at > now:
            return None
        row.attempts += 1
        row.next_attempt_at = now + LEASE
        row.save(update_fields=["attempts", "next_attempt_at"])
        return row


def _attempt(row):
    adapter = channels.adapter_for(row.channel)
    if adapter is None:
        return channels.Result(ok=False, error="渠道未配置", retry=False)
    try:
        return adapter.send(
            crypto.decrypt(row.recipient_cipher), row.message, params=row.params
        )
    except Exception as exc:
        # the class only: an exception's text may carry the recipient
        return channels.Result(ok=False, error=f"适配器异常 {type(exc).__name__}")


def deliver(pk, *, now=None):
    """Try one delivery once; on failure schedule the next try with back-off, and
    give up after JICENG_NOTICE_MAX_ATTEMPTS. Returns the new status (or None)."""
    now = now or timezone.now()
    row = _claim(pk, now)
    if row is None:
        return None
    result = _attempt(row)
    if result.ok:
        row.status, row.sent_at = DeliveryStatus.SENT, timezone.now()
        row.next_attempt_at, row.last_error = None, ""
    elif not result.retry or row.attempts >= settings.JICENG_NOTICE_MAX_ATTEMPTS:
        row.status, row.next_attempt_at = DeliveryStatus.GAVE_UP, None
        row.last_error = result.error[:200]
    else:
        row.status = DeliveryStatus.FAILED
        row.next_attempt_at = now + backoff(row.attempts)
        row.last_error = result.error[:200]
    row.save(update_fields=["status", "sent_at", "next_attempt_at", "last_error"])
    log.info(
        "notice delivery %s %s %s attempt %s %s",
        row.pk,
        row.channel,
        row.recipient_mask,
        row.attempts,
        row.status,
    )
    if row.status == DeliveryStatus.FAILED:
        _retry_later(row)
    return row.status


def _retry_later(row):
    from .tasks import deliver_task

    if not getattr(deliver_task.get_backend(), "supports_defer", False):
        return  # the sweep (manage.py deliveries --retry, send_digest) picks it up
    when = row.next_attempt_at
    transaction.on_commit(lambda: deliver_task.using(run_after=when).enqueue([row.pk]))


def deliver_many(ids, *, now=None):
    return {pk: deliver(pk, now=now) for pk in ids}


def retry_due(*, now=None):
    """Try every delivery that is due (queued or failed, its wait over)."""
    now = now or timezone.now()
    ids = list(
        Delivery.objects.filter(
            status__in=(DeliveryStatus.QUEUED, DeliveryStatus.FAILED)
        )
        .exclude(next_attempt_at__gt=now)
        .values_list("pk", flat=True)[:5000]
    )
    return deliver_many(ids, now=now)


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


def preference_table(user):
    """{kind: {channel: enabled}} for every kind and channel, defaults filled in."""
    found = {
        (k, c): e
        for k, c, e in Preference.objects.filter(user=user).values_list(
            "kind", "channel", "enabled"
        )
    }
    return {
        kind: {ch: found.get((kind, ch), DEFAULTS[ch]) for ch in Channel}
        for kind in NoticeKind
    }


@transaction.atomic
def save_preferences(*, actor, enabled):
    """Set the actor's own choices: enabled is the set of (kind, channel) turned
    on; every other pair is off. Rows equal to the default are not stored."""
    enabled = {(NoticeKind(k), Channel(c)) for k, c in enabled}
    before = preference_table(actor)
    Preference.objects.filter(user=actor).delete()
    rows = [
        Preference(user=actor, kind=kind, channel=ch, enabled=(kind, ch) in enabled)
        for kind in NoticeKind
        for ch in Channel
        if ((kind, ch) in enabled) != DEFAULTS[ch]
    ]
    Preference.objects.bulk_create(rows)
    after = preference_table(actor)
    changed = sorted(
        f"{k}:{c}={int(v)}"
        for k, chans in after.items()
        for c, v in chans.items()
        if before[k][c] != v
    )
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=actor,
        changes={"notice_preferences": changed[:50]},
    )
    return after


@transaction.atomic
def save_contact(*, actor, phone="", wechat_openid="", digest_via=Channel.SMS):
    """Set where the actor is reached outside the platform (their own number and
    openid); an empty phone removes it. The audit row holds the mask only."""
    contact, _ = Contact.objects.select_for_update().get_or_create(user=actor)
    phone = (phone or "").strip()
    if phone and "*" not in phone:  # a masked number shown back means unchanged
        number = validate_mobile(phone)
        contact.phone_cipher, contact.phone_mask = (
            crypto.encrypt(number),
            mask_mobile(number),
        )
    elif not phone:
        contact.phone_cipher, contact.phone_mask = None, ""
    openid = (wechat_openid or "").strip()
    if openid and (
        len(openid) > 64 or not openid.replace("-", "").replace("_", "").isalnum()
    ):
        raise ValidationError(
            {"wechat_openid": "微信 openid 格式不正确"}, code=NoticeError.BAD_OPENID
        )
    contact.wechat_openid = openid
    if digest_via not in [c.value for c in OUTSIDE]:
        raise ValidationError(
            {"digest_via": "请选择每日汇总的发送渠道"}, code=NoticeError.BAD_CHANNEL
        )
    contact.digest_via = digest_via
    contact.save()
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=contact,
        changes={
            "phone": contact.phone_mask,
            "wechat": bool(contact.wechat_openid),
            "digest_via": digest_via,
        },
    )
    return contact
