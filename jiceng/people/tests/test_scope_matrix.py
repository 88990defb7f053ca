"""People join the shared scope matrix: lists, details, API and exports agree with
each model's scope for every demo role (jiceng.core.testing).

Occupancy (past stays) has no page of its own: it shows on the resident, household
and dwelling pages, each reading through Occupancy's scope.
"""

from jiceng.core.testing import Surface, scope_matrix
from jiceng.people.models import (
    GigWorker,
    Household,
    Occupancy,
    Resident,
    ResidentTag,
    Unit,
)

SURFACES = [
    Surface(
        Resident,
        list_url="/people/residents/",
        detail_url=lambda r: f"/people/residents/{r.pk}/",
        api_list="/api/v1/residents/",
        api_detail=lambda r: f"/api/v1/residents/{r.pk}",
        export_url="/transfer/export/residents.xlsx",
    ),
    Surface(
        Household,
        list_url="/people/households/",
        detail_url=lambda h: f"/people/households/{h.pk}/",
        api_list="/api/v1/households/",
        api_detail=lambda h: f"/api/v1/households/{h.pk}",
    ),
    Surface(
        Unit,
        list_url="/people/units/",
        detail_url=lambda u: f"/people/units/{u.pk}/",
        api_list="/api/v1/units/",
        api_detail=lambda u: f"/api/v1/units/{u.pk}",
        export_url="/transfer/export/units.xlsx",
    ),
    Surface(
        GigWorker,
        list_url="/people/workers/",
        detail_url=lambda w: f"/people/workers/{w.pk}/",
        api_list="/api/v1/gig-workers/",
        export_url="/transfer/export/workers.xlsx",
    ),
    # The tag page lists the open tags (its default tab); the API lists them all.
    Surface(
        ResidentTag,
        list_url="/people/tags/",
        rows=lambda: ResidentTag.objects.filter(ended_on=None),
    ),
    Surface(ResidentTag, api_list="/api/v1/key-population-tags/"),
    Surface(Occupancy),
    # the split and merge pages open exactly the households the user may change
    *[
        Surface(
            Household,
            detail_url=lambda h, step=step: f"/people/households/{h.pk}/{step}/",
            action="change",
            permission="people.change",
        )
        for step in ("split", "merge")
    ],
]

test_scope_matrix = scope_matrix(SURFACES)
