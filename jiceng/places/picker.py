"""The place picker: search the tree by name or code, or walk it level by level,
within the subtrees where the user holds a permission. Forms use it instead of a
typed code (a resident's address, where a place moves to, a unit's 结对小区).

`search_places` is the one rule for what a picker may offer; `PlacePicker` and
`PlaceMultiPicker` are the widgets, and places.views.pick the endpoint they ask.
"""

from django import forms
from django.db.models import Q
from django.urls import reverse
from django.utils.http import urlencode

from jiceng.core.scope import has_permission, path_prefix, place_prefixes

from .models import KIND_ORDER, Place, PlaceKind

# What a picker may be opened for: the permission the chosen place will need.
# volunteer.join (a unit pairing with compounds) picks anywhere inside one
# community it names, since units register with any community of the district.
PICK_PERMISSIONS = {
    "people.change",
    "places.change",
    "party.change",
    "volunteer.manage",
    "volunteer.join",
}
OPEN_PERMISSIONS = {"volunteer.join"}
LIMIT = 30


def _area(user, permission, within):
    """The subtrees the picker may show (prefixes), or None when it may show none."""
    if permission not in PICK_PERMISSIONS or not has_permission(user, permission):
        return None
    if permission in OPEN_PERMISSIONS:
        prefixes = [""] if within is not None else []
    else:
        prefixes = place_prefixes(user, permission)
    if within is not None:
        inside = [p for p in prefixes if within.path.startswith(p)]
        if inside:
            return [within.path]
        return [p for p in prefixes if p.startswith(within.path)] or None
    return prefixes or None


def _within(prefixes):
    condition = Q(pk__in=[])
    for prefix in prefixes:
        condition |= path_prefix(prefix)
    return condition


def search_places(user, *, permission, kinds=(), q="", parent=None, within=None):
    """The places a picker offers: matches for q, the children of parent, or the
    tops of the user's area; each with a readable trail and whether it is picked."""
    prefixes = _area(user, permission, within)
    if not prefixes:
        return []
    rows = Place.objects.filter(_within(prefixes))
    deepest = max((KIND_ORDER.index(k) for k in kinds), default=len(KIND_ORDER) - 1)
    rows = rows.filter(kind__in=KIND_ORDER[: deepest + 1])
    q = (q or "").strip()[:50]
    if q:
        rows = rows.filter(Q(name__icontains=q) | Q(code__startswith=q))
        if kinds:
            rows = rows.filter(kind__in=kinds)
        rows = rows.order_by("depth", "path")
    elif parent is not None:
        rows = rows.filter(path_prefix(parent.path), depth=parent.depth + 1)
    else:
        tops = [p for p in prefixes if p]
        rows = rows.filter(path__in=tops) if tops else rows.filter(depth=1)
    found = list(rows.order_by("path")[:LIMIT] if not q else rows[:LIMIT])
    names = dict(
        Place.objects.filter(
            path__in={
                a
                for p in found
                for a in Place.lineage_paths(p.path, include_self=False)
            }
        )
        .exclude(kind=PlaceKind.DISTRICT)
        .values_list("path", "name")
    )
    for place in found:
        trail = [
            names[a]
            for a in Place.lineage_paths(place.path, include_self=False)
            if a in names
        ]
        place.trail = " ".join([*trail, place.name])
        place.pickable = not kinds or place.kind in kinds
        place.browsable = place.numchild > 0 and KIND_ORDER.index(place.kind) < deepest
    return found


def picker_url(permission, kinds, **extra):
    query = {"perm": permission, "kinds": ",".join(kinds), **extra}
    return reverse("places:pick") + "?" + urlencode(query)


class PlacePicker(forms.TextInput):
    """A place chosen by search or by walking the tree; submits its code (or pk)."""

    template_name = "places/widgets/place_picker.html"

    def __init__(self, *, permission, kinds=(), key="code", attrs=None):
        super().__init__(attrs)
        self.permission, self.kinds, self.key = permission, tuple(kinds), key
        self.user = None  # set by the form: names are shown only within its area

    def chosen(self, value):
        """(key, name) of the chosen places; a place outside the user's area (or
        with no user given) shows only what was submitted, never its name."""
        values = value if isinstance(value, list | tuple) else [value]
        values = [str(v) for v in values if v not in (None, "")]
        if not values:
            return []
        named = {}
        prefixes = None
        if self.user is not None:
            open_area = self.permission in OPEN_PERMISSIONS and has_permission(
                self.user, self.permission
            )
            prefixes = [""] if open_area else _area(self.user, self.permission, None)
        if prefixes:
            places = Place.objects.filter(
                _within(prefixes), **{f"{self.key}__in": values}
            )
            named = {str(getattr(p, self.key)): p.full_name() for p in places}
        return [(v, named.get(v, v)) for v in values]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"].update(
            {
                "url": picker_url(self.permission, self.kinds, key=self.key),
                "chosen": self.chosen(value),
                "multiple": False,
                "kind_labels": "、".join(
                    str(PlaceKind(k).label) for k in KIND_ORDER if k in self.kinds
                ),
            }
        )
        return context


def give_user(form, user):
    """Let the form's place pickers show chosen names within the user's area."""
    for field in form.fields.values():
        if isinstance(field.widget, PlacePicker):
            field.widget.user = user


class PlaceMultiPicker(PlacePicker):
    """Several places (a unit's 结对小区): each pick adds a ticked box."""

    allow_multiple_selected = True

    def __init__(self, *, include="", **kwargs):
        super().__init__(key="pk", **kwargs)
        self.include = include

    def value_from_datadict(self, data, files, name):
        getter = getattr(data, "getlist", None)
        return getter(name) if getter else data.get(name)

    def format_value(self, value):
        return value

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"].update({"multiple": True, "include": self.include})
        return context
