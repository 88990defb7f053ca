"""The grid page's 网格力量 card (places shows what higher apps register)."""

from jiceng.places.models import PlaceKind
from jiceng.places.panels import register_panel

from ..models import TeamMember


@register_panel("workforce/partials/place_team.html", order=30)
def grid_team(user, place):
    if place.kind != PlaceKind.GRID:
        return None
    members = TeamMember.objects.visible_to(user).filter(grid=place)
    if not members.exists():
        return None
    return {"team": members.order_by("role", "name")}
