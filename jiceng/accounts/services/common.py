"""What the account services share: usernames, initial passwords, the member role."""

import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from pypinyin import lazy_pinyin

from jiceng.core import audit
from jiceng.core.models import Assignment, AuditAction
from jiceng.core.roles import Role
from jiceng.core.scope import require_place_in_scope
from jiceng.places.models import PlaceKind

from ..errors import AccountError

PASSWORD_LETTERS = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ"  # noqa: S105 (an alphabet)
PASSWORD_DIGITS = "23456789"  # noqa: S105 (an alphabet)


def community_of(place):
    if place is None:
        return None
    return place.ancestor_of_kind(PlaceKind.COMMUNITY)


def require_community(actor, community):
    """The actor opens accounts (accounts.manage) in this community."""
    require_place_in_scope(community, actor, "accounts.manage")


def free_username(name: str) -> str:
    """A login name from the person's name in pinyin (zhangsan, zhangsan2, …)."""
    base = "".join(lazy_pinyin(name or "")).lower()
    base = "".join(c for c in base if c.isascii() and c.isalnum())[:20] or "jumin"
    User = get_user_model()
    taken = set(
        User.objects.filter(username__istartswith=base).values_list(
            "username", flat=True
        )
    )
    taken = {t.lower() for t in taken}
    if base not in taken:
        return base
    number = 2
    while f"{base}{number}" in taken:
        number += 1
    return f"{base}{number}"


def check_username(username: str) -> str:
    username = (username or "").strip()
    if not username:
        raise ValidationError({"username": "请填写登录账号"})
    if get_user_model().objects.filter(username__iexact=username).exists():
        raise ValidationError(
            {"username": ValidationError("该账号已被使用", code=AccountError.USERNAME)}
        )
    return username


def initial_password() -> str:
    """12 random characters, letters and digits, none easily misread."""
    letters = [secrets.choice(PASSWORD_LETTERS) for _ in range(8)]
    digits = [secrets.choice(PASSWORD_DIGITS) for _ in range(4)]
    chars = letters + digits
    secrets.SystemRandom().shuffle(chars)
    return "".join(chars)


def check_password(password, user):
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from exc


def grant_member_role(*, actor, user):
    """The member role (党员/志愿者/居民): their own records, 随手拍, volunteering."""
    if Assignment.objects.filter(user=user, role=Role.MEMBER, active=True).exists():
        return
    assignment = Assignment.objects.create(user=user, role=Role.MEMBER)
    audit.record(
        actor=actor,
        action=AuditAction.SECURITY,
        target=user,
        changes={"grant": str(assignment)},
    )
