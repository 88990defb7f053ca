"""Display links join the shared scope matrix: the list shows exactly the links
DisplayLink.objects.visible_to returns, for every demo role."""

from jiceng.core.testing import Surface, scope_matrix
from jiceng.screen.models import DisplayLink

SURFACES = [Surface(DisplayLink, list_url="/screen/links/")]

test_scope_matrix = scope_matrix(SURFACES)
