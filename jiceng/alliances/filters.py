"""List filters shared by the pages and the API (one definition per list)."""

import django_filters
from django.utils import timezone

from jiceng.core.bounds import DayFilter, IdFilter

from .models import (
    OPEN_TASK,
    Agreement,
    AgreementStatus,
    Booking,
    BookingStatus,
    Task,
    TaskStatus,
    Venue,
    VenueKind,
)


class VenueFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(
        choices=VenueKind.choices, label="类型", empty_label="全部类型"
    )
    q = django_filters.CharFilter(
        field_name="name", lookup_expr="icontains", label="名称"
    )

    class Meta:
        model = Venue
        fields = []


class BookingFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        choices=BookingStatus.choices, label="状态", empty_label="全部状态"
    )
    venue = IdFilter(field_name="venue_id", label="场地")
    day = DayFilter(field_name="starts_at", lookup_expr="date", label="日期")

    class Meta:
        model = Booking
        fields = []


class AgreementFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        choices=AgreementStatus.choices, label="状态", empty_label="全部状态"
    )
    expiring = django_filters.BooleanFilter(method="only_expiring", label="即将到期")
    unit = IdFilter(field_name="unit_id", label="单位")

    class Meta:
        model = Agreement
        fields = []

    def only_expiring(self, queryset, name, value):
        return queryset.expiring() if value else queryset


class TaskFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        choices=[("open", "未办结"), ("overdue", "已逾期"), *TaskStatus.choices],
        method="in_status",
        label="状态",
        empty_label="全部状态",
    )
    meeting = IdFilter(field_name="meeting_id", label="会议")
    unit = IdFilter(field_name="owner_unit_id", label="责任单位")

    class Meta:
        model = Task
        fields = []

    def in_status(self, queryset, name, value):
        if value == "open":
            return queryset.filter(status__in=OPEN_TASK)
        if value == "overdue":
            return queryset.overdue(timezone.localdate())
        return queryset.filter(status=value)
