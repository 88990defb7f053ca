"""The public portal's volunteer sections: the wish wall and 为民办实事."""

from django.urls import reverse
from django.utils import timezone

from jiceng.core.public import PublicItem, register_public_section, within


def wishes(place, *, limit):
    """Published wishes the residents consented to show, newest first: the public
    alias (never the resident's name), the category and the status."""
    from .models import Wish

    rows = (
        Wish.objects.public()
        .filter(within(place, "place__path"))
        .order_by("-published_at", "-pk")
        .only("pk", "title", "alias", "category", "status", "shares")[:limit]
    )
    return [
        PublicItem(
            title=w.title,
            url=reverse("volunteer:wall_detail", args=[w.pk]),
            meta=f"{w.alias} · {w.get_category_display()}",
            badge=w.get_status_display(),
        )
        for w in rows
    ]


def practical(place, *, limit):
    """This year's 为民办实事 projects with their community and progress."""
    from .models import Project

    rows = (
        Project.objects.practical(timezone.localdate().year)
        .filter(within(place, "community__path"))
        .select_related("community")
        .order_by("community__path", "pk")[:limit]
    )
    return [
        PublicItem(
            title=p.title,
            url=reverse("volunteer:practical"),
            meta=p.community.name + (f" · 计划{p.due_on:%m}月完成" if p.due_on else ""),
            badge=p.get_status_display(),
            progress=p.progress,
        )
        for p in rows
    ]


def register():
    register_public_section(
        "volunteer.wishes",
        title="心愿墙",
        order=10,
        items=wishes,
        url="volunteer:wall",
        icon="heart",
        description="困难群众的“微心愿”，欢迎党员、志愿者和共建单位认领。"
        "只展示心愿人同意公开的内容和称呼。",
    )
    register_public_section(
        "volunteer.practical",
        title="为民办实事",
        order=20,
        items=practical,
        url="volunteer:practical",
        icon="check2-square",
        description="社区党组织今年的为民办实事项目及推进情况。",
    )
