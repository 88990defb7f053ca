"""The public portal's onewindow sections: service points and the catalogue."""

from django.urls import reverse

from jiceng.core.public import PublicItem, register_public_section, within


def points(place, *, limit):
    """Open service points of the place: name, kind, address and opening hours."""
    from .views.points import public_points

    rows = (
        public_points()
        .filter(within(place, "place__path"))
        .order_by("place__path", "name", "pk")
        .only("pk", "name", "kind", "address", "hours")[:limit]
    )
    map_url = reverse("onewindow:map")
    return [
        PublicItem(
            title=p.name,
            url=f"{map_url}?kind={p.kind}",
            meta=f"{p.address} · {p.hours}",
            badge=p.get_kind_display(),
        )
        for p in rows
    ]


def catalogue(place, *, limit):
    """The district's service items in use: where they are taken in and handled,
    the promised time and the fee (the catalogue every window publishes)."""
    from .models import ServiceItem

    rows = ServiceItem.objects.filter(active=True)
    if place is not None:
        rows = rows.filter(district__path=place.path[: place.steplen])
    rows = rows.select_related("department").order_by("category", "code")[:limit]
    return [
        PublicItem(
            title=i.name,
            meta=f"{i.levels_label} · 承诺{i.time_limit_days}个工作日"
            + (" · 免费" if not i.fee else f" · 收费{i.fee}元"),
            badge=i.get_category_display(),
        )
        for i in rows
    ]


def register():
    register_public_section(
        "onewindow.points",
        title="服务阵地",
        order=60,
        items=points,
        url="onewindow:map",
        icon="geo-alt",
        description="党群服务中心、驿站、骑士之家等服务点的地址和开放时间。",
        links=(("附近的服务点", "onewindow:nearby"), ("骑士之家", "onewindow:riders")),
    )
    register_public_section(
        "onewindow.catalogue",
        title="服务事项目录",
        order=70,
        items=catalogue,
        icon="journal-text",
        description="可在社区、街道窗口办理的事项，受理和办理层级、承诺时限。"
        "登录后可在线申请和预约。",
    )
