"""Audit logins, failed logins, logouts and lockouts."""

from axes.signals import user_locked_out
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import (
    user_logged_in,
    user_logged_out,
    user_login_failed,
)
from django.dispatch import receiver

from . import audit
from .middleware import client_ip_from
from .models import AuditAction


def _ip(request):
    return client_ip_from(request) if request is not None else None


@receiver(user_logged_in)
def audit_login(sender, request, user, **kwargs):
    audit.record(actor=user, action=AuditAction.LOGIN, target=user, ip=_ip(request))


@receiver(user_logged_out)
def audit_logout(sender, request, user, **kwargs):
    if user is not None:
        audit.record(
            actor=user, action=AuditAction.LOGOUT, target=user, ip=_ip(request)
        )


@receiver(user_login_failed)
def audit_login_failed(sender, credentials, request=None, **kwargs):
    username = str(credentials.get("username", ""))[:150]
    audit.record(
        actor=username or None,
        action=AuditAction.LOGIN_FAILED,
        target_type="core.user",
        target_repr=username,
        ip=_ip(request),
    )


@receiver(user_locked_out)
def audit_lockout(sender, request, username, ip_address, **kwargs):
    user = get_user_model().objects.filter(username=username).first()
    audit.record(
        actor=username or None,
        action=AuditAction.LOCKOUT,
        target=user,
        target_type="core.user",
        target_repr=username or "",
        ip=ip_address,
        changes={"reason": "连续登录失败"},
    )
