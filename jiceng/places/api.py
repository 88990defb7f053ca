"""Places API: the territory tree, scoped exactly like the pages."""

from ninja import Query, Router, Status
from ninja.pagination import paginate

from jiceng.core.apiutils import filtered
from jiceng.core.pagination import BoundedPagination
from jiceng.core.scope import get_visible_or_404

from . import services
from .filters import PlaceFilter
from .models import Place
from .schemas import MoveIn, PlaceIn, PlaceOut, PlacePatch, PlaceQuery

router = Router(tags=["地点"])


def _with_parent_ids(places):
    """Attach parent ids by path prefix in one query (no per-row walk)."""
    places = list(places)
    prefixes = {p.path[: -Place.steplen] for p in places if p.depth > 1}
    ids = dict(Place.objects.filter(path__in=prefixes).values_list("path", "pk"))
    for p in places:
        p.parent_id_cached = ids.get(p.path[: -Place.steplen])
    return places


class PlacePagination(BoundedPagination):
    def paginate_queryset(self, queryset, pagination, request, **params):
        result = super().paginate_queryset(queryset, pagination, request, **params)
        result["items"] = _with_parent_ids(result["items"])
        return result


@router.get("", response=list[PlaceOut], summary="地点列表")
@paginate(PlacePagination)
def list_places(request, filters: Query[PlaceQuery]):
    return filtered(PlaceFilter, filters, Place.objects.visible_to(request.user))


@router.get("{int:place_id}", response=PlaceOut, summary="地点详情")
def get_place(request, place_id: int):
    return _with_parent_ids(
        [get_visible_or_404(Place.objects, request.user, pk=place_id)]
    )[0]


@router.post("", response={201: PlaceOut}, summary="新增地点")
def create_place(request, payload: PlaceIn):
    parent = get_visible_or_404(
        Place.objects, request.user, "change", pk=payload.parent_id
    )
    data = payload.dict(exclude={"parent_id"})
    place = services.create_place(actor=request.user, parent=parent, **data)
    return Status(201, _with_parent_ids([place])[0])


@router.patch("{int:place_id}", response=PlaceOut, summary="修改地点")
def update_place(request, place_id: int, payload: PlacePatch):
    place = get_visible_or_404(Place.objects, request.user, "change", pk=place_id)
    place = services.update_place(
        actor=request.user, place=place, **payload.dict(exclude_unset=True)
    )
    return _with_parent_ids([place])[0]


@router.post("{int:place_id}/move", response=PlaceOut, summary="移动地点（调整上级）")
def move_place(request, place_id: int, payload: MoveIn):
    place = get_visible_or_404(Place.objects, request.user, "change", pk=place_id)
    new_parent = get_visible_or_404(
        Place.objects, request.user, "change", pk=payload.new_parent_id
    )
    place = services.move_place(
        actor=request.user,
        place=place,
        new_parent=new_parent,
        new_code=payload.new_code,
    )
    return _with_parent_ids([place])[0]
