"""Party list filters, shared by the HTML lists, the API and the exports."""

import django_filters
from django import forms

from jiceng.core.bounds import IdFilter
from jiceng.core.scope import path_prefix
from jiceng.places.filters import filter_place_subtree

from .models import (
    MemberStatus,
    PairKind,
    PartyMember,
    PartyOrg,
    PartyOrgKind,
    RosterPair,
)


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
        return queryset.filter(path_prefix(org.path, "org__path"))

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


class RosterPairFilter(django_filters.FilterSet):
    """One tab of a 双向核查's outcomes; the doubtful pairs come first."""

    kind = django_filters.ChoiceFilter(choices=PairKind.choices, label="结果")

    class Meta:
        model = RosterPair
        fields = []

    def __init__(self, data=None, *args, **kwargs):
        data = data.copy() if data is not None else {}
        data.setdefault("kind", PairKind.REVIEW)
        super().__init__(data, *args, **kwargs)

    @property
    def shown_kind(self):
        """The tab shown (the doubtful pairs unless another valid one is asked)."""
        if self.form.is_valid() and self.form.cleaned_data.get("kind"):
            return self.form.cleaned_data["kind"]
        return PairKind.REVIEW
