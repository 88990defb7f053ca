"""The public portal's sections: what each app shows residents without a login
(the wish wall, 为民办实事, 红黑榜, 公示, service points …).

An app registers its sections in its AppConfig.ready, usually from its own
`public.py`; the portal app renders every registered section on /public/ and on
a page of its own, so a new app adds a section without touching the portal.

Only published or approved rows, no personal data (no resident's name, phone or
ID number) and no internal figures: a section's `items` is the one place that
decides what leaves the platform, so keep it to the fields a notice board
would show.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.urls import reverse

from .scope import path_prefix


@dataclass(frozen=True)
class PublicItem:
    """One line of a section: a title, an optional public page, one line of
    place · date · status, an optional badge and progress (0–100)."""

    title: str
    url: str = ""
    meta: str = ""
    badge: str = ""
    progress: int | None = None


@dataclass(frozen=True)
class PublicSection:
    # "volunteer.wishes": app label first; also the section's page under /public/.
    key: str
    title: str
    order: int
    # (place, *, limit) -> [PublicItem]; place None means the whole district, else
    # a district, street or community. None for a section that only links or asks.
    items: Callable | None = None
    # The app's own public page for the whole list: a URL name or a callable
    # (place) -> URL; None when the portal's section page is the whole list.
    url: str | Callable | None = None
    description: str = ""
    icon: str = "grid"
    # Extra content under the list (a form), rendered with section and place.
    template: str | None = None
    # More public pages of the section: (label, URL name) pairs.
    links: tuple = field(default_factory=tuple)

    def full_url(self, place=None):
        if self.url is None:
            return None
        if callable(self.url):
            return self.url(place)
        return reverse(self.url)

    @property
    def slug(self):
        return self.key.replace(".", "-")


SECTIONS: dict[str, PublicSection] = {}


def register_public_section(key, *, title, order, items=None, url=None, **options):
    """Add (or replace) the public section under key."""
    SECTIONS[key] = PublicSection(
        key=key, title=title, order=order, items=items, url=url, **options
    )
    return SECTIONS[key]


def public_sections() -> list[PublicSection]:
    return sorted(SECTIONS.values(), key=lambda s: (s.order, s.key))


def section_by_slug(slug):
    for section in SECTIONS.values():
        if section.slug == slug:
            return section
    return None


def within(place, path_field):
    """Q for rows whose place (path_field, e.g. "community__path") lies in place's
    subtree; everything when place is None."""
    from django.db.models import Q

    if place is None:
        return Q()
    return path_prefix(place.path, path_field)


def around(place, path_field):
    """Q for rows of place's subtree or of one of its ancestors (a street's
    红黑榜 concerns each of its communities); everything when place is None."""
    from django.db.models import Q

    if place is None:
        return Q()
    steps = len(place.path) // place.steplen
    ancestors = [place.path[: i * place.steplen] for i in range(1, steps)]
    return path_prefix(place.path, path_field) | Q(**{f"{path_field}__in": ancestors})
