"""Demo rows of the residents' accounts: a printable invitation of the demo
community (shegong's) and one self-registration waiting for its approval.

Made through the accounts services, idempotent (nothing is added once the
community has an invitation) and purged by ``seed_demo --reset``. The person who
registers is a resident of the community without an account, drawn from the seed's
stream; the registry itself is not changed.
"""

from django.contrib.auth import get_user_model
from django.db import transaction

from jiceng.accounts import services
from jiceng.accounts.models import Invitation, MemberAccount, Registration
from jiceng.core.models import Assignment
from jiceng.core.roles import Role
from jiceng.core.scope import path_prefix
from jiceng.people.models import Resident

from .accounts import DEMO_PASSWORD
from .common import stream

PENDING_USERNAME = "zhuce-demo"  # the pending self-registration's login name


def _community():
    assignment = (
        Assignment.objects.filter(
            user__username="shegong", role=Role.COMMUNITY_STAFF, active=True
        )
        .select_related("place", "user")
        .first()
    )
    return (assignment.user, assignment.place) if assignment else (None, None)


def seed_member_accounts(district, *, seed, log=print):
    if district is None:
        return
    staff, community = _community()
    if community is None or Invitation.objects.filter(community=community).exists():
        return
    with transaction.atomic():
        invitation = services.create_invitation(
            actor=staff, community=community, title=f"{community.name}居民扫码注册"
        )
        candidates = list(
            Resident.objects.filter(
                path_prefix(community.path, "place__path"),
                user__isnull=True,
                party_member__isnull=True,
            )
            .exclude(phone_mask="")
            .order_by("place__path", "pk")[:50]
        )
        if not candidates:
            return
        person = stream(seed, "member_accounts").choice(candidates)
        services.register(
            code=invitation.code,
            name=person.name,
            id_number=person.id_number,
            phone=person.phone,
            username=PENDING_USERNAME,
            password=DEMO_PASSWORD,
        )
    log(f"居民账号：{community.name}注册邀请 1 份，待审核注册 1 条（{person.name}）")


def purge_member_accounts(district):
    """The demo's invitations, registrations and the accounts opened through them."""
    if district is None:
        return
    here = path_prefix(district.path, "community__path")
    accounts = MemberAccount.objects.filter(here)
    users = (
        get_user_model()
        .objects.filter(pk__in=list(accounts.values_list("user_id", flat=True)))
        .exclude(is_staff=True)
    )
    Registration.objects.filter(here).delete()
    Invitation.objects.filter(here).delete()
    accounts.delete()
    users.delete()
