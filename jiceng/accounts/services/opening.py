"""A community opens accounts: for one registry record, or for a batch of them
(each with an initial password, changed at first login, or a personal invitation
code), and prints invitations people register with."""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from jiceng.core import audit
from jiceng.core.models import AuditAction
from jiceng.core.scope import can, require_in_scope
from jiceng.people.models import Resident

from ..errors import AccountError
from ..models import AccountSource, Audience, Invitation, MemberAccount
from .common import (
    check_password,
    check_username,
    community_of,
    free_username,
    grant_member_role,
    initial_password,
    require_community,
)

MAX_BATCH = 200


def _refuse_existing(resident=None, worker=None):
    if resident is not None and resident.user_id:
        raise ValidationError(
            f"{resident.name}已开通账号", code=AccountError.HAS_ACCOUNT
        )
    if worker is not None and MemberAccount.objects.filter(gig_worker=worker).exists():
        raise ValidationError(f"{worker.name}已开通账号", code=AccountError.HAS_ACCOUNT)


def _registry_record(actor, resident, worker):
    """The record must be one the actor sees, in a community they open accounts in."""
    record = resident or worker
    if record is None or not can(actor, record, "view"):
        raise PermissionDenied("该人员不在您的权限范围内")
    community = worker.community if worker else community_of(resident.place)
    if community is None:
        raise ValidationError("无法确定该居民所在的社区", code=AccountError.NO_MATCH)
    require_community(actor, community)
    return community


def create_linked_account(
    *,
    actor,
    community,
    audience,
    source,
    name,
    username,
    password=None,
    password_hash=None,
    resident=None,
    worker=None,
    must_change_password=False,
    active=True,
):
    """The account, its member role and its links (Resident.user, MemberAccount)."""
    User = get_user_model()
    user = User(username=username, display_name=name, is_active=active)
    if password_hash:
        user.password = password_hash
    else:
        check_password(password, user)
        user.set_password(password)
    user.save()
    account = MemberAccount.objects.create(
        user=user,
        community=community,
        audience=audience,
        gig_worker=worker,
        source=source,
        must_change_password=must_change_password,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    if resident is None and worker is not None:
        resident = worker.resident
    # An account waiting for approval is linked to its resident on approval.
    if active and resident is not None and not resident.user_id:
        Resident.objects.filter(pk=resident.pk).update(user=user)
        resident.user = user
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        target=user,
        changes={
            "username": username,
            "source": source,
            "resident": resident.pk if resident else None,
            "gig_worker": worker.pk if worker else None,
        },
    )
    if active:
        grant_member_role(actor=actor, user=user)
    return account


@transaction.atomic
def open_account(
    *,
    actor,
    resident=None,
    worker=None,
    username="",
    source=AccountSource.REGISTRY,
):
    """Open the account of one resident (or gig worker) from their registry record.

    Returns (account, initial password): the password is shown once and must be
    changed at first login.
    """
    if resident is not None:
        resident = Resident.objects.select_for_update().get(pk=resident.pk)
    community = _registry_record(actor, resident, worker)
    _refuse_existing(resident, worker)
    username = check_username(username or free_username((resident or worker).name))
    password = initial_password()
    account = create_linked_account(
        actor=actor,
        community=community,
        audience=Audience.GIG if worker is not None else Audience.RESIDENT,
        source=source,
        name=(resident or worker).name,
        username=username,
        password=password,
        resident=resident,
        worker=worker,
        must_change_password=True,
    )
    require_in_scope(account, actor, "manage")
    return account, password


@transaction.atomic
def open_accounts_in_batch(*, actor, residents, with_codes=False):
    """Open accounts for a registry selection; return one row per person.

    Each row is (resident, username, password, code): an initial password when
    with_codes is false, else a personal invitation code the person registers with
    (no account yet). Residents who already have an account are left out.
    """
    residents = list(residents[: MAX_BATCH + 1])
    if not residents or len(residents) > MAX_BATCH:
        raise ValidationError(
            f"请选择1至{MAX_BATCH}名居民（可先筛选）", code=AccountError.SELECTION
        )
    rows = []
    for resident in residents:
        if resident.user_id:
            continue
        if with_codes:
            invitation = create_invitation(
                actor=actor,
                community=_registry_record(actor, resident, None),
                audience=Audience.RESIDENT,
                title=f"{resident.name}的个人邀请码",
                resident=resident,
                max_uses=1,
            )
            rows.append((resident, "", "", invitation.code))
        else:
            account, password = open_account(
                actor=actor, resident=resident, source=AccountSource.BATCH
            )
            rows.append((resident, account.user.username, password, ""))
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        target_type="accounts.batch",
        target_repr=f"批量开通账号 {len(rows)} 人",
        changes={"count": len(rows), "mode": "codes" if with_codes else "passwords"},
    )
    return rows


@transaction.atomic
def reset_password(*, actor, account):
    """A new initial password (shown once), to be changed at the next login."""
    account = MemberAccount.objects.select_for_update().get(pk=account.pk)
    require_in_scope(account, actor, "manage")
    password = initial_password()
    user = account.user
    user.set_password(password)
    user.save(update_fields=["password"])
    account.must_change_password = True
    account.save(update_fields=["must_change_password"])
    audit.record(
        actor=actor,
        action=AuditAction.SECURITY,
        target=user,
        changes={"password": "已重置"},
    )
    return password


@transaction.atomic
def set_account_active(*, actor, account, active):
    account = MemberAccount.objects.select_for_update().get(pk=account.pk)
    require_in_scope(account, actor, "manage")
    user = account.user
    user.is_active = bool(active)
    user.save(update_fields=["is_active"])
    audit.record(
        actor=actor,
        action=AuditAction.SECURITY,
        target=user,
        changes={"is_active": bool(active)},
    )
    return account


# --- invitations -----------------------------------------------------------------


@transaction.atomic
def create_invitation(
    *,
    actor,
    community,
    audience=Audience.RESIDENT,
    title="",
    expires_on=None,
    max_uses=None,
    resident=None,
):
    require_community(actor, community)
    if community.kind != "community":
        raise ValidationError({"community": "请选择社区"})
    invitation = Invitation(
        community=community,
        audience=audience,
        title=(title or "").strip()[:100],
        expires_on=expires_on,
        max_uses=max_uses,
        resident=resident,
        created_by=actor,
    )
    invitation.full_clean(exclude=["code", "created_by", "community"])
    while Invitation.objects.filter(code=invitation.code).exists():
        invitation.code = type(invitation)._meta.get_field("code").default()
    invitation.save()
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        target=invitation,
        changes={
            "audience": audience,
            "expires_on": str(expires_on) if expires_on else None,
            "max_uses": max_uses,
            "resident": resident.pk if resident else None,
        },
    )
    require_in_scope(invitation, actor, "manage")
    return invitation


@transaction.atomic
def set_invitation_active(*, actor, invitation, active):
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    require_in_scope(invitation, actor, "manage")
    invitation.active = bool(active)
    invitation.save(update_fields=["active"])
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=invitation,
        changes={"active": bool(active)},
    )
    return invitation
