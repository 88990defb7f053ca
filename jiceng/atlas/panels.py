"""The compound page's card linking to its chart (places shows registered panels)."""

from django.urls import reverse

from jiceng.places.models import PlaceKind
from jiceng.places.panels import register_panel


@register_panel("atlas/partials/place_atlas.html", order=5)
def compound_atlas(user, place):
    """Whoever sees a compound's page may open its chart (the same scope)."""
    if place.kind != PlaceKind.COMPOUND:
        return None
    return {
        "atlas_url": reverse("atlas:sheet", args=[place.code]),
        "poster_url": reverse("atlas:poster", args=[place.code]),
    }
