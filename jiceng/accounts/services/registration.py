"""Self-registration with an invitation, and the community's approval.

The person gives name, ID number, phone and a password. The ID number is looked
up in the registry by its blind index (never decrypted), and the name must match
the record found in the invitation's community. Repeated misses lock the ID number
and the code-and-address pair, with the login lockout's limits.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from jiceng.core import audit
from jiceng.core.errors import check_version
from jiceng.core.fields import BlindIndexField
from jiceng.core.models import AuditAction
from jiceng.core.scope import path_prefix, require_in_scope
from jiceng.core.validators import validate_id_number, validate_mobile
from jiceng.people.models import GigWorker, Resident

from ..errors import AccountError
from ..models import (
    AccountSource,
    Audience,
    Invitation,
    MemberAccount,
    Registration,
    RegistrationAttempt,
    RegistrationStatus,
)
from .common import check_password, check_username, grant_member_role
from .opening import create_linked_account


def lockout_window():
    return timedelta(hours=settings.AXES_COOLOFF_TIME)


def is_locked(*, code, ip, digest=None, now=None) -> bool:
    """Too many misses lately for this ID number, or this code from this address."""
    since = (now or timezone.now()) - lockout_window()
    recent = RegistrationAttempt.objects.filter(at__gte=since)
    condition = Q(code=code, ip=ip)
    if digest:
        condition |= Q(id_number_index=digest)
    return recent.filter(condition).count() >= settings.AXES_FAILURE_LIMIT


def invitation_for_code(code):
    return (
        Invitation.objects.select_related("community")
        .filter(code=(code or "").strip().upper())
        .first()
    )


def _match(invitation, name, digest):
    """The registry record of this person in the invitation's community, or None."""
    community = invitation.community
    if invitation.audience == Audience.GIG:
        return GigWorker.objects.filter(
            id_number_index=digest, name=name, community=community
        ).first()
    residents = Resident.objects.filter(
        path_prefix(community.path, "place__path"), id_number_index=digest, name=name
    )
    if invitation.resident_id:
        residents = residents.filter(pk=invitation.resident_id)
    return residents.first()


def _fail(code, ip, digest, message):
    RegistrationAttempt.objects.create(code=code, ip=ip, id_number_index=digest or "")
    audit.record(
        actor=None,
        action=AuditAction.LOGIN_FAILED,
        target_type="accounts.invitation",
        target_id=code,
        target_repr="扫码注册未通过核验",
        ip=ip,
    )
    raise ValidationError(message, code=AccountError.NO_MATCH)


def register(*, code, name, id_number, phone, username, password, ip=None):
    """Register with an invitation; the account waits inactive for approval.

    Misses are recorded outside the registration's transaction, so that they
    count even though the registration itself is refused.
    """
    name = (name or "").strip()
    invitation = invitation_for_code(code)
    if invitation is None or not invitation.usable:
        raise ValidationError(
            "邀请码无效、已停用或已过期，请向社区索取新的二维码",
            code=AccountError.INVITATION,
        )
    code = invitation.code
    if is_locked(code=code, ip=ip):
        raise ValidationError(
            "核验失败次数过多，请稍后再试或到社区办理", code=AccountError.LOCKED
        )
    try:
        facts = validate_id_number(id_number)
    except ValidationError as exc:
        raise ValidationError({"id_number": exc.messages}) from exc
    try:
        phone = validate_mobile(phone)
    except ValidationError as exc:
        raise ValidationError({"phone": exc.messages}) from exc
    digest = BlindIndexField(source="id_number").digest(facts.number)
    if is_locked(code=code, ip=ip, digest=digest):
        raise ValidationError(
            "核验失败次数过多，请稍后再试或到社区办理", code=AccountError.LOCKED
        )
    record = _match(invitation, name, digest)
    if record is None:
        _fail(
            code,
            ip,
            digest,
            "姓名与身份证号未在本社区登记，请核对后重试，或先到社区登记",
        )
    return _register(invitation, record, name, facts.number, phone, username, password)


@transaction.atomic
def _register(invitation, record, name, id_number, phone, username, password):
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.usable:
        raise ValidationError("邀请码已用完或已停用", code=AccountError.INVITATION)
    is_worker = isinstance(record, GigWorker)
    resident = record.resident if is_worker else record
    if (resident is not None and resident.user_id) or (
        is_worker and MemberAccount.objects.filter(gig_worker=record).exists()
    ):
        raise ValidationError(
            "您已开通账号，请直接登录；忘记密码请联系社区重置",
            code=AccountError.HAS_ACCOUNT,
        )
    pending = Registration.objects.filter(status=RegistrationStatus.PENDING)
    if pending.filter(
        Q(gig_worker=record) if is_worker else Q(resident=record)
    ).exists():
        raise ValidationError(
            "您已提交注册，正在等待社区审核", code=AccountError.PENDING
        )
    username = check_username(username)
    check_password(password, get_user_model()(username=username, display_name=name))
    account = create_linked_account(
        actor=None,
        community=invitation.community,
        audience=invitation.audience,
        source=AccountSource.INVITATION,
        name=name,
        username=username,
        password_hash=make_password(password),
        worker=record if is_worker else None,
        active=False,
    )
    registration = Registration.objects.create(
        invitation=invitation,
        community=invitation.community,
        audience=invitation.audience,
        name=name,
        id_number=id_number,
        phone=phone,
        username=username,
        user=account.user,
        resident=resident,
        gig_worker=record if is_worker else None,
    )
    Invitation.objects.filter(pk=invitation.pk).update(uses=F("uses") + 1)
    audit.record(
        actor=account.user,
        action=AuditAction.CREATE,
        target=registration,
        changes={"invitation": invitation.code, "username": username},
    )
    return registration


def _locked_pending(actor, registration, version):
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    require_in_scope(registration, actor, "manage")
    check_version(registration, version)
    if registration.status != RegistrationStatus.PENDING:
        raise ValidationError("该注册申请已处理", code=AccountError.STATE)
    return registration


@transaction.atomic
def approve_registration(*, actor, registration, version=None):
    """The community confirms the match: the account opens, linked to the record."""
    registration = _locked_pending(actor, registration, version)
    user = registration.user
    resident = registration.resident
    if resident is not None:
        resident = Resident.objects.select_for_update().get(pk=resident.pk)
        if resident.user_id and resident.user_id != user.pk:
            raise ValidationError("该居民已有其他账号", code=AccountError.HAS_ACCOUNT)
        Resident.objects.filter(pk=resident.pk).update(user=user)
    user.is_active = True
    user.save(update_fields=["is_active"])
    grant_member_role(actor=actor, user=user)
    registration.status = RegistrationStatus.APPROVED
    registration.decided_by, registration.decided_at = actor, timezone.now()
    registration.version += 1
    registration.save()
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=registration,
        changes={
            "status": [RegistrationStatus.PENDING, RegistrationStatus.APPROVED],
            "resident": resident.pk if resident else None,
            "gig_worker": registration.gig_worker_id,
        },
    )
    return registration


@transaction.atomic
def refuse_registration(*, actor, registration, reason, version=None):
    """Not the person in the registry (or not ours): the account is removed."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            {"reason": ValidationError("请填写不通过的原因", code=AccountError.REASON)}
        )
    registration = _locked_pending(actor, registration, version)
    user = registration.user
    registration.status = RegistrationStatus.REFUSED
    registration.reason = reason[:200]
    registration.decided_by, registration.decided_at = actor, timezone.now()
    registration.user = None
    registration.version += 1
    registration.save()
    if user is not None and not user.is_active:
        user.delete()  # frees the name for a corrected registration
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=registration,
        changes={
            "status": [RegistrationStatus.PENDING, RegistrationStatus.REFUSED],
            "reason": registration.reason,
        },
    )
    return registration
