"""Demo workforce: community workers on every post and grade of 3岗18级 (one due a
step-up, one held back by 不称职, one by a sanction), pay standards and last
month's salary sheets, a recruitment round, training with attendance and
certificates (one expired), 导师帮带 pairs with notes, every grid's team, the
duty checklist, a week of patrols and home visits in the demo grid workers' grids
(with buildings and households left out: the gaps), and a past 平急结合 mode whose
hours wait for the street to end it.

Made through the services where they take history (past months' pay standards
are written as they stood), idempotent, purged by ``seed_demo --reset``."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from jiceng.core.models import Assignment
from jiceng.core.scope import path_prefix
from jiceng.people.models import Household
from jiceng.places.models import Place, PlaceKind
from jiceng.volunteer.models import Volunteer
from jiceng.workforce import services
from jiceng.workforce.models import (
    POST_GRADES,
    Assessment,
    AssessmentGrade,
    Certificate,
    Course,
    Mentorship,
    Mobilisation,
    PayTable,
    Post,
    RecruitmentRound,
    TeamMember,
    Visit,
    Worker,
)
from jiceng.workforce.services.track import metres

from .common import purge, stream

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧"
GIVEN = "建华秀英明丽伟芳军敏静强磊洋艳勇杰娟涛超霞刚平辉玲燕"


def _name(rng):
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(2))


def _phone(rng):
    return "13" + "".join(str(rng.randrange(10)) for _ in range(9))


def seed_workforce(district, *, seed, log=print):
    if district is None:
        return
    users = {
        u.username: u
        for u in get_user_model().objects.filter(
            username__in=["quadmin", "jiedao", "shegong", "wangge", "wangge2"]
        )
    }
    if len(users) < 5:
        return
    if Worker.objects.filter(path_prefix(district.path, "community__path")).exists():
        return
    with transaction.atomic():
        _seed(district, users, stream(seed, "workforce"), log)


def _seed(district, u, rng, log):
    admin, today = u["quadmin"], timezone.localdate()
    communities = list(
        Place.objects.filter(
            path_prefix(district.path), kind=PlaceKind.COMMUNITY
        ).order_by("path")
    )
    grids = list(
        Place.objects.filter(path_prefix(district.path), kind=PlaceKind.GRID).order_by(
            "path"
        )
    )
    grid_users = {}
    for name in ("wangge", "wangge2"):
        for a in Assignment.objects.filter(user=u[name]).select_related("place"):
            grid_users.setdefault(a.place_id, u[name])

    # Pay standards: last year's and this year's (written as they stood then).
    for year, base, step, qualification in (
        (today.year - 1, 3200, 150, 300),
        (today.year, 3400, 160, 400),
    ):
        PayTable.objects.create(
            district=district,
            effective_from=date(year, 1, 1),
            base=Decimal(base),
            qualification=Decimal(qualification),
            grade_allowances={str(g): str(step * g) for g in range(1, 19)},
            note=f"{year}年度社区工作者薪酬标准",
        )

    # Workers: every post on every grade of its range, over the communities; the
    # staff on grades 1–12 are the grid workers, one or two per grid.
    workers = []
    staff_grids = iter(grids + grids)
    for post in (Post.HEAD, Post.DEPUTY, Post.STAFF):
        low, high = POST_GRADES[post]
        for i, grade in enumerate(range(low, high + 1)):
            grid = next(staff_grids) if post == Post.STAFF else None
            community = (
                grid.ancestor_of_kind(PlaceKind.COMMUNITY)
                if grid
                else communities[i % len(communities)]
            )
            since = today.replace(month=1, day=1) - timedelta(
                days=rng.randrange(60, 900)
            )
            user = grid_users.pop(grid.pk, None) if grid else None
            if user is not None:
                grid_users = {k: v for k, v in grid_users.items() if v != user}
            worker = services.hire_worker(
                actor=admin,
                community=community,
                name=_name(rng),
                post=post,
                grade=grade,
                hired_on=since - timedelta(days=365 * rng.randrange(0, 6)),
                kind="grid" if grid else "community",
                phone=_phone(rng),
                grids=[grid] if grid else [],
                user=user,
            )
            Worker.objects.filter(pk=worker.pk).update(grade_since=since)
            worker.grade_since = since
            workers.append(worker)
    # One due a step-up this year, one held back by 不称职, one by a sanction.
    due, failed, sanctioned = workers[3], workers[15], workers[9]
    three_years = date(today.year - 3, 3, 1)
    for w in (due, failed, sanctioned):
        Worker.objects.filter(pk=w.pk).update(grade_since=three_years)
        w.grade_since = three_years
    services.record_discipline(
        actor=admin,
        worker=sanctioned,
        on=today - timedelta(days=60),
        until=date(today.year + 1, 3, 31),
        note="警告处分（工作失职）",
    )

    # Certificates: about four in ten hold one; one has expired.
    for i, w in enumerate(workers):
        if rng.random() < 0.4 or i == 5:
            issued = today - timedelta(days=rng.randrange(200, 2000))
            services.add_certificate(
                actor=admin,
                worker=w,
                kind=rng.choice(["junior", "junior", "middle"]),
                number=f"SW{issued.year}{rng.randrange(10**6):06d}",
                issued_on=issued,
                expires_on=(today - timedelta(days=30)) if i == 5 else None,
            )

    # Last year's assessment, from the indicators and a manager's score.
    for w in workers:
        score = 15 if w is failed else rng.randrange(72, 99)
        row = services.assess(
            actor=admin, worker=w, year=today.year - 1, manager_score=score
        )
        if w is failed and row.grade not in (AssessmentGrade.INCOMPETENT,):
            Assessment.objects.filter(pk=row.pk).update(
                grade=AssessmentGrade.INCOMPETENT
            )

    # Last month's salary sheets.
    last_month = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    for community in communities:
        services.make_salary_sheet(actor=admin, community=community, month=last_month)

    # A recruitment round in street 1: six sat, three hired.
    street = communities[0].ancestor_of_kind(PlaceKind.STREET)
    round_ = services.open_round(
        actor=admin,
        street=street,
        title=f"{today.year}年{street.name}社区工作者公开招聘",
        positions=3,
        held_on=today - timedelta(days=40),
    )
    for _ in range(6):
        candidate = services.add_candidate(
            actor=admin,
            round=round_,
            name=_name(rng),
            community=communities[0],
            phone=_phone(rng),
        )
        services.score_candidate(
            actor=admin,
            candidate=candidate,
            written=rng.randrange(60, 96),
            interview=rng.randrange(65, 95),
        )
    hired = services.hire(actor=admin, round=round_, on=today - timedelta(days=20))

    # Training: a 社工夜校 session and a department's course, with attendance.
    night = services.create_course(
        actor=admin,
        place=district,
        kind="night_school",
        title="社工夜校：矛盾纠纷排查化解实务",
        organiser="区委社会工作部",
        held_on=today - timedelta(days=14),
    )
    services.mark_attendance(
        actor=admin,
        course=night,
        roll_ids=[w.pk for w in workers],
        present_ids=[w.pk for w in workers if rng.random() < 0.85],
    )
    course = services.create_course(
        actor=admin,
        place=district,
        kind="department",
        title="网格员消防安全隐患排查培训",
        organiser="区消防救援大队",
        held_on=today - timedelta(days=30),
        hours=3,
    )
    grid_workers = [w for w in workers if w.kind == "grid"]
    services.mark_attendance(
        actor=admin,
        course=course,
        roll_ids=[w.pk for w in grid_workers],
        present_ids=[w.pk for w in grid_workers],
    )

    # 导师帮带: the new hires paired with experienced grid workers.
    seniors = sorted(grid_workers, key=lambda w: -w.grade)
    for new, mentor in zip(hired[:2], seniors, strict=False):
        pair = services.pair_mentor(
            actor=admin,
            mentor=mentor,
            mentee=new,
            starts_on=today - timedelta(days=20),
            ends_on=today + timedelta(days=345),
        )
        services.write_note(
            actor=admin,
            mentorship=pair,
            month=today,
            text="带领入户走访20户，讲解台账登记和事件上报流程。",
        )

    _teams(admin, grids, grid_workers, rng)
    _week(u, grids, rng, today)
    _mobilisation(admin, street, rng)
    log(
        f"社工与网格：人员 {len(workers)} 名，网格力量 "
        f"{TeamMember.objects.filter(path_prefix(district.path, 'grid__path')).count()} 人，"
        f"走访 {Visit.objects.filter(path_prefix(district.path, 'grid__path')).count()} 次"
    )


TEAM = [
    ("grid_lead", "party"),
    ("police", "police"),
    ("property", "property"),
    ("member_household", "party"),
    ("volunteer", "volunteer"),
    ("mediator", ""),
]


def _teams(admin, grids, grid_workers, rng):
    by_grid = {}
    for w in grid_workers:
        for g in w.grids.all():
            by_grid.setdefault(g.pk, []).append(w)
    for grid in grids:
        for w in by_grid.get(grid.pk, []):
            services.add_team_member(
                actor=admin,
                grid=grid,
                role="grid_worker",
                name=w.name,
                phone=w.phone,
                force="",
                worker=w,
            )
        for role, force in TEAM:
            services.add_team_member(
                actor=admin,
                grid=grid,
                role=role,
                name=_name(rng),
                phone=_phone(rng),
                force=force,
            )
        for building in Place.objects.filter(
            path_prefix(grid.path), kind=PlaceKind.BUILDING
        ).order_by("path"):
            services.add_team_member(
                actor=admin,
                grid=grid,
                role="building_lead",
                name=_name(rng),
                phone=_phone(rng),
                force="party",
                building=building,
            )


def _track(buildings, rng):
    """A walk past most of the buildings (a few left out), a point every ~10 s."""
    stops = [b for b in buildings if rng.random() < 0.75] or buildings[:1]
    line = []
    for a, b in zip(stops, stops[1:] + stops[:1], strict=False):
        start, end = [a.lng, a.lat], [b.lng, b.lat]
        steps = max(int(metres(start, end) / 12), 1)
        for i in range(steps):
            line.append(
                [
                    start[0] + (end[0] - start[0]) * i / steps,
                    start[1] + (end[1] - start[1]) * i / steps,
                ]
            )
    return line


def _week(u, grids, rng, today):
    tz = timezone.get_current_timezone()
    for username in ("wangge", "wangge2"):
        worker_user = u[username]
        mine = [
            a.place
            for a in Assignment.objects.filter(user=worker_user).select_related("place")
            if a.place.kind == PlaceKind.GRID
        ]
        for grid in mine:
            buildings = list(
                Place.objects.filter(
                    path_prefix(grid.path), kind=PlaceKind.BUILDING, lat__isnull=False
                ).order_by("path")
            )
            households = list(
                Household.objects.filter(
                    path_prefix(grid.path, "place__path")
                ).order_by("number")
            )
            for back in range(7, 0, -1):
                day = today - timedelta(days=back)
                if day.weekday() == 6:
                    continue  # Sunday off: a gap in the week
                start = datetime.combine(day, time(9, rng.randrange(0, 30)), tz)
                line = _track(buildings, rng) if buildings else []
                services.submit_patrol(
                    actor=worker_user,
                    grid=grid,
                    coordinates=line,
                    started_at=start,
                    ended_at=start + timedelta(seconds=10 * max(len(line), 1)),
                    findings=[
                        {
                            "description": rng.choice(
                                [
                                    "楼道堆放杂物",
                                    "路灯不亮",
                                    "垃圾未及时清运",
                                    "井盖松动",
                                ]
                            ),
                            "lat": line[0][1] if line else None,
                            "lng": line[0][0] if line else None,
                        }
                    ]
                    if back % 3 == 0
                    else [],
                )
                # About half the households get a visit in the week; the rest
                # are the coverage page's gap.
                for household in rng.sample(households, k=min(4, len(households))):
                    services.record_visit(
                        actor=worker_user,
                        household=household,
                        kind=rng.choice(["信息员", "宣传员", "调解员", "服务员"]),
                        notes=rng.choice(
                            [
                                "家中老人身体健康，信息无变化",
                                "宣传反诈知识",
                                "了解邻里纠纷情况",
                                "帮助预约上门服务",
                            ]
                        ),
                        confirmed=True,
                        at=datetime.combine(day, time(14, rng.randrange(0, 59)), tz),
                    )
        if mine:
            period = today.replace(day=1)
            for duty in ("info", "visit", "patrol", "policy", "safety"):
                services.check_duty(
                    actor=worker_user, grid=mine[0], period=period, duty=duty, note=""
                )


def _mobilisation(admin, street, rng):
    """A past 防汛 mode: two posts, two shifts each, volunteers checked in and
    out; its period is over and the street has yet to end it."""
    volunteers = list(
        Volunteer.objects.filter(path_prefix(street.path, "community__path"))
        .select_related("user")
        .order_by("pk")[:6]
    )
    if len(volunteers) < 2:
        return
    start = timezone.now() - timedelta(days=20)
    mode = services.declare(
        actor=admin,
        area=street,
        kind="flood",
        title=f"{street.name}汛期应急响应",
        starts_at=start,
        ends_at=start + timedelta(days=2),
    )
    posts = [
        services.add_post(
            actor=admin,
            mobilisation=mode,
            kind="checkpoint",
            name="滨河路卡口",
            place=street,
        ),
        services.add_post(
            actor=admin,
            mobilisation=mode,
            kind="supply",
            name="社区物资保障点",
            place=street,
        ),
    ]
    for p, post in enumerate(posts):
        for s in range(2):
            shift_start = start + timedelta(hours=8 + 4 * s)
            shift = services.add_shift(
                actor=admin,
                post=post,
                starts_at=shift_start,
                ends_at=shift_start + timedelta(hours=4),
                needed=2,
            )
            for volunteer in volunteers[(p * 2 + s) % len(volunteers) :][:1]:
                d = services.assign(
                    actor=admin,
                    shift=shift,
                    volunteer=volunteer,
                    kind=rng.choice(["member", "volunteer", "cadre"]),
                )
                services.check_in(actor=volunteer.user, deployment=d, now=shift_start)
                services.check_out(
                    actor=volunteer.user,
                    deployment=d,
                    now=shift_start + timedelta(hours=4),
                )
    # Left for the street to end (结束应急状态 credits the hours): ending it here
    # would add points entries the documented demo's fingerprint does not have.


def purge_workforce(district):
    """Remove what seed_workforce made (the apps below keep their rows)."""
    from jiceng.workforce.models import (
        CareerEvent,
        Deployment,
        DutyCheck,
        DutyPost,
        Finding,
        Patrol,
        PatrolBuilding,
        SalarySheet,
        Shift,
        VisitNeed,
    )

    in_grids = path_prefix(district.path, "grid__path")
    modes = Mobilisation.objects.filter(path_prefix(district.path, "area__path"))
    purge(Deployment.objects.filter(shift__post__mobilisation__in=modes))
    purge(Shift.objects.filter(post__mobilisation__in=modes))
    purge(DutyPost.objects.filter(mobilisation__in=modes))
    purge(modes)
    purge(VisitNeed.objects.filter(visit__grid__path__startswith=district.path))
    purge(Visit.objects.filter(in_grids))
    purge(Finding.objects.filter(patrol__grid__path__startswith=district.path))
    purge(PatrolBuilding.objects.filter(in_grids))
    purge(Patrol.objects.filter(in_grids))
    purge(DutyCheck.objects.filter(in_grids))
    purge(TeamMember.objects.filter(in_grids))
    workers = Worker.objects.filter(path_prefix(district.path, "community__path"))
    purge(Mentorship.objects.filter(mentee__in=workers))
    purge(Course.objects.filter(path_prefix(district.path, "place__path")))
    purge(SalarySheet.objects.filter(path_prefix(district.path, "community__path")))
    purge(PayTable.objects.filter(district=district))
    purge(Assessment.objects.filter(worker__in=workers))
    purge(Certificate.objects.filter(worker__in=workers))
    purge(CareerEvent.objects.filter(worker__in=workers))
    purge(RecruitmentRound.objects.filter(path_prefix(district.path, "street__path")))
    purge(workers)
