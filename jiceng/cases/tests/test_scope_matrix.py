"""Cases join the shared scope matrix: list page, detail, API and export agree per
role; routing rules' configuration page opens exactly for cases.configure."""

from jiceng.cases.models import Case, RoutingRule
from jiceng.core.testing import Surface, scope_matrix

SURFACES = [
    Surface(
        Case,
        list_url="/cases/",
        detail_url=lambda c: f"/cases/{c.pk}/",
        api_list="/api/v1/cases/",
        api_detail=lambda c: f"/api/v1/cases/{c.pk}",
        export_url="/transfer/export/cases.xlsx",
    ),
    # The configuration page lists the rules one configures and, read-only, those
    # inherited from above; it has no detail page, API or export of its own.
    Surface(RoutingRule, list_url="/cases/config/", permission="cases.configure"),
]

test_scope_matrix = scope_matrix(SURFACES)
