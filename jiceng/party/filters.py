"""Party member list filters, shared by the HTML list and the API."""

import django_filters
from django import forms

from jiceng.core.bounds import IdFilter
from jiceng.people.filters import filter_place_subtree

from .models import MemberStatus, PartyMember, PartyOrg, PartyOrgKind


class PartyMemberFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        field_name="resident__name", lookup_expr="contains", label="姓名"
    )
    status = django_filters.ChoiceFilter(choices=MemberStatus.choices, label="党员状态")
    org = IdFilter(method="in_org", label="党组织ID", widget=forms.HiddenInput)
    unit = IdFilter(field_name="unit_id", label="单位ID", widget=forms.HiddenInput)
    place = IdFilter(method="in_place", label="地点ID", widget=forms.HiddenInput)

    class Meta:
        model = PartyMember
        fields = []

    def in_org(self, queryset, name, value):
        org = PartyOrg.objects.filter(pk=value).only("path").first()
        if org is None:
            return queryset.none()
        return queryset.filter(org__path__startswith=org.path)

    def in_place(self, queryset, name, value):
        return filter_place_subtree(queryset, name, value)


class PartyOrgFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        field_name="name", lookup_expr="contains", label="名称"
    )
    kind = django_filters.ChoiceFilter(choices=PartyOrgKind.choices, label="组织类别")
    place = IdFilter(method="in_place", label="地点ID", widget=forms.HiddenInput)

    class Meta:
        model = PartyOrg
        fields = []

    def in_place(self, queryset, name, value):
        return filter_place_subtree(queryset, name, value)
