"""One-window services join the shared scope matrix: every scoped model's list page,
detail page and API agree with Model.objects.visible_to for each demo role.

Residents (dangyuan) are sent to their own phone pages, so the staff register of
applications refuses them on purpose; the API shows them their own applications.
Models shown only inside another page (slots, appointments, the lists' entries) are
registered with the surfaces they have.
"""

from jiceng.core.testing import Surface, scope_matrix
from jiceng.onewindow.models import (
    Application,
    Appointment,
    CommunityMatter,
    HomeVisit,
    ProofMatter,
    ServiceItem,
    ServicePoint,
    Slot,
    StreetPower,
    TaskRequest,
)

API = "/api/v1"

SURFACES = [
    Surface(
        ServiceItem,
        list_url="/onewindow/items/",
        detail_url=lambda i: f"/onewindow/items/{i.pk}/",
        api_list=f"{API}/service-items/",
        api_detail=lambda i: f"{API}/service-items/{i.pk}",
    ),
    Surface(
        Application,
        list_url="/onewindow/applications/",
        detail_url=lambda a: f"/onewindow/applications/{a.pk}/",
        api_list=f"{API}/applications/",
        api_detail=lambda a: f"{API}/applications/{a.pk}",
        refused_roles=frozenset({"dangyuan"}),
    ),
    Surface(
        ServicePoint,
        list_url="/onewindow/points/",
        detail_url=lambda p: f"/onewindow/points/{p.pk}/",
        api_list=f"{API}/service-points/",
        api_detail=lambda p: f"{API}/service-points/{p.pk}",
    ),
    Surface(Slot),
    Surface(Appointment),
    Surface(
        HomeVisit,
        list_url="/onewindow/visits/",
        detail_url=lambda v: f"/onewindow/visits/{v.pk}/",
        permission="onewindow.manage",
    ),
    Surface(
        CommunityMatter,
        list_url="/onewindow/matters/",
        rows=lambda: CommunityMatter.objects.filter(removed_on__isnull=True),
    ),
    Surface(StreetPower),
    Surface(ProofMatter),
    Surface(
        TaskRequest,
        list_url="/onewindow/requests/",
        detail_url=lambda r: f"/onewindow/requests/{r.pk}/",
        permission="onewindow.configure",
        refused_roles=frozenset(),
    ),
]

test_scope_matrix = scope_matrix(SURFACES)
