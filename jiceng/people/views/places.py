"""What people adds to a place's page (jiceng.places.panels): how many residents
live in its subtree, and for a dwelling who lives there now and who lived there
before (一户一档). Each reads through its model's scope."""

from jiceng.core.scope import has_permission
from jiceng.places.models import Place, PlaceKind
from jiceng.places.panels import SUMMARY, register_panel

from ..models import Occupancy, Resident


@register_panel("people/partials/place_residents.html", slot=SUMMARY)
def resident_count(user, place):
    if not has_permission(user, "people.view"):
        return None
    residents = Resident.objects.visible_to(user).filter(
        place__in=Place.objects.subtree_of(place).values("pk")
    )
    return {"resident_count": residents.count()}


@register_panel("people/partials/place_occupants.html", order=10)
def occupants(user, place):
    if place.kind != PlaceKind.DWELLING:
        return None
    return {
        "occupants": Resident.objects.visible_to(user)
        .filter(place=place)
        .select_related("household")
        .order_by("household_id", "pk")[:100],
        "past_stays": Occupancy.objects.visible_to(user)
        .filter(place=place)
        .select_related("resident", "household")[:100],
    }
