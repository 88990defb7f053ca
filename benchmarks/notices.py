"""Notices benchmark: the daily digest for 10,000 people (BENCH_DIGEST_USERS),
`notices.digest.send_digest` against a bare loop that makes the same selection
person by person, with equal results asserted.

Each person routes case work (and half of them votes too) to the digest by SMS and
has three unread notifications of the last day, one read and one older; a tenth
chose nothing. Both sides queue the same digests (the task backend is the dummy
one, so no message leaves); time and query counts are reported, and their ratios.

    BENCH_ENGINE=sqlite .venv/bin/python benchmarks/notices.py
"""

import os
import sys
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._common import (
    engine,
    env_int,
    migrated_database,
    ratio,
    section,
    table,
    write_results,
)


def _people(count):
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from jiceng.core import crypto
    from jiceng.notices.models import (
        Channel,
        Contact,
        NoticeKind,
        Notification,
        Preference,
    )

    User = get_user_model()
    User.objects.bulk_create(
        [User(username=f"dg{i:06d}") for i in range(count)], batch_size=2000
    )
    users = list(User.objects.filter(username__startswith="dg").order_by("pk"))
    prefs, contacts, notes = [], [], []
    now = timezone.now()
    for i, user in enumerate(users):
        if i % 10 == 9:
            continue  # a tenth chose no digest
        prefs.append(
            Preference(
                user=user,
                kind=NoticeKind.CASE_ASSIGNED,
                channel=Channel.DIGEST,
                enabled=True,
            )
        )
        if i % 2:
            prefs.append(
                Preference(
                    user=user,
                    kind=NoticeKind.VOTE_OPEN,
                    channel=Channel.DIGEST,
                    enabled=True,
                )
            )
        contacts.append(
            Contact(
                user=user,
                phone_cipher=crypto.encrypt(f"139{i:08d}"),
                phone_mask=f"139****{i % 10000:04d}",
            )
        )
    for user in users:
        notes += [
            Notification(user=user, kind=NoticeKind.CASE_ASSIGNED, message="案件"),
            Notification(user=user, kind=NoticeKind.CASE_ASSIGNED, message="案件"),
            Notification(user=user, kind=NoticeKind.VOTE_OPEN, message="表决"),
            Notification(
                user=user, kind=NoticeKind.CASE_ASSIGNED, message="已读", read_at=now
            ),
        ]
    Preference.objects.bulk_create(prefs, batch_size=2000)
    Contact.objects.bulk_create(contacts, batch_size=2000)
    Notification.objects.bulk_create(notes, batch_size=2000)
    old = now - timedelta(days=3)
    Notification.objects.filter(
        pk__in=Notification.objects.filter(message="表决").values("pk")[: count // 5]
    ).update(created_at=old)
    return len(users)


def naive_digest(now):
    """The same selection, one person at a time (what a first version would do)."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from jiceng.notices import channels
    from jiceng.notices.digest import _recipient, digest_text
    from jiceng.notices.models import (
        Channel,
        Contact,
        Delivery,
        NoticeKind,
        Notification,
        Preference,
    )

    day = timezone.localdate(now)
    since = now - timedelta(days=1)
    configured = channels.configured_channels()
    users = (
        get_user_model()
        .objects.filter(
            notice_preferences__channel=Channel.DIGEST,
            notice_preferences__enabled=True,
        )
        .distinct()
    )
    made = 0
    for user in users:
        kinds = list(
            Preference.objects.filter(
                user=user, channel=Channel.DIGEST, enabled=True
            ).values_list("kind", flat=True)
        )
        counts = Counter(
            Notification.objects.filter(
                user=user, kind__in=kinds, created_at__gte=since, read_at=None
            ).values_list("kind", flat=True)
        )
        if not counts:
            continue
        contact = Contact.objects.filter(user=user).first()
        if contact is None or contact.digest_via not in configured:
            continue
        if Delivery.objects.filter(
            user=user, channel=contact.digest_via, digest_on=day
        ).exists():
            continue
        recipient = _recipient(
            contact.digest_via,
            contact.phone_cipher,
            contact.phone_mask,
            contact.wechat_openid,
        )
        if recipient is None:
            continue
        Delivery.objects.create(
            user=user,
            kind=NoticeKind.GENERAL,
            channel=contact.digest_via,
            recipient_cipher=recipient[0],
            recipient_mask=recipient[1],
            message=digest_text(dict(counts)),
            params={"url": "/notices/"},
            digest_on=day,
        )
        made += 1
    return made


def _measure(fn, now):
    from django.db import connection

    from jiceng.notices.models import Delivery

    Delivery.objects.all().delete()
    count = [0]

    def counting(execute, sql, params, many, context):
        count[0] += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(counting):
        started = time.perf_counter()
        fn(now)
        seconds = time.perf_counter() - started
    result = set(Delivery.objects.values_list("user_id", "message", "recipient_mask"))
    return seconds, count[0], result


def bench_digest(count):
    from django.utils import timezone

    from jiceng.notices import digest

    now = timezone.now()
    rounds = []
    for _ in range(2):  # interleaved: the same cache state for both
        rounds.append(
            (
                _measure(lambda n: digest.send_digest(now=n), now),
                _measure(naive_digest, now),
            )
        )
    (fast_s, fast_q, fast_rows), (slow_s, slow_q, slow_rows) = rounds[-1]
    assert fast_rows == slow_rows, "the digest and the bare loop disagree"
    fast_s = min(r[0][0] for r in rounds)
    slow_s = min(r[1][0] for r in rounds)
    table(
        [
            ["send_digest", len(fast_rows), f"{fast_s:.2f}", fast_q],
            ["bare loop", len(slow_rows), f"{slow_s:.2f}", slow_q],
            ["ratio (loop / digest)", "", ratio(slow_s, fast_s), ratio(slow_q, fast_q)],
        ],
        ["", "digests", "seconds", "queries"],
    )
    return {
        "people": count,
        "digests": len(fast_rows),
        "digest_seconds": round(fast_s, 3),
        "digest_queries": fast_q,
        "loop_seconds": round(slow_s, 3),
        "loop_queries": slow_q,
        "time_ratio": ratio(slow_s, fast_s),
        "query_ratio": ratio(slow_q, fast_q),
    }


def main():
    os.environ["JICENG_TASK_BACKEND"] = "django_tasks.backends.dummy.DummyBackend"
    os.environ["JICENG_NOTICE_OUTBOX"] = "file"  # SMS "configured" as the outbox
    migrated_database("notices")
    count = env_int("BENCH_DIGEST_USERS", 10000)
    with section(f"准备 {count} 名用户的通知与偏好"):
        _people(count)
    with section("每日汇总：send_digest 对比逐人查询的循环"):
        data = {"engine": engine(), "digest": bench_digest(count)}
    write_results("notices", data, section=engine())
    return data


if __name__ == "__main__":
    main()
