"""Demo 议事协商 for the demo's first community, made through the services.

A 大事 in its 公示 period (discussed at a quorate 居民议事会, voted by the households
of dangyuan's building, result published), a 小事 settled by the grid, an 急事
decided by the 两委, a 大事 whose vote is open now for dangyuan's household; bodies
and meetings; compound records; and a mediation ledger with disputes resolved at
the grid, the community and the street, one referred and one open, found in the
grid workers' 排查 rounds. Idempotent (nothing is added once the community has
topics) and purged by ``seed_demo --reset``.
"""

from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from jiceng.core.models import Assignment
from jiceng.core.scope import path_prefix
from jiceng.deliberation import services
from jiceng.deliberation.models import (
    Body,
    CompoundKind,
    CompoundProfile,
    Coverage,
    Dispute,
    HouseholdArea,
    Meeting,
    ScreeningRound,
    Side,
    Topic,
)
from jiceng.deliberation.rules import NO, YES, Rule
from jiceng.places.models import Place, PlaceKind

from .common import stream

COUNCIL = [
    ("陈建华", Side.RESIDENTS, "召集人"),
    ("刘桂兰", Side.RESIDENTS, ""),
    ("王志强", Side.PARTY, ""),
    ("赵丽", Side.COMMUNITY, ""),
    ("孙国庆", Side.UNITS, ""),
    ("周敏", Side.OWNERS, ""),
    ("吴海", Side.PROPERTY, ""),
]
DISPUTES = [
    # (kind, summary, levels up, outcome)
    ("neighbour", "楼上装修噪音影响楼下休息", 0, "agree"),
    ("neighbour", "楼道堆放杂物引发邻里争吵", 0, "agree"),
    ("property", "业主拖欠物业费与物业服务质量争议", 1, "agree"),
    ("family", "老人赡养费用分担纠纷", 1, "agree"),
    ("labour", "装修工人工资拖欠", 2, "agree"),
    ("land", "院落公共空间占用纠纷", 2, "refer"),
    ("neighbour", "宠物犬扰民", 0, "open"),
]
KINDS = [
    CompoundKind.FORMED,
    CompoundKind.SELF_MANAGED,
    CompoundKind.SCATTERED,
    CompoundKind.THREE_NO,
]


def seed_deliberation(district, *, seed, log=print):
    users = {
        u.username: u
        for u in get_user_model().objects.filter(
            username__in=["shuji", "shegong", "wangge", "dangyuan", "jiedao"]
        )
    }
    if len(users) < 5 or district is None:
        return
    community = Assignment.objects.get(user=users["shuji"]).place
    if Topic.objects.filter(community=community).exists():
        return
    with transaction.atomic():
        _seed(community, users, stream(seed, "deliberation"))
    log(f"议事协商：议题 {Topic.objects.filter(community=community).count()} 个")


def _seed(community, u, rng):
    now = timezone.now()
    # The community worker acts for the community (the audit log of the
    # secretary's account stays the demo test's own).
    shuji, wangge, dangyuan = u["shegong"], u["wangge"], u["dangyuan"]
    resident = dangyuan.resident
    building = resident.place.ancestor_of_kind(PlaceKind.BUILDING)
    compound = building.ancestor_of_kind(PlaceKind.COMPOUND)
    council = services.create_body(
        actor=shuji, community=community, kind="council", name="幸福社区居民议事会"
    )
    for name, side, position in COUNCIL:
        services.add_member(
            actor=shuji,
            body=council,
            name=name,
            side=side,
            position=position,
            term_start=date(2024, 1, 1),
            term_end=date(2026, 12, 31),
        )
    services.create_body(
        actor=shuji,
        community=community,
        compound=compound,
        kind="tripartite",
        name=f"{compound.name}三方联动",
    )
    meeting = services.call_meeting(
        actor=shuji,
        body=council,
        title="第一季度居民议事会",
        starts_at=now - timedelta(days=10),
        venue="党群服务中心二楼会议室",
        notice="审议加装电梯、停车管理等议题，请议事会成员准时参加。",
    )
    meeting = services.record_meeting(
        actor=shuji,
        meeting=meeting,
        present=[m.pk for m in council.members.order_by("pk")][:6],
        minutes="到会6人，审议加装电梯、楼道照明改造两项议题。",
        held_at=now - timedelta(days=10),
    )
    _compound_records(community, shuji, rng)

    # a 大事 in its 公示 period: voted by the building's households, result published
    publicised = services.raise_topic(
        actor=dangyuan,
        place=building,
        title=f"{building.name}加装电梯",
        description="楼内老人多，上下楼困难，希望加装电梯，费用按楼层分摊。",
    )
    services.grade_topic(
        actor=shuji, topic=publicised, grade="major", reason="涉及全楼住户和费用分摊"
    )
    services.discuss_topic(
        actor=shuji,
        meeting=meeting,
        topic=publicised,
        summary="各方同意提交全楼住户表决",
        positions=[
            (Side.COMMUNITY, "支持，协助申请加装电梯补贴"),
            (Side.RESIDENTS, "低层住户担心采光，建议公示设计方案"),
            (Side.PROPERTY, "负责后期维护保养"),
        ],
    )
    opened = now - timedelta(days=3)
    poll = services.open_poll(
        actor=shuji,
        topic=publicised,
        unit="household",
        rule=Rule.TWO_THIRDS,
        opens_at=opened,
        closes_at=now - timedelta(days=1),
        meeting=meeting,
    )
    electors = list(poll.electors.order_by("pk"))
    for index, elector in enumerate(electors[: len(electors) * 5 // 6]):
        choice = NO if index % 7 == 6 else YES
        services.enter_vote(
            actor=shuji,
            topic=publicised,
            elector=elector,
            choice=choice,
            now=opened + timedelta(hours=1),
        )
    services.close_poll(actor=shuji, topic=publicised, now=now - timedelta(days=1))

    # a 小事 settled by the grid
    minor = services.raise_topic(
        actor=wangge,
        place=compound,
        title=f"{compound.name}晾衣架位置调整",
        description="公共晾衣区挡住消防通道，住户希望挪位置。",
    )
    services.grade_topic(actor=shuji, topic=minor, grade="minor")
    services.settle_minor(
        actor=wangge,
        topic=minor,
        held_on=timezone.localdate() - timedelta(days=5),
        venue=f"{compound.name}院坝",
        participants="网格员、楼栋长、住户代表8人",
        outcome="晾衣架移至东侧空地，物业负责安装。",
    )

    # an 急事 decided by the 两委 within 24 hours, to be confirmed at the next meeting
    urgent = services.raise_topic(
        actor=wangge,
        place=building,
        title=f"{building.name}外墙瓷砖脱落",
        description="外墙瓷砖松动脱落，存在高空坠物风险。",
    )
    services.grade_topic(
        actor=shuji, topic=urgent, grade="urgent", now=now - timedelta(hours=6)
    )
    services.decide_urgent(
        actor=shuji,
        topic=urgent,
        attendees="社区党委书记、居委会主任、副主任",
        decision="立即拉设警戒线，使用维修资金应急排危，下次议事会追认。",
        now=now - timedelta(hours=4),
    )

    # a 大事 whose vote is open now for dangyuan's household
    open_topic = services.raise_topic(
        actor=shuji,
        place=building,
        title=f"{building.name}楼道照明改造",
        description="更换为声控节能灯，费用由公共收益列支。",
    )
    services.grade_topic(actor=shuji, topic=open_topic, grade="major")
    services.discuss_topic(
        actor=shuji, meeting=meeting, topic=open_topic, summary="同意提交住户表决"
    )
    services.open_poll(
        actor=shuji,
        topic=open_topic,
        unit="household",
        rule=Rule.SIMPLE,
        opens_at=now - timedelta(hours=1),
        closes_at=now + timedelta(days=7),
    )
    _mediation(community, u, rng)


def _compound_records(community, shuji, rng):
    compounds = Place.objects.filter(
        path_prefix(community.path), kind=PlaceKind.COMPOUND
    ).order_by("path")
    for index, compound in enumerate(compounds):
        kind = KINDS[index % len(KINDS)]
        data = {"kind": kind}
        if kind == CompoundKind.FORMED:
            data |= {
                "committee_kind": "owners",
                "property_company": "四川海川物业管理有限公司",
                "contract_start": date(2024, 1, 1),
                "contract_end": date(2026, 12, 31),
                "branch_secretary": "周敏",
            }
        elif kind == CompoundKind.SELF_MANAGED:
            data |= {"committee_kind": "self", "branch_secretary": "王志强"}
        elif kind == CompoundKind.THREE_NO:
            data |= {
                "covered": index % 2 == 1,
                "coverage": Coverage.COMMUNITY if index % 2 == 1 else "",
            }
        profile = services.save_profile(actor=shuji, compound=compound, **data)
        if kind in (CompoundKind.FORMED, CompoundKind.SELF_MANAGED):
            for name, position in [
                (data["branch_secretary"], "主任"),
                ("李强", "委员"),
            ]:
                services.add_committee_member(
                    actor=shuji,
                    profile=profile,
                    name=name,
                    position=position,
                    term_start=date(2024, 1, 1),
                    term_end=date(2028, 12, 31),
                    is_party_member=position == "主任",
                )
        from jiceng.people.models import Household

        households = Household.objects.filter(
            path_prefix(compound.path, "place__path")
        ).values_list("pk", flat=True)
        areas = {
            pk: Decimal(rng.choice([62, 75, 89, 96, 108, 121])) for pk in households
        }
        if areas:
            services.set_areas(actor=shuji, compound=compound, areas=areas)


def _mediation(community, u, rng):
    wangge, shuji, jiedao = u["wangge"], u["shegong"], u["jiedao"]
    grids = [
        a.place for a in Assignment.objects.filter(user=wangge).order_by("place__code")
    ]
    today = timezone.localdate()
    rounds = [
        services.record_screening(
            actor=wangge,
            grid=grid,
            period_start=today.replace(day=1) - timedelta(days=30),
            period_end=today.replace(day=1) - timedelta(days=1),
            households_visited=rng.randint(80, 160),
            note="入户走访排查邻里、家庭、物业矛盾",
        )
        for grid in grids
    ]
    for index, (kind, summary, up, outcome) in enumerate(DISPUTES):
        grid = grids[index % len(grids)]
        dispute = services.register_dispute(
            actor=wangge,
            grid=grid,
            kind=kind,
            summary=summary,
            parties=[
                {"name": "张某", "role": "申请人"},
                {"name": "李某", "role": "被申请人"},
            ],
            mediator_kind="grid_worker",
            mediator_name="网格员",
            mediator_user=wangge,
            screening=rounds[index % len(rounds)],
            reported_on=today - timedelta(days=20 - index),
        )
        for level in range(up):
            actor = shuji if level == 0 else jiedao
            dispute = services.escalate(
                actor=actor,
                dispute=dispute,
                mediator_kind="staff" if level == 0 else "street",
                mediator_name="社区调委会" if level == 0 else "街道综治中心",
            )
        if outcome == "open":
            continue
        actor = {0: wangge, 1: shuji, 2: jiedao}[up]
        services.record_session(
            actor=actor,
            dispute=dispute,
            held_on=today - timedelta(days=10 - index),
            mediator_name="",
            notes="双方到场，讲明法律规定，各自让步。",
        )
        if outcome == "agree":
            services.settle(
                actor=actor, dispute=dispute, agreement="双方达成一致，签订调解协议。"
            )
        else:
            services.refer(
                actor=actor, dispute=dispute, referred_to="court", note="引导诉讼"
            )


def purge_deliberation(district):
    if district is None:
        return
    prefix = district.path
    here = path_prefix(prefix, "community__path")
    Topic.objects.filter(here).delete()
    Meeting.objects.filter(here).delete()
    Body.objects.filter(here).delete()
    Dispute.objects.filter(here).delete()
    ScreeningRound.objects.filter(path_prefix(prefix, "grid__path")).delete()
    CompoundProfile.objects.filter(here).delete()
    HouseholdArea.objects.filter(path_prefix(prefix, "household__place__path")).delete()
