"""List filters shared by the pages and the API."""

import django_filters

from .models import Dispute, DisputeKind, DisputeStatus, Level, Topic
from .workflow import Grade, Status


class TopicFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=Status.choices)
    grade = django_filters.ChoiceFilter(choices=Grade.choices)

    class Meta:
        model = Topic
        fields = ["status", "grade"]


class DisputeFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=DisputeStatus.choices)
    kind = django_filters.ChoiceFilter(choices=DisputeKind.choices)
    level = django_filters.ChoiceFilter(choices=Level.choices)

    class Meta:
        model = Dispute
        fields = ["status", "kind", "level"]
