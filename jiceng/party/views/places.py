"""What party adds to a place's page (jiceng.places.panels): the organisations
seated there, as far as the viewer may see them."""

from jiceng.places.panels import register_panel

from ..models import PartyOrg


@register_panel("party/partials/place_orgs.html", order=20)
def party_orgs(user, place):
    orgs = list(PartyOrg.objects.visible_to(user).filter(place=place))
    return {"party_orgs": orgs} if orgs else None
