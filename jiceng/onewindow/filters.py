"""List filters shared by the pages and the API (one definition per list)."""

import django_filters
from django.db.models import Q
from django.utils import timezone

from jiceng.core.bounds import IdFilter

from .models import (
    OPEN,
    Application,
    Category,
    Channel,
    Level,
    PointKind,
    ServiceItem,
    ServicePoint,
    Status,
)

YES_NO = [("1", "是"), ("0", "否")]
CHANNELS = [
    ("window", "窗口"),
    ("online", "网上"),
    ("home", "上门"),
    ("proxy", "代办"),
]


class ItemFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="名称", max_length=50)
    category = django_filters.ChoiceFilter(
        choices=Category.choices, label="类别", empty_label="全部类别"
    )
    handle_level = django_filters.ChoiceFilter(
        choices=Level.choices, label="办理层级", empty_label="全部层级"
    )
    channel = django_filters.ChoiceFilter(
        choices=CHANNELS, method="by_channel", label="渠道", empty_label="全部渠道"
    )

    class Meta:
        model = ServiceItem
        fields = []

    def search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(code__icontains=value))

    def by_channel(self, queryset, name, value):
        return queryset.filter(**{f"channel_{value}": True})


class ApplicationFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        choices=Status.choices, label="状态", empty_label="全部状态"
    )
    channel = django_filters.ChoiceFilter(
        choices=Channel.choices, label="渠道", empty_label="全部渠道"
    )
    item = IdFilter(field_name="item_id", label="事项")
    overdue = django_filters.ChoiceFilter(
        choices=[("1", "已超期")], method="by_overdue", label="超期", empty_label="全部"
    )
    number = django_filters.CharFilter(
        field_name="number", lookup_expr="startswith", label="办件编号", max_length=24
    )

    class Meta:
        model = Application
        fields = []

    def by_overdue(self, queryset, name, value):
        return queryset.filter(status__in=OPEN, deadline__lt=timezone.now())


class PointFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(
        choices=PointKind.choices, label="类型", empty_label="全部类型"
    )
    amenity = django_filters.ChoiceFilter(
        choices=[
            ("water", "饮水"),
            ("charging", "充电"),
            ("rest", "休息"),
            ("toilet", "如厕"),
            ("microwave", "微波炉"),
        ],
        method="by_amenity",
        label="服务",
        empty_label="全部服务",
    )

    class Meta:
        model = ServicePoint
        fields = []

    def by_amenity(self, queryset, name, value):
        return queryset.filter(**{value: True})
