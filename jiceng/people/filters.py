"""List filters shared by the HTML lists and the API (one definition per model)."""

import re
from datetime import date, timedelta

import django_filters
from django import forms
from django.db.models import Q

from jiceng.core.bounds import IdFilter
from jiceng.core.scope import path_prefix, place_prefixes
from jiceng.core.validators import to_half_width
from jiceng.places.filters import filter_place_subtree
from jiceng.places.models import Place

from .models import (
    GigWorker,
    Household,
    KeyPopulation,
    Occupation,
    ResidenceType,
    Resident,
    ResidentTag,
    Sex,
    Unit,
    UnitKind,
)
from .services import DUE_SOON_DAYS

TAIL_RE = re.compile(r"^\d{3}[\dXx]$|^\d{4}$")
# A search that reads like an address: a space, or a 小区/栋/单元/室 word.
ADDRESS_HINT_RE = re.compile(r"\s|小区|花园|苑|院|栋|幢|号楼|单元|室")
ADDRESS_MATCH_LIMIT = 500


def places_at_address(request, text):
    """Places (and everything under them) whose address contains the text.

    The residents queryset is already scoped; the user's subtrees only narrow the
    places scanned (without a request, e.g. in an export, all are scanned).
    """
    from jiceng.places.resolver import address_names, normalize_address

    wanted = normalize_address(text)
    user = getattr(request, "user", None)
    prefixes = place_prefixes(user, "people.view") if user else [""]
    tops = []  # matching places not under another match (names are path-ordered)
    for _pk, path, _kind, name in address_names(prefixes):
        if wanted in normalize_address(name) and not (
            tops and path.startswith(tops[-1])
        ):
            tops.append(path)
            if len(tops) >= ADDRESS_MATCH_LIMIT:
                break
    if not tops:
        return Place.objects.none()
    condition = Q()
    for path in tops:
        condition |= path_prefix(path)
    return Place.objects.filter(condition)


class ResidentFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="search",
        label="搜索",
        help_text="姓名、住址（如 幸福小区 3栋），或身份证号/手机号后4位",
    )
    place = IdFilter(method="in_place", label="地点ID", widget=forms.HiddenInput)
    residence_type = django_filters.ChoiceFilter(
        choices=ResidenceType.choices, label="居住类型"
    )
    sex = django_filters.ChoiceFilter(choices=Sex.choices, label="性别")

    class Meta:
        model = Resident
        fields = []

    def search(self, queryset, name, value):
        value = to_half_width(value).strip()
        if TAIL_RE.match(value):
            tail = value.upper()
            return queryset.filter(
                Q(id_number_mask__endswith=tail) | Q(phone_mask__endswith=tail)
            )
        if ADDRESS_HINT_RE.search(value):
            return queryset.filter(place__in=places_at_address(self.request, value))
        return queryset.filter(name__contains=value)

    def in_place(self, queryset, name, value):
        return filter_place_subtree(queryset, name, value)


class HouseholdFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        field_name="number", lookup_expr="startswith", label="户号"
    )
    place = IdFilter(method="in_place", label="地点ID", widget=forms.HiddenInput)

    class Meta:
        model = Household
        fields = []

    def in_place(self, queryset, name, value):
        return filter_place_subtree(queryset, name, value)


class UnitFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="search", label="搜索", help_text="名称或信用代码"
    )
    kind = django_filters.ChoiceFilter(choices=UnitKind.choices, label="单位类型")
    place = IdFilter(method="in_place", label="地点ID", widget=forms.HiddenInput)

    class Meta:
        model = Unit
        fields = []

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(name__contains=value) | Q(credit_code=value.upper()))

    def in_place(self, queryset, name, value):
        return filter_place_subtree(queryset, name, value)


class TagFilter(django_filters.FilterSet):
    category = django_filters.ModelChoiceFilter(
        queryset=KeyPopulation.objects.filter(active=True), label="类别"
    )
    status = django_filters.ChoiceFilter(
        choices=[
            ("open", "有效"),
            ("due", "待复核（7天内或已逾期）"),
            ("ended", "已解除"),
        ],
        method="by_status",
        label="状态",
        empty_label="全部",
    )
    place = IdFilter(method="in_place", label="地点ID", widget=forms.HiddenInput)

    class Meta:
        model = ResidentTag
        fields = []

    def by_status(self, queryset, name, value):
        if value == "ended":
            return queryset.exclude(ended_on=None)
        queryset = queryset.filter(ended_on=None)
        if value == "due":
            limit = date.today() + timedelta(days=DUE_SOON_DAYS)
            queryset = queryset.filter(next_review_on__lte=limit)
        return queryset

    def in_place(self, queryset, name, value):
        return filter_place_subtree(queryset, name, value, lookup="resident__place")


class WorkerFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="search", label="搜索", help_text="姓名、平台，或手机号后4位"
    )
    occupation = django_filters.ChoiceFilter(choices=Occupation.choices, label="职业")
    is_party_member = django_filters.BooleanFilter(label="党员")
    place = IdFilter(method="in_place", label="地点ID", widget=forms.HiddenInput)

    class Meta:
        model = GigWorker
        fields = []

    def search(self, queryset, name, value):
        value = to_half_width(value).strip()
        if TAIL_RE.match(value):
            return queryset.filter(phone_mask__endswith=value)
        return queryset.filter(Q(name__contains=value) | Q(platform__contains=value))

    def in_place(self, queryset, name, value):
        return filter_place_subtree(queryset, name, value, lookup="community")
