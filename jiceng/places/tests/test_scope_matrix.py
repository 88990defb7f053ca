"""Places join the shared scope matrix: tree page, detail, API agree per role."""

from jiceng.core.testing import Surface, scope_matrix
from jiceng.places.models import Place

SURFACES = [
    Surface(
        Place,
        detail_url=lambda p: f"/places/{p.pk}/",
        api_list="/api/v1/places/",
        api_detail=lambda p: f"/api/v1/places/{p.pk}",
    ),
]

test_scope_matrix = scope_matrix(SURFACES)
