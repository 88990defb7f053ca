"""The demo accounts (one per role, scoped to the first streets/communities/grids)
and the functional departments cases are dispatched to (bumen works for one).

Tests and docs rely on these usernames. Every account has the same password; running
``seed_demo`` (or :func:`ensure_demo_accounts`) resets passwords and makes each
account's assignments exactly the ones listed here.
"""

from dataclasses import dataclass, replace

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import Count, Q

from jiceng.core.models import Assignment, Department
from jiceng.core.roles import Role
from jiceng.core.scope import path_prefix
from jiceng.party.models import MemberStatus, PartyMember, RosterCheck
from jiceng.people.models import Resident, Unit, UnitKind
from jiceng.places.models import Place, PlaceKind
from jiceng.transfer.models import ImportJob

from . import unit_names as U
from .common import find_district, purge

DEMO_PASSWORD = "Jiceng2026demo"  # noqa: S105 (the published demo password)
SUPERUSER = "superuser"


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str  # a Role value, or "superuser"
    display_name: str
    scope: str  # how the scope is chosen (the real scope is read from the assignments)
    targets: tuple = ()  # keys resolved by _resolve_targets
    password: str = DEMO_PASSWORD


ACCOUNTS = [
    DemoAccount(
        "quadmin", Role.DISTRICT_ADMIN, "区委组织部管理员", "全区", ("district",)
    ),
    DemoAccount(
        "jiedao", Role.STREET_ADMIN, "街道党工委管理员", "第1个街道", ("street1",)
    ),
    DemoAccount(
        "jiedao2",
        Role.STREET_ADMIN,
        "街道党工委管理员（二）",
        "第2个街道",
        ("street2",),
    ),
    DemoAccount(
        "shuji",
        Role.COMMUNITY_SECRETARY,
        "社区党委书记",
        "第1个街道的第1个社区",
        ("community1",),
    ),
    DemoAccount(
        "shegong",
        Role.COMMUNITY_STAFF,
        "社区工作者",
        "第1个街道的第1个社区",
        ("community1",),
    ),
    DemoAccount(
        "wangge",
        Role.GRID_WORKER,
        "专职网格员",
        "第1个社区的第1、2个网格",
        ("grid1", "grid2"),
    ),
    DemoAccount(
        "wangge2",
        Role.GRID_WORKER,
        "专职网格员（二）",
        "第2个街道第1个社区的第1个网格",
        ("grid21",),
    ),
    DemoAccount(
        "loudong",
        Role.BUILDING_LEAD,
        "楼栋长",
        "第1个网格第1个小区的1号楼",
        ("building1",),
    ),
    DemoAccount(
        "danwei",
        Role.UNIT_ORG,
        "单位党组织管理员",
        "第1个街道内有在职党员的单位",
        ("unit",),
    ),
    DemoAccount(
        "bumen",
        Role.DEPARTMENT,
        "城市管理局派遣员",
        "城市管理局（全区）",
        ("department",),
    ),
    DemoAccount(
        "wuye",
        Role.PROPERTY,
        "物业项目经理",
        "第1个网格的第1个小区及其物业公司",
        ("property",),
    ),
    DemoAccount(
        "dangyuan", Role.MEMBER, "党员", "住在第1个网格的一名党员本人", ("member",)
    ),
    DemoAccount("sysadmin", SUPERUSER, "系统管理员", "全部（超级管理员）"),
]
USERNAMES = [a.username for a in ACCOUNTS]


def ensure_departments():
    """The functional departments cases are dispatched to (idempotent)."""
    departments = {}
    for code, name, duties in U.DEPARTMENTS:
        department, _ = Department.objects.update_or_create(
            code=code, defaults={"name": name, "duties": duties}
        )
        departments[code] = department
    return departments


def demo_departments():
    return Department.objects.filter(code__in=[code for code, *_ in U.DEPARTMENTS])


def _children(place, kind, n):
    return list(
        Place.objects.filter(
            path_prefix(place.path), depth=place.depth + 1, kind=kind
        ).order_by("code")[:n]
    )


def _first(place, kind):
    found = _children(place, kind, 1)
    if not found:
        raise LookupError(f"{place.name}下没有{PlaceKind(kind).label}")
    return found[0]


def _resolve_targets(district):
    """Map each target key to the assignment fields it stands for."""
    street1, street2 = _children(district, PlaceKind.STREET, 2)
    community1 = _first(street1, PlaceKind.COMMUNITY)
    grid1, grid2 = _children(community1, PlaceKind.GRID, 2)
    grid21 = _first(_first(street2, PlaceKind.COMMUNITY), PlaceKind.GRID)
    compound1 = _first(grid1, PlaceKind.COMPOUND)
    building1 = _first(compound1, PlaceKind.BUILDING)

    in_service = Count(
        "party_members", filter=Q(party_members__status=MemberStatus.IN_SERVICE)
    )
    street_units = Unit.objects.filter(path_prefix(street1.path, "place__path"))
    # Prefer a 机关/事业单位/国企 with the most in-service members (typical 双报到 units).
    public = {UnitKind.AGENCY, UnitKind.INSTITUTION, UnitKind.STATE_OWNED}
    with_members = sorted(
        street_units.annotate(n=in_service)
        .filter(n__gt=0)
        .order_by("credit_code", "pk"),
        key=lambda u: (u.kind not in public, -u.n),
    )
    unit = (
        with_members[0]
        if with_members
        else street_units.order_by("credit_code", "pk").first()
    )
    property_unit = (
        Unit.objects.filter(place=compound1, kind=UnitKind.PROPERTY)
        .order_by("pk")
        .first()
    )
    if property_unit is None:
        property_unit = Unit.objects.create(
            name=f"{compound1.name}物业服务中心",
            kind=UnitKind.PROPERTY,
            place=compound1,
            address=compound1.address,
        )
    department = ensure_departments()["CGJ"]
    return {
        "district": [{"place": district}],
        "street1": [{"place": street1}],
        "street2": [{"place": street2}],
        "community1": [{"place": community1}],
        "grid1": [{"place": grid1}],
        "grid2": [{"place": grid2}],
        "grid21": [{"place": grid21}],
        "building1": [{"place": building1}],
        "unit": [{"unit": unit}] if unit else [],
        "department": [{"department": department, "place": district}],
        "property": [{"place": compound1, "unit": property_unit}],
        "member": [{}],
        "_member_resident": _member_resident(grid1, community1),
    }


def _member_resident(grid, community):
    """A party member living in the grid, preferably in service (for 双报到 demos)."""
    for scope in (grid, community):
        members = list(
            PartyMember.objects.filter(path_prefix(scope.path, "resident__place__path"))
            .select_related("resident", "resident__place")
            .order_by("resident__place__path", "resident_id")
        )
        if members:
            members.sort(key=lambda m: m.status != MemberStatus.IN_SERVICE)
            return members[0].resident
    return None


def _key(fields):
    return tuple(
        getattr(fields.get(name), "pk", None)
        for name in ("place", "unit", "department")
    )


def district_accounts(spec=None):
    """The demo accounts of a city's district: the first district's are ACCOUNTS;
    a further district has the same roles (no superuser) under its prefix."""
    if spec is None or spec.first:
        return ACCOUNTS
    return [
        replace(
            account,
            username=spec.username(account.username),
            display_name=f"{spec.name}{account.display_name}",
        )
        for account in ACCOUNTS
        if account.role != SUPERUSER
    ]


@transaction.atomic
def ensure_demo_accounts(log=None, spec=None):
    """Create or update the demo users and make their assignments exactly as listed.

    spec (city.DistrictSpec): a further district of a city, whose accounts are
    prefixed (d2.wangge); the first district's by default."""
    log = log or (lambda message: None)
    district = find_district(spec.code) if spec else find_district()
    if district is None:
        raise LookupError("演示区尚未生成，请先运行 seed_demo")
    targets = _resolve_targets(district)
    User = get_user_model()
    users = {}
    # One hash for the shared password: argon2 is deliberately slow (~0.2 s per hash).
    hashes = {}
    for account in district_accounts(spec):
        superuser = account.role == SUPERUSER
        display_name = account.display_name
        resident = targets["_member_resident"] if account.role == Role.MEMBER else None
        if resident is not None:
            display_name = resident.name
        if account.password not in hashes:
            hashes[account.password] = make_password(account.password)
        user, _ = User.objects.update_or_create(
            username=account.username,
            defaults={
                "display_name": display_name,
                "is_staff": superuser,
                "is_superuser": superuser,
                "is_active": True,
                "password": hashes[account.password],
            },
        )

        wanted = {}
        if not superuser:
            for target in account.targets:
                for fields in targets[target]:
                    wanted[(account.role, *_key(fields))] = fields
        for assignment in Assignment.objects.filter(user=user):
            key = (
                assignment.role,
                assignment.place_id,
                assignment.unit_id,
                assignment.department_id,
            )
            if key in wanted and assignment.active:
                wanted.pop(key)
            else:
                assignment.delete()
        for (role, *_), fields in wanted.items():
            Assignment.objects.create(user=user, role=role, **fields)

        if account.role == Role.MEMBER:
            Resident.objects.filter(user=user).exclude(
                pk=getattr(resident, "pk", None)
            ).update(user=None)
            if resident is not None:
                Resident.objects.filter(pk=resident.pk).update(user=user)
        users[account.username] = user
    log(f"演示账号已就绪：{len(users)} 个，统一密码 {DEMO_PASSWORD}")
    return users


def _join_places(places):
    """新华街道 幸福社区 第一网格、第二网格: siblings share their parents' names once."""
    paths = [p.full_name().split(" ") for p in places]
    if len(paths) > 1 and all(p[:-1] == paths[0][:-1] for p in paths):
        return " ".join([*paths[0][:-1], "、".join(p[-1] for p in paths)])
    return "；".join(" ".join(p) for p in paths)


def describe_account(account, user):
    """The real role and scope of a demo user, read from its assignments."""
    if user is None:
        return {
            "username": account.username,
            "password": account.password,
            "role": account.role,
            "scope": "（未创建）",
        }
    if user.is_superuser:
        return {
            "username": user.username,
            "password": account.password,
            "role": SUPERUSER,
            "scope": "全部（超级管理员）",
        }
    assignments = list(
        Assignment.objects.filter(user=user, active=True)
        .select_related("place", "unit", "department")
        .order_by("place__path", "pk")
    )
    role = assignments[0].role if assignments else account.role
    parts = []
    places = [a.place for a in assignments if a.place and not a.department_id]
    if places:
        text = _join_places(places)
        units = [a.unit.name for a in assignments if a.unit and a.place]
        parts.append(f"{text}（{'、'.join(units)}）" if units else text)
    for a in assignments:
        if a.department_id:
            parts.append(
                f"{a.department.name}（{a.place.full_name() if a.place else '全区'}）"
            )
        elif a.unit_id and not a.place_id:
            parts.append(a.unit.name)
    if role == Role.MEMBER:
        resident = Resident.objects.filter(user=user).select_related("place").first()
        parts.append(
            f"本人：{resident.name}（{resident.place.full_name()}）"
            if resident
            else "本人"
        )
    return {
        "username": user.username,
        "password": account.password,
        "role": str(role),
        "scope": "；".join(parts) or "（无）",
    }


def describe_accounts():
    users = {
        u.username: u for u in get_user_model().objects.filter(username__in=USERNAMES)
    }
    return [describe_account(a, users.get(a.username)) for a in ACCOUNTS]


def purge_accounts(district, usernames):
    """The demo users, with the rows they authored, and every assignment in the
    district (the audit log keeps their names: its actor has no constraint)."""
    demo_users = get_user_model().objects.filter(username__in=usernames)
    RosterCheck.objects.filter(created_by__in=demo_users).delete()
    ImportJob.objects.filter(created_by__in=demo_users).delete()
    demo_users.delete()
    if district is not None:
        purge(Assignment.objects.filter(path_prefix(district.path, "place__path")))


def purge_departments():
    purge(demo_departments())
