"""Place filters shared by the API list and the children list of a place page."""

import django_filters
from django.db.models import Q
from django.http import Http404

from jiceng.core.scope import path_prefix

from .models import Place, PlaceKind


def filter_place_subtree(queryset, name, value, lookup="place"):
    """A FilterSet method for any row with a place: keep the rows whose place
    (lookup) lies in the subtree of the place with this id."""
    place = Place.objects.filter(pk=value).only("path").first()
    if place is None:
        return queryset.none()
    return queryset.filter(path_prefix(place.path, f"{lookup}__path"))


class PlaceFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=PlaceKind.choices, label="层级")
    parent = django_filters.NumberFilter(method="children_of", label="上级地点ID")
    within = django_filters.NumberFilter(method="in_subtree", label="子树根地点ID")
    q = django_filters.CharFilter(method="search", label="名称或编码")

    class Meta:
        model = Place
        fields = []

    def _anchor(self, pk):
        """A place named by the filter, looked up in the (scoped) queryset it
        filters: one outside it is 404, as on its own page."""
        place = self.queryset.filter(pk=pk).first()
        if place is None:
            raise Http404
        return place

    def children_of(self, queryset, name, value):
        parent = self._anchor(value)
        return queryset.filter(path_prefix(parent.path), depth=parent.depth + 1)

    def in_subtree(self, queryset, name, value):
        return queryset.filter(path_prefix(self._anchor(value).path))

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(name__contains=value) | Q(code__startswith=value))
