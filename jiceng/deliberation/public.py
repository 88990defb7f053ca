"""The public portal's deliberation section: resolutions in their 公示 period."""

from django.urls import reverse
from django.utils import timezone

from jiceng.core.public import PublicItem, register_public_section, within


def in_publicity(place, *, limit):
    """Published vote results whose 公示 period runs now, ending soonest first."""
    from .views.public import public_topics
    from .workflow import Status

    rows = (
        public_topics()
        .filter(status=Status.PUBLICITY, publicity_ends__gt=timezone.now())
        .filter(within(place, "community__path"))
        .order_by("publicity_ends", "pk")[:limit]
    )
    return [
        PublicItem(
            title=t.title,
            url=reverse("deliberation:public_detail", args=[t.pk]),
            meta=f"{t.community.name} · 公示至"
            f"{timezone.localtime(t.publicity_ends):%Y-%m-%d %H:%M}",
            badge=t.get_status_display(),
        )
        for t in rows
    ]


def register():
    register_public_section(
        "deliberation.publicity",
        title="议事结果公示",
        order=50,
        items=in_publicity,
        url="deliberation:public_list",
        icon="people",
        description="居民议事会表决通过的事项在公示期内公开，"
        "对结果有异议的可在公示页提出。",
    )
