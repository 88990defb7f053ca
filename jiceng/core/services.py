"""Account operations: managing accounts and roles, API tokens, two-factor.

An administrator (core.users) manages the people whose every role lies inside
their own subtree: a street creates its grid workers and community staff, never
the district's accounts. Each change is audited; passwords never are.
"""

from datetime import timedelta

from axes.utils import reset as axes_reset
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import audit
from .models import ApiToken, Assignment, AuditAction, hash_token
from .roles import PLACE_ROLES, ROLE_PLACE_KINDS, Role
from .scope import covers, path_prefix, place_path_allowed, place_prefixes

# Roles an administrator may hand out (members are linked to residents elsewhere).
GRANTABLE_ROLES = [role for role in Role if role != Role.MEMBER]


@transaction.atomic
def create_api_token(*, actor, user, name, days=90) -> tuple[ApiToken, str]:
    """Create a token for user; return it with the raw key, shown once."""
    raw = ApiToken.generate_raw()
    token = ApiToken.objects.create(
        user=user,
        name=name,
        prefix=raw[:10],
        key_hash=hash_token(raw),
        expires_at=timezone.now() + timedelta(days=days) if days else None,
    )
    audit.record(
        actor=actor,
        action=AuditAction.TOKEN,
        target=user,
        changes={"created": token.name, "prefix": token.prefix},
    )
    return token, raw


@transaction.atomic
def revoke_api_token(*, actor, token: ApiToken):
    ApiToken.objects.filter(pk=token.pk).update(revoked=True)
    audit.record(
        actor=actor,
        action=AuditAction.TOKEN,
        target=token.user,
        changes={"revoked": token.name, "prefix": token.prefix},
    )


def user_for_token(raw: str):
    """Return the active user behind a raw bearer token, or None."""
    if not raw or not raw.startswith("jc_"):
        return None
    token = (
        ApiToken.objects.select_related("user").filter(key_hash=hash_token(raw)).first()
    )
    if token is None or not token.is_usable or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=5):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def start_totp_enrolment(*, user) -> TOTPDevice:
    """Create (or reuse) an unconfirmed authenticator device for user."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="验证器", confirmed=False)
    return device


@transaction.atomic
def confirm_totp(*, user, device: TOTPDevice, token: str) -> bool:
    if not device.verify_token(token.strip()):
        return False
    TOTPDevice.objects.filter(user=user, confirmed=True).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    audit.record(
        actor=user,
        action=AuditAction.SECURITY,
        target=user,
        changes={"totp": "enabled"},
    )
    return True


@transaction.atomic
def disable_totp(*, user):
    TOTPDevice.objects.filter(user=user).delete()
    audit.record(
        actor=user,
        action=AuditAction.SECURITY,
        target=user,
        changes={"totp": "disabled"},
    )


@transaction.atomic
def change_own_password(*, user, password):
    """Set one's own new password (already checked against the policy by the form)."""
    user.set_password(password)
    user.save(update_fields=["password"])
    audit.record(
        actor=user,
        action=AuditAction.SECURITY,
        target=user,
        changes={"password": "本人修改"},
    )


# --- account management by administrators ---------------------------------------


def managed_users(actor):
    """Users with at least one role inside the actor's subtree(s)."""
    prefixes = place_prefixes(actor, "core.users")
    users = get_user_model().objects.all()
    if "" in prefixes:
        return users
    if not prefixes:
        return users.none()
    condition = Q()
    for prefix in prefixes:
        condition |= path_prefix(prefix, "assignments__place__path")
        condition |= path_prefix(prefix, "assignments__unit__place__path")
    return users.filter(condition).distinct()


def can_manage(actor, user):
    """True when every role the user holds lies inside the actor's subtrees."""
    if actor.is_superuser:
        return True
    if user.is_superuser or user.pk == actor.pk:
        return False
    prefixes = place_prefixes(actor, "core.users")
    assignments = list(user.assignments.select_related("place", "unit__place"))
    if not assignments:
        return False
    for a in assignments:
        place = a.place or (a.unit.place if a.unit_id else None)
        if place is None or not place_path_allowed(place.path, prefixes):
            return False
    return True


def _validate_password(password, user):
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from exc


def _require_manage(actor, user):
    if not can_manage(actor, user):
        raise PermissionDenied("该账号的角色超出您的管理范围")


def _check_assignment(actor, role, place, unit, department):
    if role not in GRANTABLE_ROLES:
        raise ValidationError({"role": "不能授予该角色"})
    if role == Role.UNIT_ORG:
        if unit is None:
            raise ValidationError({"unit": "单位党组织角色必须选择单位"})
        place = unit.place
    elif role in PLACE_ROLES or role == Role.DEPARTMENT:
        if place is None:
            raise ValidationError({"place": "请选择辖区"})
        kinds = ROLE_PLACE_KINDS.get(role)
        if kinds and place.kind not in kinds:
            raise ValidationError({"place": "辖区层级与角色不符"})
    if role == Role.DEPARTMENT and department is None:
        raise ValidationError({"department": "职能部门角色必须选择部门"})
    if place is None or not covers(actor, place, "core.users"):
        raise PermissionDenied("辖区超出您的管理范围")


@transaction.atomic
def create_user(
    *,
    actor,
    username,
    display_name,
    password,
    role,
    place=None,
    unit=None,
    department=None,
):
    """A new account with its first role; the password must pass the policy."""
    User = get_user_model()
    username = username.strip()
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": "该账号已存在"})
    _check_assignment(actor, role, place, unit, department)
    user = User(username=username, display_name=display_name.strip())
    _validate_password(password, user)
    user.set_password(password)
    user.save()
    grant_role(
        actor=actor,
        user=user,
        role=role,
        place=place,
        unit=unit,
        department=department,
        checked=True,
    )
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        target=user,
        changes={"username": username, "role": role},
    )
    return user


@transaction.atomic
def grant_role(
    *, actor, user, role, place=None, unit=None, department=None, checked=False
):
    if not checked:
        _require_manage(actor, user)
        _check_assignment(actor, role, place, unit, department)
    if role == Role.UNIT_ORG:
        place = None
    assignment = Assignment(
        user=user, role=role, place=place, unit=unit, department=department
    )
    assignment.full_clean(exclude=["user"])
    assignment.save()
    audit.record(
        actor=actor,
        action=AuditAction.SECURITY,
        target=user,
        changes={"grant": str(assignment)},
    )
    return assignment


@transaction.atomic
def end_role(*, actor, assignment):
    _require_manage(actor, assignment.user)
    assignment.active = False
    assignment.save(update_fields=["active"])
    audit.record(
        actor=actor,
        action=AuditAction.SECURITY,
        target=assignment.user,
        changes={"revoke": str(assignment)},
    )


@transaction.atomic
def set_password(*, actor, user, password):
    _require_manage(actor, user)
    _validate_password(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])
    audit.record(
        actor=actor,
        action=AuditAction.SECURITY,
        target=user,
        changes={"password": "已重置"},
    )


@transaction.atomic
def set_active(*, actor, user, active):
    _require_manage(actor, user)
    user.is_active = active
    user.save(update_fields=["is_active"])
    audit.record(
        actor=actor,
        action=AuditAction.SECURITY,
        target=user,
        changes={"is_active": active},
    )


def unlock(*, actor, user):
    """Lift a lockout after repeated wrong passwords (django-axes)."""
    _require_manage(actor, user)
    axes_reset(username=user.username)
    audit.record(
        actor=actor, action=AuditAction.SECURITY, target=user, changes={"unlock": True}
    )
