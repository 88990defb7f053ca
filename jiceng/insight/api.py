"""GET /api/v1/dashboard/?place=CODE: a place's dashboard tiles as JSON (the same
rollup the page reads). No place: the reader's top place. A place that does not
exist or lies outside the reader's grants: 404."""

from django.utils import timezone
from ninja import Router

from jiceng.core.scope import require_permission

from . import services
from .schemas import DashboardErrorOut, DashboardOut

router = Router(tags=["数据看板"])


def _place(place):
    return {"id": place.pk, "code": place.code, "name": place.name, "kind": place.kind}


@router.get(
    "",
    response={200: DashboardOut, 403: DashboardErrorOut, 404: DashboardErrorOut},
    summary="地点数据看板（指标、近12个月趋势）",
)
def dashboard(request, place: str | None = None, month: str | None = None):
    """place: a place code (district, street, community or grid); month: YYYY-MM."""
    require_permission(request.user, services.PERMISSION)
    user = request.user
    target = services.place_for(user, place) if place else services.top_place(user)
    data = services.dashboard_for(user, target, services.parse_month(month))
    updated = data.updated_at
    return {
        "place": _place(target),
        "month": f"{data.month:%Y-%m}",
        "updated_at": timezone.localtime(updated).isoformat() if updated else None,
        "tiles": [
            {
                "key": view.tile.key,
                "title": view.tile.title,
                "section": view.tile.section,
                "value": view.value,
                "unit": view.tile.unit,
                "kind": view.tile.kind,
                "better": view.tile.better,
                "previous": view.previous,
                "trend": [
                    {"month": f"{m:%Y-%m}", "value": value} for m, value in view.trend
                ],
            }
            for view in data.tiles
        ],
        "children": [_place(child) for child in data.children],
    }
