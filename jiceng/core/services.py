"""Account operations: API tokens and two-factor enrolment."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import audit
from .models import ApiToken, AuditAction, hash_token


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
