"""The territory tree: district → street → community → grid → compound → building →
entrance → dwelling, stored as a materialised path (django-treebeard MP_Node) so that
subtree and ancestor queries are one indexed prefix lookup.
"""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node, MP_NodeManager, MP_NodeQuerySet

from jiceng.core.scope import Scope, ScopedQuerySet, path_prefix


class PlaceKind(models.TextChoices):
    DISTRICT = "district", _("区")
    STREET = "street", _("街道")
    COMMUNITY = "community", _("社区")
    GRID = "grid", _("网格")
    COMPOUND = "compound", _("小区/院落")
    BUILDING = "building", _("楼栋")
    ENTRANCE = "entrance", _("单元")
    DWELLING = "dwelling", _("户")


# Which kinds may hold which. Bungalow courtyards (院落) have dwellings without entrances.
ALLOWED_PARENT_KINDS = {
    PlaceKind.DISTRICT: set(),
    PlaceKind.STREET: {PlaceKind.DISTRICT},
    PlaceKind.COMMUNITY: {PlaceKind.STREET},
    PlaceKind.GRID: {PlaceKind.COMMUNITY},
    PlaceKind.COMPOUND: {PlaceKind.GRID},
    PlaceKind.BUILDING: {PlaceKind.COMPOUND},
    PlaceKind.ENTRANCE: {PlaceKind.BUILDING},
    PlaceKind.DWELLING: {PlaceKind.ENTRANCE, PlaceKind.BUILDING, PlaceKind.COMPOUND},
}

# Digits each level adds to its parent's code. The district is its GB/T 2260 county
# code; street + community + grid follow the CJ/T 213 / CJ/T 349 grid-code pattern.
CODE_DIGITS = {
    PlaceKind.DISTRICT: 6,
    PlaceKind.STREET: 3,
    PlaceKind.COMMUNITY: 3,
    PlaceKind.GRID: 3,
    PlaceKind.COMPOUND: 3,
    PlaceKind.BUILDING: 3,
    PlaceKind.ENTRANCE: 2,
    PlaceKind.DWELLING: 4,
}

KIND_ORDER = list(PlaceKind.values)


def child_kinds(kind):
    return [k for k, parents in ALLOWED_PARENT_KINDS.items() if kind in parents]


class PlaceQuerySet(MP_NodeQuerySet, ScopedQuerySet):
    def of_kind(self, kind):
        return self.filter(kind=kind)

    def subtree_of(self, place):
        return self.filter(path_prefix(place.path))


class PlaceManager(MP_NodeManager.from_queryset(PlaceQuerySet)):
    def get_queryset(self):
        return PlaceQuerySet(self.model, using=self._db).order_by("path")


class Place(MP_Node):
    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(
        _("层级"), max_length=16, choices=PlaceKind.choices, db_index=True
    )
    code = models.CharField(_("编码"), max_length=32, unique=True)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    geometry = models.JSONField(_("空间范围(GeoJSON)"), null=True, blank=True)
    lat = models.FloatField(_("纬度"), null=True, blank=True)
    lng = models.FloatField(_("经度"), null=True, blank=True)
    note = models.TextField(_("备注"), blank=True)

    scope = Scope(place="")
    objects = PlaceManager()

    class Meta:
        verbose_name = _("地点")
        verbose_name_plural = _("地点")
        indexes = [models.Index(fields=["kind", "path"])]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("places:detail", args=[self.pk])

    @property
    def kind_label(self):
        return PlaceKind(self.kind).label

    def full_name(self, ancestors=None):
        """Street-to-self name, e.g. 新华街道 幸福社区 第一网格."""
        ancestors = (
            Place.objects.get_ancestors(self) if ancestors is None else ancestors
        )
        names = [a.name for a in ancestors if a.kind != PlaceKind.DISTRICT] + [
            self.name
        ]
        return " ".join(names)

    @classmethod
    def lineage_paths(cls, path, *, include_self=True):
        """The paths of the ancestors of the node at path (and its own), root first."""
        end = len(path) + (1 if include_self else 0)
        return [path[:i] for i in range(cls.steplen, end, cls.steplen)]

    def ancestor_of_kind(self, kind):
        """Return the ancestor (or self) of a kind with one indexed query."""
        if self.kind == kind:
            return self
        prefixes = self.lineage_paths(self.path, include_self=False)
        return Place.objects.filter(path__in=prefixes, kind=kind).first()
