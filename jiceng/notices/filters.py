"""The notification list's filter (django-filter, as every list in the platform)."""

import django_filters

from .models import Notification


class NotificationFilter(django_filters.FilterSet):
    unread = django_filters.BooleanFilter(
        field_name="read_at", lookup_expr="isnull", label="只看未读"
    )

    class Meta:
        model = Notification
        fields = []
