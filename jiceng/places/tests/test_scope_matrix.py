"""Places join the shared scope matrix: detail page and API agree per role.

The tree's start page (/places/) is not a countable list: it shows the top of
one's scope, and opens it directly when there is one (a redirect). A place's
children list only places inside a visible subtree, which the detail check covers.
"""

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
