"""The public portal's assessment sections: published 红黑榜 and public bulletins."""

from django.urls import reverse

from jiceng.core.public import PublicItem, around, register_public_section


def rankings(place, *, limit):
    """Published 红黑榜 of the place, its streets or the district, newest first."""
    from .models import Ranking, RankingStatus

    rows = (
        Ranking.objects.filter(status=RankingStatus.PUBLISHED)
        .filter(around(place, "place__path"))
        .select_related("place")
        .order_by("-published_at", "-pk")[:limit]
    )
    return [
        PublicItem(
            title=str(r),
            url=reverse("assessment:public_ranking", args=[r.pk]),
            meta=f"{r.published_at:%Y-%m-%d}公布" if r.published_at else "",
            badge="已公布",
        )
        for r in rows
    ]


def bulletins(place, *, limit):
    """Bulletins approved for the public (公开), newest first."""
    from .models import Bulletin, BulletinStatus

    rows = (
        Bulletin.objects.filter(status=BulletinStatus.PUBLIC)
        .filter(around(place, "place__path"))
        .select_related("place")
        .order_by("-published_at", "-pk")[:limit]
    )
    return [
        PublicItem(
            title=b.title,
            url=reverse("assessment:public_bulletin_file", args=[b.pk]),
            meta=b.place.name
            + (f" · {b.published_at:%Y-%m-%d}" if b.published_at else ""),
            badge="下载",
        )
        for b in rows
    ]


def register():
    register_public_section(
        "assessment.rankings",
        title="红色物业红黑榜",
        order=30,
        items=rankings,
        url="assessment:public_rankings",
        icon="award",
        description="街道审定后公布的物业服务企业红黑榜。",
    )
    register_public_section(
        "assessment.bulletins",
        title="工作通报",
        order=40,
        items=bulletins,
        url="assessment:public_bulletins",
        icon="megaphone",
        description="经审批公开的工作通报。",
    )
