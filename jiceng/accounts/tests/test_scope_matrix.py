"""Residents' accounts join the shared scope matrix: the approval queue, the
invitations and the accounts opened show each community's own rows only, and a
row of another community is 404 like a missing one."""

from jiceng.accounts.models import (
    Invitation,
    MemberAccount,
    Registration,
    RegistrationStatus,
)
from jiceng.core.testing import Surface, scope_matrix

SURFACES = [
    Surface(
        Registration,
        list_url="/accounts/registrations/",
        detail_url=lambda r: f"/accounts/registrations/{r.pk}/",
        rows=lambda: Registration.objects.filter(status=RegistrationStatus.PENDING),
    ),
    Surface(
        Invitation,
        list_url="/accounts/invitations/",
        detail_url=lambda i: f"/accounts/invitations/{i.pk}/",
        rows=lambda: Invitation.objects.filter(resident__isnull=True),
    ),
    Surface(MemberAccount, list_url="/accounts/"),
]

test_scope_matrix = scope_matrix(SURFACES)
