"""Demo volunteering, the residents' side: 微心愿 collected in the grid workers' grids
and claimed, the 三张清单 (needs, resources, matches), 为民办实事 projects and the last
quarter's 双报告, all made through the volunteer services."""

import io
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from jiceng.core.models import Assignment
from jiceng.core.scope import path_prefix
from jiceng.places.models import Place, PlaceKind
from jiceng.volunteer import services
from jiceng.volunteer.models import Match, MemberRegistration

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


def seed_needs(rng, community, cast):
    """Wishes, the three lists, projects and reports of the demo community; cast
    names who plays which part (see volunteer.Cast)."""
    today = timezone.localdate()
    _wishes(rng, cast)
    needs = _lists(rng, community, cast)
    _projects(community, cast, needs, today)
    _reports(community, cast.staff, today)


def _wishes(rng, cast):
    """Wishes in wangge's grids at every stage, one without consent, one elsewhere."""
    staff, wangge, danwei, dangyuan = (
        cast.staff,
        cast.wangge,
        cast.danwei,
        cast.dangyuan,
    )
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
    other_grid = Assignment.objects.filter(user=cast.wangge2).first()
    if other_grid is not None and other_grid.place_id:
        services.collect_wish(
            actor=cast.wangge2,
            place=other_grid.place,
            title="希望有人帮忙买菜",
            category="living",
            alias="周奶奶",
            consent=True,
        )


def _lists(rng, community, cast):
    """Needs, resources (the unit's and volunteers') and the matches proposed."""
    staff, danwei, dangyuan = cast.staff, cast.danwei, cast.dangyuan
    volunteers = cast.volunteers
    grids_all = list(
        Place.objects.filter(path_prefix(community.path), kind=PlaceKind.GRID)
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
    return needs


def _projects(community, cast, needs, today):
    """Three practical projects: one claimed by the unit, one done, one open."""
    staff, danwei, dangyuan = cast.staff, cast.danwei, cast.dangyuan
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


def _reports(community, staff, today):
    """双报告 for the last quarter."""
    quarter = (today.month - 1) // 3 + 1
    last = (today.year, quarter - 1) if quarter > 1 else (today.year - 1, 4)
    services.send_quarterly_reports(
        actor=staff,
        registrations=MemberRegistration.objects.filter(community=community),
        year=last[0],
        quarter=last[1],
    )
