"""A link appears only where its reader may follow it: member → resident, resident →
household, tag → review (the access template filters, core.scope underneath)."""

import pytest

from jiceng.core.scope import can
from jiceng.core.testing import DEMO_USERNAMES
from jiceng.party.models import PartyMember
from jiceng.people.models import Resident

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("username", DEMO_USERNAMES)
def test_member_and_resident_pages_link_only_what_opens(client_for, people, username):
    user, client = people[username], client_for(username)
    members = PartyMember.objects.visible_to(user).select_related("resident")[:3]
    for member in members:
        page = client.get(member.get_absolute_url()).content.decode()
        linked = f'href="{member.resident.get_absolute_url()}"' in page
        assert linked == can(user, member.resident, "view")
    residents = (
        Resident.objects.visible_to(user)
        .filter(household__isnull=False)
        .select_related("household")[:3]
    )
    for resident in residents:
        page = client.get(resident.get_absolute_url()).content.decode()
        linked = f'href="{resident.household.get_absolute_url()}"' in page
        assert linked == can(user, resident.household, "view")
        if linked:
            assert client.get(resident.household.get_absolute_url()).status_code == 200
