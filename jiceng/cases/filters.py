"""The case list's filters, one FilterSet for the page, the map, the export and the API."""

from datetime import datetime, time, timedelta

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone

from jiceng.core.bounds import DayFilter, IdFilter
from jiceng.core.forms import DateInput
from jiceng.core.models import Department
from jiceng.places.filters import filter_place_subtree

from .models import Case, Category, Channel
from .workflow import Status


def _day_start(day):
    return timezone.make_aware(datetime.combine(day, time.min))


class CaseFilter(django_filters.FilterSet):
    """Filters on the user's visible cases; "mine" and "overdue" are the model's
    rules (CaseQuerySet.handled_by and CaseQuerySet.overdue)."""

    q = django_filters.CharFilter(
        label="案卷号/描述",
        method="search",
        widget=forms.TextInput(
            attrs={"type": "search", "class": "form-control form-control-sm"}
        ),
    )
    status = django_filters.ChoiceFilter(
        label="状态",
        choices=[("open", "未结案"), *Status.choices],
        empty_label="全部",
        method="in_status",
    )
    category = django_filters.ModelChoiceFilter(
        label="大类",
        field_name="category__parent",
        queryset=Category.objects.filter(parent__isnull=True),
        empty_label="全部",
    )
    channel = django_filters.ChoiceFilter(
        label="来源", choices=Channel.choices, empty_label="全部"
    )
    department = django_filters.ModelChoiceFilter(
        label="承办部门", queryset=Department.objects.all(), empty_label="全部"
    )
    since = DayFilter(
        label="上报自",
        method="reported_since",
        widget=DateInput(),
    )
    until = DayFilter(
        label="上报至",
        method="reported_until",
        widget=DateInput(),
    )
    mine = django_filters.BooleanFilter(
        label="我承办的", method="handled_by_me", widget=forms.CheckboxInput
    )
    overdue = django_filters.BooleanFilter(
        label="已超期", method="past_limit", widget=forms.CheckboxInput
    )
    supervised = django_filters.BooleanFilter(
        label="督办", method="only_supervised", widget=forms.CheckboxInput
    )
    # the dashboards' drill-down: the cases under one place
    place = IdFilter(method="in_place", label="地点ID", widget=forms.HiddenInput)

    class Meta:
        model = Case
        fields = []

    def __init__(self, data=None, queryset=None, *, user, **kwargs):
        super().__init__(data, queryset, **kwargs)
        self.user = user

    def filter_queryset(self, queryset):
        # newest first, ties broken by id: pages must not repeat or skip a case
        return super().filter_queryset(queryset).order_by("-created_at", "-pk")

    def search(self, queryset, name, value):
        text = value.strip()
        return queryset.filter(
            Q(number__icontains=text) | Q(description__icontains=text)
        )

    def in_status(self, queryset, name, value):
        if value == "open":
            # IN, not =True: Django writes a bare column for =True, which SQLite
            # cannot look up in the (is_open, place_path, created_at) index
            return queryset.filter(is_open__in=[True])
        return queryset.filter(status=value)

    def reported_since(self, queryset, name, value):
        return queryset.filter(created_at__gte=_day_start(value))

    def reported_until(self, queryset, name, value):
        return queryset.filter(created_at__lt=_day_start(value) + timedelta(days=1))

    def handled_by_me(self, queryset, name, value):
        return queryset.handled_by(self.user) if value else queryset

    def past_limit(self, queryset, name, value):
        return queryset.overdue() if value else queryset

    def only_supervised(self, queryset, name, value):
        return queryset.filter(supervised=True) if value else queryset

    def in_place(self, queryset, name, value):
        return filter_place_subtree(queryset, name, value)


def cases_for(user, params):
    """The user's visible cases narrowed by request parameters (invalid ones ignored).

    Returns the FilterSet (its form is the page's filter form) and the cases."""
    case_filter = CaseFilter(
        params if params is not None else {},
        queryset=Case.objects.visible_to(user),
        user=user,
    )
    return case_filter, case_filter.qs
