"""Role × scope: one queryset method, visible_to(user, action), for every read.

Each scoped model declares how it reaches a place, a unit, a department or its owner:

    class Resident(models.Model):
        scope = Scope(place="place", self_field="user")
        objects = ScopedQuerySet.as_manager()

The user's grants (role + subtree path / unit / department) are loaded once per
request and OR-ed into one filter. Superusers see everything, anonymous users nothing.

This module is the only access path: `visible_to` for querysets, `can` for one
object, `require_permission` / `permission_required` for "may open this page at
all". A rule that narrows a model's rows by role (tag sensitivity) is a `refine`
on its Scope, never a filter written beside it.
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from urllib.parse import urlsplit

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import Q
from django.http import Http404
from django.urls import Resolver404, resolve

from . import path_lookups  # noqa: F401 (registers path_gte / path_lt)
from .roles import ROLE_PERMISSIONS, Role


@dataclass(frozen=True)
class Grant:
    role: str
    place_path: str | None
    unit_id: int | None
    department_id: int | None

    def allows(self, permission: str) -> bool:
        return permission in ROLE_PERMISSIONS.get(self.role, ())


def path_prefix(path: str, field: str = "path") -> Q:
    """Paths starting with path, as one byte range an index serves on both engines.

    Tree paths use only the characters 0-9A-Z, so path .. path + DEL holds the
    subtree. Not LIKE 'x%': SQLite's LIKE ignores case and so skips the index, and
    PostgreSQL, which reads it from its pattern index, estimates its rows from the
    pattern — 70 where a city's community has 3,007 households — and then chose
    to sort them all rather than read the list's own order (docs/performance.md
    §6); a range it estimates from the column's histogram.
    """
    return Q(**{f"{field}__path_gte": path, f"{field}__path_lt": path + "\x7f"})


@dataclass(frozen=True)
class Scope:
    """How a model's rows relate to a user's grants.

    place: lookup of the Place the row belongs to ("" when the model is the Place).
    unit / department: lookup of the Unit / Department id.
    self_field: lookup of the owning user, for people acting for themselves.
    """

    place: str | None = None
    # The row's own copy of its place's path (places.PlacePathMixin), read instead
    # of the place lookup's id subquery: a street's or a district's rows are one
    # index range, whatever the size of the city.
    place_path: str | None = None
    unit: str | None = None
    department: str | None = None
    self_field: str | None = None
    # Roles whose place assignment does not open these rows: a department placed on
    # the district map sees only the cases dispatched to it.
    place_excluded_roles: frozenset = frozenset()
    # Roles that also see their own rows (beyond members, who always do): a
    # building lead follows the case they reported in a grid they do not cover.
    owner_roles: frozenset = frozenset()
    # Further places the row is handed to or lies in (a case dispatched to a
    # compound's property company, or reported inside its compound), opened only
    # for these roles: one lookup or a tuple of them.
    assignee_place: str | tuple[str, ...] | None = None
    assignee_roles: frozenset = frozenset()
    # Narrows what one place grant opens, by its role: refine(grant) returns a Q
    # AND-ed with that grant's subtree, or None when the grant opens nothing here
    # (a building lead sees only the ordinary key-population tags).
    refine: Callable[[Grant], Q | None] | None = None
    # Rows that anyone holding open_permission may view wherever their own grants
    # lie: the published activities and open projects members and units join.
    open_permission: str | None = None
    open_rows: Callable[[], Q] | None = None
    # Rows a member sees because of where they live, not because they own them:
    # the topics put to their own compound or community. member_rows(user) returns
    # a Q, or None when the user lives nowhere on record.
    member_rows: Callable | None = None

    @staticmethod
    def in_subtree(lookup: str, paths, place_model=None) -> Q:
        """Rows whose place (lookup) lies in any of the subtrees at paths.

        One id subquery, not a join on the path: the database reaches the rows
        through the foreign-key index (and composite indexes that start with it),
        so a grid worker's list costs the same in a small table and in a city's.
        place_model is the model lookup leads to (core knows no place model).
        """
        within = Q()
        for path in paths:
            within |= path_prefix(path)
        if not lookup:  # the model is the Place itself
            return within
        subtree = place_model._default_manager.filter(within).values("pk")
        return Q(**{f"{lookup}__in": subtree})

    def subtree(self, path, model) -> Q:
        """Rows whose place (the scope's place lookup) lies in the subtree at path."""
        return self.in_subtrees([path], model)

    def in_subtrees(self, paths, model) -> Q:
        """Rows whose place (the scope's place lookup) lies in any of the subtrees:
        through the row's path copy where the model keeps one."""
        if self.place_path:
            within = Q()
            for path in paths:
                within |= path_prefix(path, self.place_path)
            return within
        return self.in_subtree(self.place, paths, related_model(model, self.place))

    def place_refinement(self, grant) -> Q | None:
        """What a grant opens through its place: None when nothing (no place, a
        role this model's places exclude, or refine says nothing here), else the
        Q AND-ed with its subtree (an empty Q: the whole subtree)."""
        if (
            not grant.place_path
            or self.place is None
            or grant.role in self.place_excluded_roles
        ):
            return None
        return Q() if self.refine is None else self.refine(grant)

    def opens_whole(self, grants, path) -> bool:
        """Whether one of the place grants opens every row of the subtree at path,
        unrefined: then rows opened there on other grounds add nothing."""
        return any(
            self.place_refinement(grant) == Q() and path.startswith(grant.place_path)
            for grant in grants
        )

    def condition(
        self, grants, user, action: str = "view", model=None, within=None
    ) -> Q | None:
        """One filter for all of the user's grants that carry the permission.

        Subtrees are gathered into one id subquery per place lookup (and per
        refinement), so several grids of one grid worker still read through the
        index.

        within: a path; only the rows whose place lies in that subtree. Each place
        grant is cut to it (the deeper of the two paths, or nothing when they
        are apart), so a district reader's rows within their district are one
        subtree filter, not the same filter twice (PostgreSQL multiplies the
        two selectivities: a tenth of a city read as a hundredth, and chose
        plans for that). The grants' other clauses get the subtree filter."""
        place_paths: dict = {}  # refinement (a Q, or None: unrefined) -> subtree paths
        assignee_paths, parts = [], []
        for grant in grants:
            refinement = self.place_refinement(grant)
            if refinement is not None and (path := _deeper(grant.place_path, within)):
                place_paths.setdefault(refinement or None, []).append(path)
            if (
                grant.place_path
                and self.assignee_place
                and grant.role in self.assignee_roles
            ):
                assignee_paths.append(grant.place_path)
            if grant.unit_id and self.unit:
                parts.append(Q(**{self.unit: grant.unit_id}))
            if grant.department_id and self.department:
                parts.append(Q(**{self.department: grant.department_id}))
            owner_clause = grant.role == Role.MEMBER or (
                grant.role in self.owner_roles and action == "view"
            )
            if owner_clause and self.self_field:
                parts.append(Q(**{self.self_field: user.pk}))
            if grant.role == Role.MEMBER and self.member_rows and action == "view":
                lived = self.member_rows(user)
                if lived is not None:
                    parts.append(lived)
        place_parts = []
        for refinement, paths in place_paths.items():
            granted = self.in_subtrees(paths, model)
            place_parts.append(granted & refinement if refinement else granted)
        lookups = (
            (self.assignee_place,)
            if isinstance(self.assignee_place, str)
            else self.assignee_place or ()
        )
        for lookup in lookups if assignee_paths else ():
            parts.append(
                self.in_subtree(lookup, assignee_paths, related_model(model, lookup))
            )
        if within is not None and parts:  # rows the grants open beyond the places
            parts = [_any(parts) & self.subtree(within, model)]
        parts[:0] = place_parts
        return _any(parts) if parts else None


def _deeper(path, within):
    """The subtree both path and within cover: the deeper path, or None."""
    if within is None or within.startswith(path):
        return within or path
    return path if path.startswith(within) else None


def _any(parts):
    combined = parts[0]
    for part in parts[1:]:
        if part not in parts[: parts.index(part)]:
            combined |= part
    return combined


def related_model(model, lookup: str):
    """The model a lookup such as "activity__community" leads to from model."""
    for name in filter(None, (lookup or "").split("__")):
        model = model._meta.get_field(name).related_model
    return model


def grants_for(user) -> list[Grant]:
    """Return the user's grants, loaded once and cached on the user object."""
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, "_jiceng_grants", None)
    if cached is None:
        from .models import Assignment

        # rows, not models: every request of a signed-in user reads them
        cached = [
            Grant(*row)
            for row in Assignment.objects.filter(user=user, active=True).values_list(
                "role", "place__path", "unit_id", "department_id"
            )
        ]
        user._jiceng_grants = cached
    return cached


def forget_grants(user):
    if hasattr(user, "_jiceng_grants"):
        del user._jiceng_grants


def has_permission(user, permission: str) -> bool:
    """Whether any of the user's grants carries this permission (anywhere)."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    return any(g.allows(permission) for g in grants_for(user))


def user_roles(user) -> set[str]:
    return {g.role for g in grants_for(user)}


class ScopedQuerySet(models.QuerySet):
    def visible_to(self, user, action: str = "view"):
        """Keep only the rows this user may act on; out of scope rows vanish."""
        return self._visible(user, action)

    def visible_within(self, user, path: str, action: str = "view"):
        """visible_to, and only the rows whose place lies in the subtree at path
        (a dashboard's or a screen's place): the same rows as
        visible_to(user).filter(subtree), with the subtree filter written once
        where the user's place grants already hold it (Scope.condition)."""
        return self._visible(user, action, within=path)

    def _visible(self, user, action, within=None):
        if user is None or not getattr(user, "is_authenticated", False):
            return self.none()
        if user.is_superuser and within is None:
            return self
        scope: Scope = self.model.scope
        if user.is_superuser:
            return self.filter(scope.subtree(within, self.model))
        permission = f"{self.model._meta.app_label}.{action}"
        all_grants = grants_for(user)
        grants = [g for g in all_grants if g.allows(permission)]
        condition = scope.condition(grants, user, action, self.model, within)
        if (
            action == "view"
            and scope.open_rows
            and any(g.allows(scope.open_permission) for g in all_grants)
            # a screen's place the grants open whole holds the open rows there too:
            # OR-ing them in would read the subtree twice (two id subqueries)
            and not (within is not None and scope.opens_whole(grants, within))
        ):
            opened = scope.open_rows()
            if within is not None:
                opened &= scope.subtree(within, self.model)
            condition = opened if condition is None else condition | opened
        if condition is None:
            return self.none()
        return self.filter(condition)


def get_visible_or_404(queryset, user, action="view", **lookup):
    """Fetch one row the user may act on; missing and forbidden look the same,
    and so does an id that is not one (?place=abc from a tampered link)."""
    try:
        return queryset.visible_to(user, action).get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, ValidationError) as exc:
        raise Http404 from exc


def can(user, obj, action: str = "view") -> bool:
    """Whether obj lies within what the user may do for action (the model's Scope)."""
    if obj is None or obj.pk is None:
        return False
    manager = type(obj)._default_manager
    return manager.visible_to(user, action).filter(pk=obj.pk).exists()


def require_in_scope(obj, user, action="change"):
    """Raise PermissionDenied unless obj is (still) within the user's scope for action."""
    if not can(user, obj, action):
        raise PermissionDenied("对象不在您的权限范围内")


def require_permission(user, *permissions: str):
    """Raise PermissionDenied unless the user holds one of the permissions somewhere."""
    if not any(has_permission(user, p) for p in permissions):
        raise PermissionDenied


def permission_required(*permissions: str):
    """View decorator: log in first, then hold one of the permissions, else 403.

    The view keeps the strings as `required_permissions`; the side menu
    (home.navigation) reads them from there, so a page is in someone's menu
    exactly when they may open it.
    """

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            require_permission(request.user, *permissions)
            return view(request, *args, **kwargs)

        wrapper.required_permissions = permissions
        return wrapper

    return decorator


def page_opens_for(user, path: str) -> bool:
    """Whether user may open the page at path (a site URL, query string allowed):
    the permissions its view's @permission_required records, as the menu reads
    them. A path that resolves to no page opens for no one."""
    try:
        view = resolve(urlsplit(path).path).func
    except Resolver404:
        return False
    required = getattr(view, "required_permissions", ())
    return not required or any(has_permission(user, p) for p in required)


def place_prefixes(user, permission: str) -> list[str]:
    """Paths of the subtrees where the user holds permission ("" = everywhere)."""
    if getattr(user, "is_superuser", False):
        return [""]
    return [
        g.place_path for g in grants_for(user) if g.allows(permission) and g.place_path
    ]


def place_path_allowed(path: str, prefixes: list[str]) -> bool:
    """Whether a tree path lies in one of the subtrees (the in-memory path_prefix)."""
    return any(path.startswith(prefix) for prefix in prefixes)


def covers(user, place, permission: str) -> bool:
    """Whether a grant carrying permission covers this place (a superuser's: all).

    For rows about to be put at a place, before any row exists for can() to ask
    about; in memory, from the grants the request has already read."""
    return place_path_allowed(place.path, place_prefixes(user, permission))


def require_place_in_scope(place, user, permission: str):
    """Raise PermissionDenied unless a grant carrying permission covers this place.

    Used when a row is put *at* a place (a resident into a dwelling, a party
    organisation onto a grid): the actor needs the row's permission there, not the
    right to edit the place itself.
    """
    if not covers(user, place, permission):
        raise PermissionDenied("该地点不在您的权限范围内")
