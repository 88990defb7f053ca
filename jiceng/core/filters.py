"""Filters for the audit log viewer."""

import django_filters

from .bounds import DayFilter
from .forms import DateInput
from .models import AuditAction, AuditEntry


class AuditFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        field_name="target_repr",
        lookup_expr="icontains",
        label="对象",
    )
    actor_name = django_filters.CharFilter(lookup_expr="iexact", label="操作人账号")
    action = django_filters.ChoiceFilter(choices=AuditAction.choices, label="操作")
    target_type = django_filters.CharFilter(label="对象类型")
    since = DayFilter(
        field_name="at",
        lookup_expr="date__gte",
        label="起始日期",
        widget=DateInput(),
    )
    until = DayFilter(
        field_name="at",
        lookup_expr="date__lte",
        label="截止日期",
        widget=DateInput(),
    )

    class Meta:
        model = AuditEntry
        fields = []
