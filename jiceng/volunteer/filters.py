"""List filters shared by the volunteering pages and the API (one definition per list).

Each FilterSet narrows a queryset the caller has already scoped (visible_to or
Wish.objects.public()); a value that is not one of the choices is a form error and
narrows nothing, as in the other apps' filters.
"""

import django_filters
from django.utils import timezone

from .models import (
    PUBLIC_WISH_STATUSES,
    HoursStatus,
    MallItem,
    Project,
    RegistrationStatus,
    ServiceHours,
    Volunteer,
    Wish,
    WishStatus,
)

ALL = "all"
WALL_STATUSES = [(s, WishStatus(s).label) for s in PUBLIC_WISH_STATUSES]


class RegistrationFilter(django_filters.FilterSet):
    """Member and unit registrations alike (the list's kind picks the model)."""

    status = django_filters.ChoiceFilter(
        choices=RegistrationStatus.choices, label="状态", empty_label="全部状态"
    )


class HoursFilter(django_filters.FilterSet):
    # "all" is the page's explicit "every status" (its default is pending)
    status = django_filters.ChoiceFilter(
        choices=[(ALL, "全部"), *HoursStatus.choices],
        method="in_status",
        label="状态",
    )

    class Meta:
        model = ServiceHours
        fields = []

    def in_status(self, queryset, name, value):
        return queryset if value == ALL else queryset.filter(status=value)


class WishFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        choices=WishStatus.choices, label="状态", empty_label="全部状态"
    )

    class Meta:
        model = Wish
        fields = []


class WallFilter(django_filters.FilterSet):
    """The public wish wall: by status among the published ones; without a status,
    grouped by status, newest first within each."""

    status = django_filters.ChoiceFilter(
        choices=WALL_STATUSES, label="状态", empty_label="全部"
    )

    class Meta:
        model = Wish
        fields = []

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        first = "-published_at" if self.form.cleaned_data.get("status") else "status"
        return queryset.order_by(first, "-published_at", "-pk")


class VolunteerFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="搜索", help_text="姓名")

    class Meta:
        model = Volunteer
        fields = []

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(name__icontains=value) if value else queryset


class MallItemFilter(django_filters.FilterSet):
    community_id = django_filters.NumberFilter(field_name="community", label="社区ID")

    class Meta:
        model = MallItem
        fields = []


class PracticalFilter(django_filters.FilterSet):
    """为民办实事 of one year; a missing or unreadable year means this year."""

    year = django_filters.NumberFilter(
        label="年度", method="in_year", min_value=1, max_value=9999
    )

    class Meta:
        model = Project
        fields = []

    @property
    def chosen_year(self):
        self.form.is_valid()  # cleaned_data then holds the valid fields
        return self.form.cleaned_data.get("year") or timezone.localdate().year

    def in_year(self, queryset, name, value):
        return queryset  # applied in filter_queryset, with the default

    def filter_queryset(self, queryset):
        return super().filter_queryset(queryset).practical(int(self.chosen_year))
