"""Demo volunteering data for the demo district, made through the services.

Idempotent (nothing is added once the demo community has volunteers) and purged by
``seed_demo --reset``. dangyuan becomes an in-service member of danwei's unit who has
registered to the home community, served, earned points and claimed a wish; danwei's
unit has registered, records its service and has claimed a project. The residents'
side (wishes, the three lists, projects, reports) is in volunteer_needs.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from jiceng.core.models import Assignment
from jiceng.core.planner import column_in
from jiceng.core.scope import path_prefix
from jiceng.party.models import MemberStatus, PartyMember
from jiceng.people.models import Unit
from jiceng.places.models import Place, PlaceKind
from jiceng.volunteer import services
from jiceng.volunteer.models import (
    Activity,
    AnnualEvaluation,
    ItemKind,
    MallItem,
    Match,
    MemberRegistration,
    Need,
    PointsEntry,
    Project,
    QuarterlyReport,
    Redemption,
    Resource,
    ServiceHours,
    Signup,
    Team,
    ThemePlan,
    UnitRegistration,
    UnitServiceRecord,
    Volunteer,
    Wish,
    WishClaim,
)

from .common import stream
from .names import SKILLS
from .volunteer_needs import seed_needs

PREFIX = "zy-demo-"  # usernames of the demo volunteers' accounts
ITEMS = [
    ("洗衣液", ItemKind.GOODS, 30, 40, "社区超市"),
    ("大米5公斤", ItemKind.GOODS, 80, 20, "共建单位"),
    ("免费理发一次", ItemKind.SERVICE, 20, 50, "党员服务队"),
    ("家电清洗一次", ItemKind.SERVICE, 60, 10, "家电维修服务队"),
    ("保温杯", ItemKind.GOODS, 50, 15, ""),
]


@dataclass
class Cast:
    """Who plays which part; the community worker (社区工作者) is the community's side."""

    staff: object
    wangge: object
    wangge2: object
    danwei: object
    dangyuan: object
    volunteers: list = field(default_factory=list)


def _first_community(district):
    street = (
        Place.objects.filter(path_prefix(district.path), kind=PlaceKind.STREET)
        .order_by("code")
        .first()
    )
    return (
        Place.objects.filter(path_prefix(street.path), kind=PlaceKind.COMMUNITY)
        .order_by("code")
        .first()
    )


def seed_volunteering(district, *, seed, log=print):
    if district is None:
        return
    users = {
        u.username: u
        for u in get_user_model().objects.filter(
            username__in=[
                "shegong",
                "wangge",
                "danwei",
                "dangyuan",
                "wangge2",
                "jiedao",
            ]
        )
    }
    if len(users) < 6:
        return
    community = _first_community(district)
    if Volunteer.objects.filter(community=community).exists():
        return
    with transaction.atomic():
        _seed(district, community, users, stream(seed, "volunteer"), log)


def _seed(district, community, users, rng, log):
    cast = Cast(
        staff=users["shegong"],
        wangge=users["wangge"],
        wangge2=users["wangge2"],
        danwei=users["danwei"],
        dangyuan=users["dangyuan"],
    )
    unit = Assignment.objects.get(user=cast.danwei, role="unit_org").unit
    now = timezone.now()
    cast.volunteers = _volunteers(community, cast.dangyuan, unit)
    _registrations(rng, community, cast, unit)
    team, me = _teams(community, cast.dangyuan)
    plans = _theme_plans(community, timezone.localdate())
    _past_activities(rng, community, cast, team, plans, now)
    _current_activities(community, cast, now)
    _mall(community, cast.staff, me)
    seed_needs(rng, community, cast)
    log(
        f"志愿服务：志愿者 {Volunteer.objects.filter(community=community).count()} 名，"
        f"活动 {Activity.objects.filter(community=community).count()} 场，"
        f"微心愿 {Wish.objects.filter(path_prefix(district.path, 'place__path')).count()} 个，"
        f"项目 {Project.objects.filter(community=community).count()} 个"
    )


def _volunteers(community, dangyuan, unit):
    """dangyuan serves in danwei's unit; other in-service members living in the
    community get volunteer accounts (no password)."""
    member = PartyMember.objects.get(resident__user=dangyuan)
    member.status, member.unit = MemberStatus.IN_SERVICE, unit
    member.save(update_fields=["status", "unit"])

    # other in-service members living in the community get volunteer accounts
    others = list(
        PartyMember.objects.filter(
            path_prefix(community.path, "resident__place__path"),
            resident__user__isnull=True,
            status=MemberStatus.IN_SERVICE,
        )
        .select_related("resident")
        .order_by("resident_id")[:12]
    )
    User = get_user_model()
    volunteers = []
    for n, other in enumerate(others):
        user = User.objects.create(
            username=f"{PREFIX}{n:02d}", display_name=other.resident.name
        )
        user.set_unusable_password()
        user.save(update_fields=["password"])
        Assignment.objects.create(user=user, role="member")
        other.resident.user = user
        other.resident.save(update_fields=["user"])
        if n < 5 and other.unit_id is None:
            other.unit = unit
            other.save(update_fields=["unit"])
        volunteers.append(user)
    return volunteers


def _registrations(rng, community, cast, unit):
    """双报到: the members (ten approved), danwei's unit (approved, with a service
    record) and two more units of the street (waiting)."""
    staff, danwei = cast.staff, cast.danwei
    for n, user in enumerate([cast.dangyuan, *cast.volunteers]):
        registration = services.register_member(
            actor=user,
            commitments="每月至少参加一次社区志愿服务",
            claimed_items=rng.choice(["楼道卫生", "政策宣讲", "关爱独居老人"]),
            skills="、".join(rng.sample(SKILLS, 2)),
            available=rng.choice(["weekend", "evening", "weekday,weekend"]),
        )
        if n < 10:
            services.decide_registration(
                actor=staff, registration=registration, approve=True
            )
    compound = (
        Place.objects.filter(path_prefix(community.path), kind=PlaceKind.COMPOUND)
        .order_by("code")
        .first()
    )
    unit_registration = services.register_unit(
        actor=danwei,
        unit=unit,
        community=community,
        commitments="每季度组织一次进社区志愿服务，开放单位会议室",
        claimed_items="老旧小区楼道照明、政策宣讲",
        compounds=[compound] if compound else [],
    )
    unit_registration = services.decide_registration(
        actor=staff, registration=unit_registration, approve=True
    )
    services.record_unit_service(
        actor=danwei,
        registration=unit_registration,
        served_on=timezone.localdate() - timedelta(days=20),
        title="组织党员进小区清理楼道杂物",
        participants=12,
        hours=3,
    )
    street = community.path[: Place.steplen * 2]
    for other_unit in (
        Unit.objects.filter(path_prefix(street, "place__path"))
        .exclude(pk=unit.pk)
        .order_by("pk")[:2]
    ):
        services.register_unit(
            actor=staff,
            unit=other_unit,
            community=community,
            commitments="结对共建，提供志愿服务",
        )


def _teams(community, dangyuan):
    me = services.volunteer_of(dangyuan)
    team = Team.objects.create(
        name="党员先锋服务队",
        kind="party",
        community=community,
        leader=me,
        specialities="理发、家电维修、政策宣讲",
        description="在职党员组成，每月第二个周六集中服务",
    )
    team.members.set(Volunteer.objects.filter(community=community)[:8])
    Team.objects.create(
        name="巾帼志愿服务队",
        kind="volunteer",
        community=community,
        specialities="陪护、心理疏导",
    )
    return team, me


def _theme_plans(community, today):
    """主题党日 plans of this month and the two before."""
    plans = []
    for back, theme in enumerate(
        ["学习党的创新理论", "文明城市我先行", "关爱一老一小"]
    ):
        month = (today.month - back - 1) % 12 + 1
        year = today.year if month <= today.month else today.year - 1
        plans.append(
            ThemePlan.objects.create(
                community=community,
                year=year,
                month=month,
                theme=theme,
                content="集中学习 + 志愿服务",
            )
        )
    return plans


def _past_activities(rng, community, cast, team, plans, now):
    """Four past activities the volunteers joined, closed; all but the last have
    their hours confirmed."""
    staff, dangyuan = cast.staff, cast.dangyuan
    joiners = [dangyuan, *cast.volunteers[:9]]
    past = []
    for days, title, kind, plan in [
        (40, "清理楼道杂物", "service", None),
        (25, "主题党日：文明城市我先行", "theme_day", plans[1]),
        (12, "义务理发进小区", "service", None),
        (5, "主题党日：学习党的创新理论", "theme_day", plans[0]),
    ]:
        start = timezone.localtime(now - timedelta(days=days)).replace(
            hour=9, minute=0, second=0, microsecond=0
        )
        activity = services.publish_activity(
            actor=staff,
            community=community,
            title=title,
            kind=kind,
            theme_plan=plan,
            team=team,
            venue=f"{community.name}党群服务中心",
            starts_at=start,
            ends_at=start + timedelta(hours=3),
            capacity=20,
            skills=rng.choice(SKILLS),
            target_group="辖区居民",
        )
        for user in joiners:
            if rng.random() < 0.75 or user == dangyuan:
                signed_at = start - timedelta(days=2)
                services.sign_up(actor=user, activity=activity, now=signed_at)
                services.check_in(actor=user, activity=activity, now=start)
                services.check_out(
                    actor=user,
                    activity=activity,
                    now=start + timedelta(hours=rng.choice([2, 3])),
                )
        past.append(activity)
    for activity in past[:-1]:
        services.confirm_activity_hours(actor=staff, activity=activity)
    for activity in past:
        Activity.objects.filter(pk=activity.pk).update(status="closed")


def _current_activities(community, cast, now):
    """One under way now (dangyuan may check in), two to come, and a self-logged
    stretch waiting for approval."""
    staff, dangyuan = cast.staff, cast.dangyuan
    start = now - timedelta(minutes=90)
    ongoing = services.publish_activity(
        actor=staff,
        community=community,
        title="社区环境清洁日",
        venue="中心广场",
        starts_at=start,
        ends_at=start + timedelta(hours=3),
        capacity=15,
        target_group="全体居民",
        skills="不限",
    )
    services.sign_up(actor=dangyuan, activity=ongoing, now=start)
    services.check_in(actor=dangyuan, activity=ongoing, now=start)
    for days, title, capacity in [
        (3, "政策宣讲进小区", 10),
        (9, "关爱独居老人上门探访", 2),
    ]:
        start = timezone.localtime(now + timedelta(days=days)).replace(
            hour=14, minute=0, second=0, microsecond=0
        )
        services.publish_activity(
            actor=staff,
            community=community,
            title=title,
            venue=f"{community.name}活动室",
            starts_at=start,
            ends_at=start + timedelta(hours=2),
            capacity=capacity,
            skills="政策宣讲" if "宣讲" in title else "陪护",
            target_group="老年人",
        )
    # a self-logged stretch waiting for approval
    services.log_hours(
        actor=dangyuan,
        community=community,
        title="陪独居老人到医院复查",
        started_at=now - timedelta(days=2, hours=3),
        ended_at=now - timedelta(days=2, hours=1),
        evidence_note="服务对象：张爷爷（网格员可核实）",
    )


def _mall(community, staff, me):
    """The points mall: items, one redemption, one award."""
    items = [
        MallItem.objects.create(
            community=community,
            name=name,
            kind=kind,
            points=points,
            stock=stock,
            sponsor=sponsor,
        )
        for name, kind, points, stock, sponsor in ITEMS
    ]
    rich = Volunteer.objects.filter(community=community, points_balance__gte=30).first()
    if rich is not None:
        services.redeem(actor=rich.user, item=items[0])
    services.adjust_points(
        actor=staff, volunteer=me, points=20, reason="季度优秀志愿者奖励"
    )


def purge_volunteering(district):
    """Delete the demo's volunteering rows (and the demo volunteers' accounts).

    The points ledger refuses deletes through the ORM; a whole account's ledger goes
    with one SQL DELETE here, as it does when an account is purged.
    """
    if district is None:
        return
    prefix = district.path
    here = path_prefix(prefix, "community__path")
    volunteers = Volunteer.objects.filter(here | Q(user__username__startswith=PREFIX))
    ids = list(volunteers.values_list("pk", flat=True))
    Match.objects.filter(path_prefix(prefix, "need__community__path")).delete()
    Project.objects.filter(here).delete()
    Need.objects.filter(here).delete()
    Resource.objects.filter(here | Q(volunteer_id__in=ids)).delete()
    WishClaim.objects.filter(
        path_prefix(prefix, "wish__place__path") | Q(volunteer_id__in=ids)
    ).delete()
    Wish.objects.filter(path_prefix(prefix, "place__path")).delete()
    with connection.cursor() as cursor:
        table = PointsEntry._meta.db_table
        for start in range(0, len(ids), 500):
            condition, params = column_in("volunteer_id", ids[start : start + 500])
            cursor.execute(
                f"DELETE FROM {table} WHERE {condition}",  # noqa: S608
                params,
            )
    Redemption.objects.filter(volunteer_id__in=ids).delete()
    MallItem.objects.filter(here).delete()
    Signup.objects.filter(
        Q(volunteer_id__in=ids) | path_prefix(prefix, "activity__community__path")
    ).delete()
    ServiceHours.objects.filter(Q(volunteer_id__in=ids) | here).delete()
    Activity.objects.filter(here).delete()
    ThemePlan.objects.filter(here).delete()
    Team.objects.filter(here).delete()
    AnnualEvaluation.objects.filter(registration__volunteer_id__in=ids).delete()
    QuarterlyReport.objects.filter(registration__volunteer_id__in=ids).delete()
    MemberRegistration.objects.filter(Q(volunteer_id__in=ids) | here).delete()
    UnitServiceRecord.objects.filter(
        path_prefix(prefix, "registration__community__path")
    ).delete()
    UnitRegistration.objects.filter(here).delete()
    Volunteer.objects.filter(pk__in=ids).delete()
    get_user_model().objects.filter(username__startswith=PREFIX).delete()
