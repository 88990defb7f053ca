"""Who am I: the caller's roles and scopes."""

from ninja import Router, Schema

from .scope import grants_for

router = Router(tags=["账号"])


class GrantOut(Schema):
    role: str
    place_path: str | None
    unit_id: int | None
    department_id: int | None


class MeOut(Schema):
    id: int
    username: str
    display_name: str
    is_superuser: bool
    grants: list[GrantOut]


@router.get("me", response=MeOut, summary="当前用户及其角色范围")
def me(request):
    user = request.user
    return {
        "id": user.pk,
        "username": user.username,
        "display_name": user.display_name,
        "is_superuser": user.is_superuser,
        "grants": [g.__dict__ for g in grants_for(user)],
    }
