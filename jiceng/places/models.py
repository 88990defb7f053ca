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


def indented(places):
    """(place, indent) pairs for a select's options: a full-width space per level
    below the top, so a tree reads as one in a plain <option> list."""
    return [(p, "\u3000" * (p.depth - 1)) for p in places]


class PlaceQuerySet(MP_NodeQuerySet, ScopedQuerySet):
    def of_kind(self, kind):
        return self.filter(kind=kind)

    def subtree_of(self, place):
        return self.filter(path_prefix(place.path))


class PlaceManager(MP_NodeManager.from_queryset(PlaceQuerySet)):
    def get_queryset(self):
        return PlaceQuerySet(self.model, using=self._db).order_by("path")


# A subtree is a byte range of the path (core.scope.path_prefix: ~>=~ / ~<~ on
# PostgreSQL), which a btree index serves only with the pattern operator class;
# every index on a path names it, so a database created with zh_CN.UTF-8 reads it
# the same.
PATH_OPCLASS = "varchar_pattern_ops"


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
        # A node's children (depth + 1 within its path) and the nodes of a kind
        # within a subtree are one range of these.
        indexes = [
            models.Index(
                fields=["kind", "path"],
                name="places_kind_path_idx",
                opclasses=["varchar_ops", PATH_OPCLASS],
            ),
            models.Index(
                fields=["depth", "path"],
                name="places_depth_path_idx",
                opclasses=["int4_ops", PATH_OPCLASS],
            ),
        ]

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


class PlacePathMixin(models.Model):
    """A copy of the row's place's tree path, on the big tables a street or a
    district reads (cases, households); the model's Scope names it (place_path=).

    A street's rows are then one range of an index led by place_path. Through
    place_id IN (the subtree's place ids), 16,658 places for a street and 85k
    for a district, PostgreSQL read the whole city's index in time order and
    checked each row (docs/performance.md §6). save() keeps it, a bulk write
    sets it itself, and services.move_place rewrites it for a moved subtree.
    """

    place_path = models.CharField(
        _("所在地点路径"), max_length=255, default="", db_default="", editable=False
    )

    class Meta:
        abstract = True

    def save(self, *args, update_fields=None, **kwargs):
        if update_fields is None or not {"place", "place_id"}.isdisjoint(update_fields):
            self.place_path = self.current_place_path()
            if update_fields is not None:
                update_fields = {*update_fields, "place_path"}
        super().save(*args, update_fields=update_fields, **kwargs)

    def current_place_path(self) -> str:
        """The path of the place the row points at now (no query when it is loaded)."""
        if self.place_id is None:
            return ""
        loaded = self._meta.get_field("place").get_cached_value(self, default=None)
        if loaded is not None and loaded.pk == self.place_id:
            return loaded.path
        paths = Place.objects.filter(pk=self.place_id).values_list("path", flat=True)
        return paths.first() or ""
