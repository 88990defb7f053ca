"""Demo volunteering data for the demo district, made through the services.

Idempotent (nothing is added once the demo community has volunteers) and purged by
``seed_demo --reset``. dangyuan becomes an in-service member of danwei's unit who has
registered to the home community, served, earned points and claimed a wish; danwei's
unit has registered, records its service and has claimed a project.
"""

import io
import random
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from jiceng.core.models import Assignment
from jiceng.core.planner import column_in
from jiceng.party.models import MemberStatus, PartyMember
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

PREFIX = "zy-demo-"  # usernames of the demo volunteers' accounts
SKILLS = [
    "理发",
    "电工",
    "陪护",
    "政策宣讲",
    "法律咨询",
    "家电维修",
    "辅导作业",
    "心理疏导",
]
ITEMS = [
    ("洗衣液", ItemKind.GOODS, 30, 40, "社区超市"),
    ("大米5公斤", ItemKind.GOODS, 80, 20, "共建单位"),
    ("免费理发一次", ItemKind.SERVICE, 20, 50, "党员服务队"),
    ("家电清洗一次", ItemKind.SERVICE, 60, 10, "家电维修服务队"),
    ("保温杯", ItemKind.GOODS, 50, 15, ""),
]
WISHES = [
    ("想要一台助听器", "health", "张爷爷", "老人听力下降，希望能听清家人说话", "done"),
    (
        "学会用智能手机挂号",
        "study",
        "王阿姨",
        "希望有人教用手机挂号、视频通话",
        "fulfilled",
    ),
    ("孩子需要一套课外读物", "study", "小明", "三年级学生，喜欢科普书", "claimed"),
    ("冬天需要一床厚棉被", "living", "李奶奶", "独自居住，旧棉被不保暖", "published"),
    (
        "希望有人陪同去医院复查",
        "company",
        "赵大爷",
        "每月一次复查，子女在外地",
        "published",
    ),
    ("修一修漏水的水龙头", "repair", "刘阿姨", "", "collected"),
]
NEEDS = [
    ("独居老人每周理发", "理发", "weekend"),
    ("老旧楼道灯维修", "电工", ""),
    ("放学后作业辅导", "辅导作业", "evening"),
    ("老年人法律咨询", "法律咨询", "weekday"),
    ("家电义务维修", "家电维修", "weekend"),
    ("重点人群心理疏导", "心理疏导", ""),
    ("政策宣讲进小区", "政策宣讲", "weekday"),
    ("病后老人陪护", "陪护", ""),
]


def _image():
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (183, 28, 28)).save(buffer, "JPEG")
    return SimpleUploadedFile("photo.jpg", buffer.getvalue(), content_type="image/jpeg")


def _first_community(district):
    street = (
        Place.objects.filter(path__startswith=district.path, kind=PlaceKind.STREET)
        .order_by("code")
        .first()
    )
    return (
        Place.objects.filter(path__startswith=street.path, kind=PlaceKind.COMMUNITY)
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
        _seed(district, community, users, random.Random(f"{seed}:volunteer"), log)


def _seed(district, community, users, rng, log):
    # the community worker (社区工作者) does the community's side of the demo
    staff, wangge, danwei, dangyuan = (
        users["shegong"],
        users["wangge"],
        users["danwei"],
        users["dangyuan"],
    )
    unit = Assignment.objects.get(user=danwei, role="unit_org").unit
    now = timezone.now()
    # dangyuan: an in-service member of danwei's unit
    member = PartyMember.objects.get(resident__user=dangyuan)
    member.status, member.unit = MemberStatus.IN_SERVICE, unit
    member.save(update_fields=["status", "unit"])

    # other in-service members living in the community get volunteer accounts
    others = list(
        PartyMember.objects.filter(
            resident__place__path__startswith=community.path,
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

    # 双报到
    for n, user in enumerate([dangyuan, *volunteers]):
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
        Place.objects.filter(path__startswith=community.path, kind=PlaceKind.COMPOUND)
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
    from jiceng.people.models import Unit

    for other_unit in (
        Unit.objects.filter(place__path__startswith=community.path[: Place.steplen * 2])
        .exclude(pk=unit.pk)
        .order_by("pk")[:2]
    ):
        services.register_unit(
            actor=staff,
            unit=other_unit,
            community=community,
            commitments="结对共建，提供志愿服务",
        )

    # teams
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

    # 主题党日 plans and activities
    today = timezone.localdate()
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
    joiners = [dangyuan, *volunteers[:9]]
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
    # one under way now (dangyuan may check in) and two to come
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

    # points mall
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

    # 微心愿 in wangge's grids
    grids = list(
        Assignment.objects.filter(user=wangge)
        .order_by("place__code")
        .values_list("place", flat=True)
    )
    grid_places = list(Place.objects.filter(pk__in=grids).order_by("code"))
    for n, (title, category, alias, story, stage) in enumerate(WISHES):
        wish = services.collect_wish(
            actor=wangge,
            place=grid_places[n % len(grid_places)],
            title=title,
            category=category,
            alias=alias,
            consent=True,
            story=story,
            estimated_cost=rng.choice([50, 120, 300]),
            shares=2 if n == 3 else 1,
        )
        if stage == "collected":
            continue
        services.review_wish(actor=staff, wish=wish, publish=True)
        if stage == "published":
            continue
        as_unit = n == 2
        claim = services.claim_wish(
            actor=danwei if as_unit else dangyuan, wish=wish, as_unit=as_unit
        )
        if stage == "claimed":
            continue
        services.fulfil_claim(
            actor=dangyuan, claim=claim, note="已送到心愿人家中", photo=_image()
        )
        if stage == "done":
            wish.refresh_from_db()
            services.confirm_wish(
                wish=wish, token=wish.confirm_token, feedback="非常感谢党员同志"
            )
    services.collect_wish(
        actor=wangge,
        place=grid_places[0],
        title="需要一台轮椅",
        category="health",
        alias="孙大爷",
        consent=False,
    )
    other_grid = Assignment.objects.filter(user=users["wangge2"]).first()
    if other_grid is not None and other_grid.place_id:
        services.collect_wish(
            actor=users["wangge2"],
            place=other_grid.place,
            title="希望有人帮忙买菜",
            category="living",
            alias="周奶奶",
            consent=True,
        )

    # 三张清单
    grids_all = list(
        Place.objects.filter(path__startswith=community.path, kind=PlaceKind.GRID)
    )
    needs = [
        services.add_need(
            actor=staff,
            community=community,
            title=title,
            skills=skill,
            time_slots=slots,
            place=rng.choice(grids_all) if grids_all else None,
        )
        for title, skill, slots in NEEDS
    ]
    services.add_resource(
        actor=danwei,
        community=community,
        kind="venue",
        title="单位会议室（每周开放）",
        skills="政策宣讲、场地",
        capacity=2,
        as_unit=True,
    )
    services.add_resource(
        actor=danwei,
        community=community,
        kind="skill",
        title="单位电工班组",
        skills="电工、家电维修",
        time_slots="weekend",
        capacity=2,
        as_unit=True,
    )
    for user, title, skills in [
        (dangyuan, "周末义务理发", "理发"),
        (volunteers[0] if volunteers else dangyuan, "作业辅导", "辅导作业"),
        (volunteers[1] if len(volunteers) > 1 else dangyuan, "法律咨询", "法律咨询"),
    ]:
        services.add_resource(
            actor=user,
            community=community,
            kind="skill",
            title=title,
            skills=skills,
            capacity=2,
        )
    services.propose_matches(actor=staff, community=community)
    first = Match.objects.filter(need__community=community).order_by("pk").first()
    if first is not None:
        services.decide_match(actor=staff, match=first, accept=True)
    year = today.year
    lighting = services.create_project(
        actor=staff,
        community=community,
        title="老旧小区楼道照明改造",
        needs=[needs[1]],
        practical=True,
        budget=30000,
        year=year,
        due_on=today + timedelta(days=60),
        description="为民办实事：更换楼道声控灯",
    )
    services.claim_project(actor=danwei, project=lighting, as_unit=True)
    lighting.refresh_from_db()
    services.report_progress(
        actor=danwei,
        project=lighting,
        progress=60,
        note="已完成3栋楼的更换",
        version=lighting.version,
    )
    barber = services.create_project(
        actor=staff,
        community=community,
        title="爱心理发进小区",
        needs=[needs[0]],
        practical=True,
        year=year,
    )
    services.claim_project(actor=dangyuan, project=barber)
    barber.refresh_from_db()
    services.report_progress(
        actor=dangyuan,
        project=barber,
        progress=100,
        note="全年完成12次上门理发",
        version=barber.version,
    )
    barber.refresh_from_db()
    services.evaluate_project(actor=staff, project=barber, score=95, comment="群众满意")
    services.create_project(
        actor=staff,
        community=community,
        title="四点半课堂",
        needs=[needs[2]],
        practical=True,
        year=year,
        budget=5000,
    )

    # 双报告 for the last quarter
    quarter = (today.month - 1) // 3 + 1
    last = (today.year, quarter - 1) if quarter > 1 else (today.year - 1, 4)
    services.send_quarterly_reports(
        actor=staff,
        registrations=MemberRegistration.objects.filter(community=community),
        year=last[0],
        quarter=last[1],
    )
    log(
        f"志愿服务：志愿者 {Volunteer.objects.filter(community=community).count()} 名，"
        f"活动 {Activity.objects.filter(community=community).count()} 场，"
        f"微心愿 {Wish.objects.filter(place__path__startswith=district.path).count()} 个，"
        f"项目 {Project.objects.filter(community=community).count()} 个"
    )


def purge_volunteering(district):
    """Delete the demo's volunteering rows (and the demo volunteers' accounts).

    The points ledger refuses deletes through the ORM; a whole account's ledger goes
    with one SQL DELETE here, as it does when an account is purged.
    """
    if district is None:
        return
    here = Q(community__path__startswith=district.path)
    volunteers = Volunteer.objects.filter(here | Q(user__username__startswith=PREFIX))
    ids = list(volunteers.values_list("pk", flat=True))
    Match.objects.filter(need__community__path__startswith=district.path).delete()
    Project.objects.filter(here).delete()
    Need.objects.filter(here).delete()
    Resource.objects.filter(here | Q(volunteer_id__in=ids)).delete()
    WishClaim.objects.filter(
        Q(wish__place__path__startswith=district.path) | Q(volunteer_id__in=ids)
    ).delete()
    Wish.objects.filter(place__path__startswith=district.path).delete()
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
        Q(volunteer_id__in=ids) | Q(activity__community__path__startswith=district.path)
    ).delete()
    ServiceHours.objects.filter(Q(volunteer_id__in=ids) | here).delete()
    Activity.objects.filter(here).delete()
    ThemePlan.objects.filter(here).delete()
    Team.objects.filter(here).delete()
    AnnualEvaluation.objects.filter(registration__volunteer_id__in=ids).delete()
    QuarterlyReport.objects.filter(registration__volunteer_id__in=ids).delete()
    MemberRegistration.objects.filter(Q(volunteer_id__in=ids) | here).delete()
    UnitServiceRecord.objects.filter(
        registration__community__path__startswith=district.path
    ).delete()
    UnitRegistration.objects.filter(here).delete()
    Volunteer.objects.filter(pk__in=ids).delete()
    get_user_model().objects.filter(username__startswith=PREFIX).delete()
