"""The portal's data: the seeded demo district plus one row of every public kind,
published and not, so a test can tell what leaks."""

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone


@dataclass
class Public:
    """Rows the tests look for (shown) and rows that must stay hidden."""

    shown: dict
    hidden: dict
    streets: list
    communities: list
    beneficiary_name: str


def grid_in(community):
    from jiceng.places.models import Place, PlaceKind

    return (
        Place.objects.filter(kind=PlaceKind.GRID, path__startswith=community.path)
        .order_by("path")
        .first()
    )


@pytest.fixture
def public(db, people):
    from jiceng.assessment.models import (
        Bulletin,
        BulletinKind,
        BulletinStatus,
        Ranking,
        RankingStatus,
    )
    from jiceng.deliberation.models import Poll, PollStatus, Topic
    from jiceng.deliberation.workflow import Grade, Status
    from jiceng.people.models import Resident
    from jiceng.places.models import Place, PlaceKind
    from jiceng.volunteer.models import Wish, WishStatus

    now = timezone.now()
    streets = list(Place.objects.filter(kind=PlaceKind.STREET).order_by("path"))
    communities = [
        Place.objects.filter(kind=PlaceKind.COMMUNITY, path__startswith=s.path)
        .order_by("path")
        .first()
        for s in streets
    ]
    first, second = communities[0], communities[1]
    beneficiary = Resident.objects.filter(name__regex=r"^.{3}$").first()

    def wish(title, community, **fields):
        fields.setdefault("story", "想要一个保温杯")
        return Wish.objects.create(
            title=title,
            category="other",
            place=grid_in(community),
            alias="陈阿姨",
            collected_by=people["wangge"],
            published_at=now,
            beneficiary=beneficiary,
            **fields,
        )

    shown, hidden = {}, {}
    shown["wish_first"] = wish(
        "门户测试心愿甲", first, consent=True, status=WishStatus.PUBLISHED
    ).title
    shown["wish_second"] = wish(
        "门户测试心愿乙", second, consent=True, status=WishStatus.PUBLISHED
    ).title
    hidden["wish_no_consent"] = wish(
        "门户未同意公开的心愿",
        first,
        consent=False,
        status=WishStatus.PUBLISHED,
        story="联系电话13812345678，身份证110101199003071234",
    ).title
    hidden["wish_collected"] = wish(
        "门户待审核的心愿", first, consent=True, status=WishStatus.COLLECTED
    ).title

    published = Ranking.objects.create(
        place=streets[0],
        period="2098Q1",
        status=RankingStatus.PUBLISHED,
        published_at=now,
    )
    draft = Ranking.objects.create(
        place=streets[0], period="2098Q2", status=RankingStatus.DRAFT
    )
    shown["ranking"], hidden["ranking_draft"] = str(published), str(draft)

    def bulletin(title, status):
        row = Bulletin(
            place=streets[0],
            kind=BulletinKind.choices[0][0],
            period="2098-01",
            title=title,
            status=status,
            published_at=now,
        )
        row.file.save("bulletin.docx", ContentFile(b"PK\x03\x04 docx"), save=False)
        row.save()
        return row.title

    shown["bulletin"] = bulletin("门户公开通报", BulletinStatus.PUBLIC)
    hidden["bulletin_pending"] = bulletin("门户待审批通报", BulletinStatus.PENDING)
    hidden["bulletin_internal"] = bulletin("门户内部通报", BulletinStatus.INTERNAL)

    # two published results: one in its 公示 period, one whose period has ended
    majors = Topic.objects.filter(grade=Grade.MAJOR, poll__isnull=False)
    running, expired = list(majors.order_by("pk")[:2])
    Poll.objects.filter(topic__in=[running, expired]).update(status=PollStatus.CLOSED)
    Topic.objects.filter(pk=running.pk).update(
        status=Status.PUBLICITY,
        title="门户公示中的决议",
        publicity_starts=now - timedelta(days=1),
        publicity_ends=now + timedelta(days=3),
    )
    Topic.objects.filter(pk=expired.pk).update(
        status=Status.PUBLICITY,
        title="门户公示已结束的决议",
        publicity_starts=now - timedelta(days=9),
        publicity_ends=now - timedelta(days=2),
    )
    shown["topic"], hidden["topic_expired"] = "门户公示中的决议", "门户公示已结束的决议"
    return Public(shown, hidden, streets, communities, beneficiary.name)
