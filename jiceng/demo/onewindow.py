"""Demo one-window services: the catalogue (~30 items with their materials), the
准入清单 with last year's cut (31 → 4, −87.1%), the 街道权责清单, the 证明事项
communities no longer issue, service points of every kind (骑士之家 included), a week
of appointment slots, applications in every state and 上门服务 requests.

Made through the services, idempotent (nothing is added once the district has a
catalogue) and purged by ``seed_demo --reset``. Times are relative to now, as the
case and volunteering demos are.
"""

from datetime import time, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from jiceng.core.models import Department
from jiceng.core.scope import path_prefix
from jiceng.onewindow import services
from jiceng.onewindow.models import (
    Application,
    Appointment,
    Category,
    Channel,
    CommunityMatter,
    HomeVisit,
    Level,
    PointKind,
    PowerKind,
    ProofMatter,
    ServiceItem,
    ServicePoint,
    Slot,
    StreetPower,
    TaskRequest,
)
from jiceng.people.models import Resident
from jiceng.places.models import Place, PlaceKind

from .common import purge, stream

C = Category
ID = ("居民身份证", "original", 1, True, "")
HUKOU = ("户口簿", "original", 1, True, "")
PHOTO = ("近期一寸免冠照片", "original", 2, False, "白底")
# code, name, category, handle level, department code, days, fee, home, materials
ITEMS = [
    (
        "YC001",
        "居住证明",
        C.HOUSEHOLD,
        Level.COMMUNITY,
        "",
        1,
        0,
        False,
        [ID, ("房产证或租房合同", "copy", 1, True, "")],
    ),
    (
        "YC002",
        "最低生活保障申请",
        C.CIVIL,
        Level.STREET,
        "",
        20,
        0,
        True,
        [
            ID,
            HUKOU,
            ("家庭收入情况说明", "original", 1, True, "由申请人书面承诺"),
            ("银行卡", "copy", 1, True, "申请人本人一类卡"),
        ],
    ),
    (
        "YC003",
        "高龄津贴申领",
        C.ELDERLY,
        Level.STREET,
        "",
        10,
        0,
        True,
        [ID, HUKOU, ("银行卡", "copy", 1, True, "")],
    ),
    (
        "YC004",
        "残疾人证办理",
        C.DISABLED,
        Level.DEPARTMENT,
        "MZJ",
        15,
        0,
        True,
        [ID, HUKOU, PHOTO, ("医院诊断证明", "original", 1, True, "二级以上医院")],
    ),
    (
        "YC005",
        "计划生育服务登记",
        C.HEALTH,
        Level.COMMUNITY,
        "",
        1,
        0,
        False,
        [ID, ("结婚证", "original", 1, True, "")],
    ),
    (
        "YC006",
        "就业登记",
        C.EMPLOYMENT,
        Level.STREET,
        "",
        5,
        0,
        False,
        [ID, ("劳动合同", "copy", 1, True, "")],
    ),
    ("YC007", "老年人优待证", C.ELDERLY, Level.STREET, "", 5, 0, True, [ID, PHOTO]),
    (
        "YC008",
        "失业登记",
        C.EMPLOYMENT,
        Level.STREET,
        "",
        5,
        0,
        False,
        [ID, ("解除劳动合同证明", "copy", 1, True, "")],
    ),
    (
        "YC009",
        "城乡居民养老保险参保登记",
        C.EMPLOYMENT,
        Level.STREET,
        "",
        5,
        0,
        False,
        [ID, HUKOU],
    ),
    (
        "YC010",
        "城乡居民医疗保险参保",
        C.HEALTH,
        Level.STREET,
        "",
        5,
        0,
        False,
        [ID, HUKOU],
    ),
    (
        "YC011",
        "临时救助申请",
        C.CIVIL,
        Level.STREET,
        "",
        10,
        0,
        True,
        [ID, ("困难情况说明", "original", 1, True, "")],
    ),
    (
        "YC012",
        "特困人员供养申请",
        C.CIVIL,
        Level.DEPARTMENT,
        "MZJ",
        20,
        0,
        True,
        [ID, HUKOU, ("财产状况承诺书", "original", 1, True, "")],
    ),
    (
        "YC013",
        "居家养老服务补贴",
        C.ELDERLY,
        Level.STREET,
        "",
        10,
        0,
        True,
        [ID, ("老年人能力评估表", "original", 1, True, "")],
    ),
    (
        "YC014",
        "残疾人两项补贴",
        C.DISABLED,
        Level.STREET,
        "",
        15,
        0,
        True,
        [ID, ("残疾人证", "original", 1, True, "")],
    ),
    (
        "YC015",
        "独生子女父母光荣证",
        C.HEALTH,
        Level.STREET,
        "",
        10,
        0,
        False,
        [ID, HUKOU, ("子女出生医学证明", "copy", 1, True, "")],
    ),
    (
        "YC016",
        "生育登记",
        C.HEALTH,
        Level.COMMUNITY,
        "",
        1,
        0,
        False,
        [ID, ("结婚证", "original", 1, True, "")],
    ),
    (
        "YC017",
        "流动人口居住登记",
        C.HOUSEHOLD,
        Level.COMMUNITY,
        "",
        1,
        0,
        False,
        [ID, ("租房合同", "copy", 1, True, "")],
    ),
    (
        "YC018",
        "居住证申领",
        C.HOUSEHOLD,
        Level.DEPARTMENT,
        "GAFJ",
        15,
        0,
        False,
        [ID, PHOTO, ("居住登记凭证", "original", 1, True, "")],
    ),
    (
        "YC019",
        "退役军人优待证",
        C.OTHER,
        Level.STREET,
        "",
        10,
        0,
        False,
        [ID, ("退役证", "original", 1, True, "")],
    ),
    (
        "YC020",
        "门头招牌设置备案",
        C.CITY,
        Level.DEPARTMENT,
        "CGJ",
        5,
        0,
        False,
        [
            ID,
            ("营业执照", "copy", 1, True, ""),
            ("招牌效果图", "original", 1, True, ""),
        ],
    ),
    (
        "YC021",
        "临时占道审批",
        C.CITY,
        Level.DEPARTMENT,
        "CGJ",
        5,
        0,
        False,
        [ID, ("占道位置示意图", "original", 1, True, "")],
    ),
    (
        "YC022",
        "建筑垃圾清运登记",
        C.CITY,
        Level.DEPARTMENT,
        "CGJ",
        3,
        Decimal("50"),
        False,
        [ID, ("装修登记表", "original", 1, True, "")],
    ),
    ("YC023", "助餐服务登记", C.ELDERLY, Level.COMMUNITY, "", 1, 0, True, [ID]),
    (
        "YC024",
        "适老化改造申请",
        C.ELDERLY,
        Level.STREET,
        "",
        15,
        0,
        True,
        [ID, ("房屋产权证明", "copy", 1, True, "")],
    ),
    (
        "YC025",
        "困境儿童认定",
        C.CIVIL,
        Level.DEPARTMENT,
        "MZJ",
        20,
        0,
        True,
        [ID, HUKOU, ("情况说明", "original", 1, True, "")],
    ),
    (
        "YC026",
        "法律援助申请",
        C.OTHER,
        Level.STREET,
        "",
        7,
        0,
        False,
        [ID, ("案件材料", "copy", 1, True, "")],
    ),
    (
        "YC027",
        "老年人意外伤害保险",
        C.ELDERLY,
        Level.COMMUNITY,
        "",
        1,
        Decimal("20"),
        False,
        [ID],
    ),
    (
        "YC028",
        "医疗救助申请",
        C.CIVIL,
        Level.STREET,
        "",
        15,
        0,
        True,
        [ID, ("医疗费用票据", "copy", 1, True, "")],
    ),
    ("YC029", "亲属关系证明", C.PROOF, Level.COMMUNITY, "", 1, 0, False, [ID]),
    ("YC030", "健在证明", C.PROOF, Level.COMMUNITY, "", 1, 0, False, [ID]),
]
PROOFS = [
    (
        "亲属关系证明",
        "无法律法规依据，已取消社区出具",
        "凭户口簿、出生医学证明等证件办理，或由申请人书面承诺",
    ),
    (
        "健在证明",
        "已取消，社保待遇资格改为部门数据比对和手机刷脸认证",
        "通过手机社保App进行生存认证",
    ),
    ("无犯罪记录证明", "不属于社区职责", "到派出所或公安分局窗口申请"),
    ("收入证明", "社区无法核实，已取消", "由工作单位出具或申请人书面承诺"),
    ("婚姻状况证明", "不属于社区职责", "由民政部门婚姻登记处查询出具"),
    (
        "出生证明（社区出具）",
        "已取消，凭出生医学证明办理",
        "医疗机构出具的出生医学证明",
    ),
]
PROOF_OF_ITEM = {"YC029": "亲属关系证明", "YC030": "健在证明"}
MATTERS_KEPT = [
    ("社区党组织建设", "duty", ""),
    ("居民自治和议事协商", "duty", ""),
    ("社区救助政策宣传与初审", "assist", "MZJ"),
    ("社区安全隐患排查报告", "assist", "YJJ"),
]
MATTERS_CUT = [
    "统计报表填报",
    "创建达标评比",
    "门前三包检查",
    "出租房屋税费代收",
    "人口抽样调查",
    "企业安全生产检查",
    "食品安全检查",
    "违法建设拆除",
    "占道经营执法",
    "环境监测",
    "病媒生物防制考核",
    "消防设施检查",
    "特种设备排查",
    "价格监督检查",
    "河道巡查",
    "防汛物资管理",
    "网约车清理",
    "公交站亭维护",
    "犬只登记",
    "广告牌清理",
    "企业信用信息归集",
    "各类证明开具",
    "经济普查数据录入",
    "招商引资任务",
    "征兵体检组织",
    "学生资助审核",
    "工会会员发展",
]
POWERS = [
    ("街道综合执法（市容秩序）", PowerKind.DELEGATED, "CGJ"),
    ("违法建设巡查报告", PowerKind.TERRITORIAL, "CGJ"),
    ("最低生活保障审核", PowerKind.STATUTORY, "MZJ"),
    ("特困人员初审", PowerKind.STATUTORY, "MZJ"),
    ("基层群众自治指导", PowerKind.STATUTORY, "MZJ"),
    ("安全生产属地监管", PowerKind.TERRITORIAL, "YJJ"),
    ("防汛抗旱属地责任", PowerKind.TERRITORIAL, "SWJ"),
    ("人口与计划生育服务", PowerKind.STATUTORY, "WJJ"),
    ("老旧小区改造组织协调", PowerKind.TERRITORIAL, "ZJJ"),
    ("燃气安全检查", PowerKind.DELEGATED, "ZJJ"),
    ("食品小作坊登记", PowerKind.DELEGATED, "SJJ"),
    ("矛盾纠纷排查化解", PowerKind.TERRITORIAL, "GAFJ"),
]
OFFSETS = [
    (0.0, 0.0),
    (0.004, 0.006),
    (-0.005, 0.003),
    (0.003, -0.007),
    (-0.004, -0.005),
]


def _users():
    return {
        u.username: u
        for u in get_user_model().objects.filter(
            username__in=[
                "quadmin",
                "jiedao",
                "shuji",
                "shegong",
                "wangge",
                "bumen",
                "dangyuan",
            ]
        )
    }


def seed_onewindow(district, *, seed, log=print):
    if district is None:
        return
    users = _users()
    if len(users) < 7:
        return
    if ServiceItem.objects.filter(district=district).exists():
        return
    with transaction.atomic():
        _seed(district, users, stream(seed, "onewindow"), log)


def _seed(district, users, rng, log):
    admin = users["quadmin"]
    departments = {d.code: d for d in Department.objects.all()}
    proofs = {
        title: services.add_proof(
            actor=admin, district=district, title=title, reason=reason, alternative=alt
        )
        for title, reason, alt in PROOFS
    }
    items = {}
    for code, name, category, level, dept, days, fee, home, materials in ITEMS:
        items[code] = services.create_item(
            actor=admin,
            district=district,
            code=code,
            name=name,
            category=category,
            conditions=f"本区户籍或持有效居住证的居民，符合{name}相关政策规定",
            legal_basis="依据国家和省、市有关规定",
            accept_level=Level.COMMUNITY,
            handle_level=level,
            department=departments.get(dept),
            time_limit_days=days,
            fee=Decimal(fee),
            channel_window=True,
            channel_online=category != C.PROOF,
            channel_home=home,
            channel_proxy=True,
            refused_proof=proofs.get(PROOF_OF_ITEM.get(code, "")),
            materials=[
                {
                    "name": n,
                    "form": form,
                    "copies": copies,
                    "electronic_ok": electronic,
                    "note": note,
                }
                for n, form, copies, electronic, note in materials
            ],
        )
    today = timezone.localdate()
    listed = today - timedelta(days=800)
    cut_on = today - timedelta(days=200)
    for title, kind, dept in MATTERS_KEPT:
        services.add_matter(
            actor=admin,
            district=district,
            title=title,
            kind=kind,
            department=departments.get(dept),
            basis="《城乡社区治理条例》",
            listed_on=listed,
        )
    for title in MATTERS_CUT:
        matter = services.add_matter(
            actor=admin, district=district, title=title, kind="assist", listed_on=listed
        )
        services.remove_matter(
            actor=admin, matter=matter, reason="减负清理：不属于社区职责", on=cut_on
        )
    for title, kind, dept in POWERS:
        services.add_power(
            actor=admin,
            district=district,
            title=title,
            kind=kind,
            department=departments.get(dept),
            basis="街道权责清单",
        )
    _requests(district, users, departments)
    streets = list(
        Place.objects.filter(
            path_prefix(district.path), kind=PlaceKind.STREET
        ).order_by("path")
    )
    points = _points(district, streets, items, admin)
    _slots(points, items, users)
    _applications(district, items, users, rng)
    _visits(users)
    log(
        f"一窗受理：事项 {len(items)} 项，服务阵地 {len(points)} 处，"
        f"办件 {Application.objects.filter(item__district=district).count()} 件"
    )


def _requests(district, users, departments):
    bumen, admin = users["bumen"], users["quadmin"]
    pending = services.file_request(
        actor=bumen,
        department=departments["CGJ"],
        district=district,
        title="社区协助开展门前三包日常检查",
        description="每周检查沿街商户门前三包落实情况并拍照上报",
        basis="市容管理规定",
    )
    refused = services.file_request(
        actor=bumen,
        department=departments["CGJ"],
        district=district,
        title="社区代收占道费",
        basis="无",
    )
    services.decide_request(
        actor=admin,
        request=refused,
        approve=False,
        note="收费属行政执法事项，不在社区事务准入清单内",
    )
    return pending


def _points(district, streets, items, admin):
    made = []
    for s, street in enumerate(streets):
        communities = list(
            Place.objects.filter(
                path_prefix(street.path), kind=PlaceKind.COMMUNITY
            ).order_by("path")
        )
        base_lat = street.lat or (communities[0].lat if communities else None) or 34.36
        base_lng = street.lng or (communities[0].lng if communities else None) or 107.18
        for c, community in enumerate(communities):
            lat, lng = community.lat or base_lat, community.lng or base_lng
            made.append(
                services.create_point(
                    actor=admin,
                    place=community,
                    name=f"{community.name}党群服务中心",
                    kind=PointKind.PARTY_CENTER,
                    lat=lat,
                    lng=lng,
                    address=f"{community.name}居委会一楼",
                    hours="周一至周五 08:30-17:30，周六 09:00-12:00",
                    water=True,
                    rest=True,
                    toilet=True,
                    charging=True,
                    contact_name="值班社工",
                    contact_phone=f"0917-8{s}{c}0{c}{s}23",
                    items=[items["YC001"], items["YC003"], items["YC007"]],
                )
            )
        extras = [
            (
                PointKind.RIDER_HOME,
                "骑士之家",
                "07:00-22:00",
                dict(water=True, charging=True, rest=True, toilet=True, microwave=True),
            ),
            (
                PointKind.RED_CUBE,
                "红立方",
                "09:00-21:00",
                dict(water=True, rest=True, toilet=True),
            ),
            (
                PointKind.STATION,
                "党群驿站",
                "08:00-20:00",
                dict(water=True, charging=True, rest=True),
            ),
            (
                PointKind.WARM_STATION,
                "暖心驿站",
                "全天",
                dict(water=True, charging=True, rest=True, microwave=True),
            ),
        ]
        for k, (kind, label, hours, amenities) in enumerate(extras, start=1):
            dlat, dlng = OFFSETS[k]
            made.append(
                services.create_point(
                    actor=admin,
                    place=street,
                    name=f"{street.name}{label}",
                    kind=kind,
                    lat=round(base_lat + dlat, 6),
                    lng=round(base_lng + dlng, 6),
                    address=f"{street.name}主街{k * 10 + 8}号",
                    hours=hours,
                    contact_phone=f"0917-86{s}{k}{k}{s}0",
                    **amenities,
                )
            )
    return made


def _slots(points, items, users):
    center = points[0]  # the first community's 党群服务中心
    today = timezone.localdate()
    for offset in range(1, 8):
        day = today + timedelta(days=offset)
        if day.weekday() == 6:
            continue
        for code in ("YC001", "YC003", "YC007"):
            services.open_slots(
                actor=users["shegong"],
                point=center,
                item=items[code],
                day=day,
                start=time(9, 0),
                end=time(11, 0),
                minutes=30,
                capacity=3,
            )
    first = (
        Slot.objects.filter(point=center, item=items["YC003"])
        .order_by("starts_at")
        .first()
    )
    services.book(actor=users["dangyuan"], slot=first)


def _residents(community, n, rng):
    rows = list(
        Resident.objects.filter(path_prefix(community.path, "place__path"))
        .exclude(user__isnull=False)
        .order_by("pk")[: n * 4]
    )
    rng.shuffle(rows)
    return rows[:n]


def _applications(district, items, users, rng):
    clerk, grid, resident_user = users["shegong"], users["wangge"], users["dangyuan"]
    community = users["shegong"].assignments.get().place
    residents = _residents(community, 14, rng)
    now = timezone.now()

    def window(code, r, days_ago, complete=True):
        item = items[code]
        application = services.submit(
            actor=clerk,
            item=item,
            channel=Channel.WINDOW,
            resident=r,
            community=community,
            provided=[m.pk for m in item.materials.all()] if complete else [],
            now=now - timedelta(days=days_ago),
        )
        return application

    def accept(application, days_ago):
        return services.accept(
            actor=clerk, application=application, now=now - timedelta(days=days_ago)
        )

    # waiting at the window (submitted on the phone by dangyuan)
    services.submit(actor=resident_user, item=items["YC003"], channel=Channel.ONLINE)
    window("YC006", residents[0], 0)  # submitted, materials ticked
    # incomplete: told once
    partial = window("YC002", residents[1], 2, complete=False)
    services.check_materials(
        actor=clerk, application=partial, provided=[partial.item.materials.first().pk]
    )
    services.issue_notice(
        actor=clerk, application=partial, note="收入说明可现场填写承诺书"
    )
    # 代办 by the grid worker for a resident of the grid
    grid_resident = next(
        (
            r
            for r in residents
            if r.place.path.startswith(
                grid.assignments.order_by("place__code").first().place.path
            )
        ),
        None,
    )
    if grid_resident is not None:
        services.submit(
            actor=grid,
            item=items["YC013"],
            channel=Channel.PROXY,
            resident=grid_resident,
        )
    # accepted (community handles), handed to the street, handed to departments
    accept(window("YC001", residents[2], 0), 0)
    accept(window("YC007", residents[3], 3), 3)
    accept(window("YC021", residents[4], 2), 2)  # 城市管理局: bumen handles
    accept(window("YC004", residents[5], 4), 4)  # 民政局
    accept(window("YC003", residents[6], 30), 30)  # overdue at the street
    # decided and collected, some with one visit, some with two
    done = accept(window("YC016", residents[7], 6), 6)
    services.decide(actor=clerk, application=done, approve=True, note="已登记")
    street_done = accept(window("YC007", residents[8], 9), 9)
    services.decide(actor=users["jiedao"], application=street_done, approve=True)
    services.collect(actor=clerk, application=street_done, method="window")
    services.rate(actor=clerk, application=street_done, score=5, comment="很方便")
    mailed = accept(window("YC014", residents[9], 12), 12)
    services.decide(actor=users["jiedao"], application=mailed, approve=True)
    services.collect(actor=clerk, application=mailed, method="mail")
    services.rate(actor=clerk, application=mailed, score=4)
    refused = accept(window("YC011", residents[10], 8), 8)
    services.decide(
        actor=users["jiedao"],
        application=refused,
        approve=False,
        note="家庭收入超过救助标准",
    )
    dept_done = accept(window("YC020", residents[11], 7), 7)
    services.decide(actor=users["bumen"], application=dept_done, approve=True)
    services.collect(actor=clerk, application=dept_done, method="electronic")
    # came back once with the missing material: two visits
    twice = window("YC005", residents[12], 5, complete=False)
    services.issue_notice(actor=clerk, application=twice)
    services.resupply(
        actor=clerk,
        application=twice,
        provided=[m.pk for m in twice.item.materials.all()],
        at_window=True,
    )
    services.decide(actor=clerk, application=accept(twice, 4), approve=True)
    # withdrawn
    gone = window("YC017", residents[13], 1, complete=False)
    services.withdraw(actor=clerk, application=gone)


def _visits(users):
    clerk = users["shegong"]
    community = clerk.assignments.get().place
    elderly = [
        r
        for r in Resident.objects.filter(
            path_prefix(community.path, "place__path"), birth_date__isnull=False
        ).order_by("birth_date")[:4]
        if services.visit_reason(r) is not None
    ]
    if len(elderly) < 2:
        return
    services.request_visit(
        actor=clerk, resident=elderly[0], need="办理高龄津贴，行动不便无法到窗口"
    )
    visit = services.request_visit(
        actor=clerk, resident=elderly[1], need="老年人优待证拍照采集"
    )
    services.schedule_visit(
        actor=clerk,
        visit=visit,
        when=timezone.now() + timedelta(days=2),
        staff=clerk,
    )


def purge_onewindow(district):
    """Remove what seed_onewindow made (the apps below keep their rows)."""
    items = ServiceItem.objects.filter(district=district)
    purge(Appointment.objects.filter(slot__item__in=items))
    purge(Slot.objects.filter(item__in=items))
    purge(HomeVisit.objects.filter(path_prefix(district.path, "place__path")))
    purge(Application.objects.filter(item__in=items))
    purge(ServicePoint.objects.filter(path_prefix(district.path, "place__path")))
    purge(items)
    purge(TaskRequest.objects.filter(district=district))
    purge(CommunityMatter.objects.filter(district=district))
    purge(StreetPower.objects.filter(district=district))
    purge(ProofMatter.objects.filter(district=district))
