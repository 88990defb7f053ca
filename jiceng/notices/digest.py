"""The daily digest: one message per person who chose it, counting their unread
notifications of the last day by kind, sent through the channel they chose.

Bounded queries whatever the number of people: one grouped read of the unread
notifications whose kind the user routes to the digest, one read of those users'
contacts, one of today's digests already queued, then inserts in batches.
"""

from collections import defaultdict
from datetime import timedelta

from django.db import transaction
from django.db.models import Count, Exists, OuterRef
from django.utils import timezone

from . import channels
from .models import Channel, Contact, Delivery, NoticeKind, Notification, Preference
from .services import enqueue

BATCH = 2000
LABELS = dict(NoticeKind.choices)


def unread_for_digest(since):
    """Unread notifications since `since` whose kind their user routes to the
    digest."""
    wanted = Preference.objects.filter(
        user=OuterRef("user"),
        kind=OuterRef("kind"),
        channel=Channel.DIGEST,
        enabled=True,
    )
    return Notification.objects.filter(
        created_at__gte=since, read_at__isnull=True
    ).filter(Exists(wanted))


def digest_candidates(since):
    """unread_for_digest counted per (user, kind): one query."""
    return (
        unread_for_digest(since)
        .values("user_id", "kind")
        .annotate(n=Count("pk"))
        .order_by()
    )


def digest_text(counts):
    """每日汇总：您有5条未读通知（案件待办3条、表决开始2条），请登录平台查看。"""
    total = sum(counts.values())
    parts = "、".join(
        f"{LABELS.get(kind, kind)}{n}条"
        for kind, n in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    )
    return f"每日汇总：您有{total}条未读通知（{parts}），请登录平台查看。"[:300]


@transaction.atomic
def send_digest(*, now=None):
    """Queue today's digest for everyone who chose it; return a summary."""
    now = now or timezone.now()
    day = timezone.localdate(now)
    since = now - timedelta(days=1)
    counts = defaultdict(dict)
    for row in digest_candidates(since):
        counts[row["user_id"]][row["kind"]] = row["n"]
    summary = {"users": len(counts), "queued": 0, "unreachable": 0, "already": 0}
    if not counts:
        return summary
    configured = channels.configured_channels()
    contacts = Contact.objects.filter(
        user_id__in=unread_for_digest(since).values("user_id")
    ).values_list(
        "user_id", "digest_via", "phone_cipher", "phone_mask", "wechat_openid"
    )
    done = set(Delivery.objects.filter(digest_on=day).values_list("user_id", "channel"))
    rows = []
    for user_id, via, cipher, mask, openid in contacts.iterator(chunk_size=BATCH):
        if user_id not in counts:
            continue
        if (user_id, via) in done:
            summary["already"] += 1
            continue
        recipient = _recipient(via, cipher, mask, openid)
        if via not in configured or recipient is None:
            continue
        rows.append(
            Delivery(
                user_id=user_id,
                kind=NoticeKind.GENERAL,
                channel=via,
                recipient_cipher=recipient[0],
                recipient_mask=recipient[1],
                message=digest_text(counts[user_id]),
                params={"url": "/notices/"},
                digest_on=day,
            )
        )
    created = Delivery.objects.bulk_create(rows, batch_size=BATCH)
    enqueue(created)
    summary["queued"] = len(created)
    summary["unreachable"] = summary["users"] - len(created) - summary["already"]
    return summary


def _recipient(via, cipher, mask, openid):
    from jiceng.core import crypto

    from .channels.base import mask_recipient

    if via == Channel.SMS and cipher:
        return bytes(cipher), mask
    if via == Channel.WECHAT and openid:
        return crypto.encrypt(openid), mask_recipient(openid)
    return None
