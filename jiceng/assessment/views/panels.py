"""What assessment adds to a place's page: the honours awarded there."""

from jiceng.places.panels import register_panel

from ..models import Honour, HonourStatus


@register_panel("assessment/partials/place_honours.html", order=60)
def place_honours(user, place):
    honours = Honour.objects.filter(place=place, status=HonourStatus.AWARDED)[:10]
    return {"honours": honours} if honours else None
