"""Demo assessment: 红色物业 ratings for the last two quarters and the published
红黑榜 of every street, a 督察 with a rectification ledger in every state, a 示范
项目 call with scored applications, community budgets with spending, honours and
a 述职评议.

Made mostly through the services, with its own random stream (the shared one is
untouched), idempotent (nothing once an indicator set exists) and purged by
``seed_demo --reset``.
"""

from datetime import timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from jiceng.assessment import periods
from jiceng.assessment import services as s
from jiceng.assessment.models import (
    Appraisal,
    Budget,
    Bulletin,
    Call,
    Expert,
    Honour,
    IndicatorSet,
    Inspection,
    InspectionPlan,
    Interview,
    MutualRating,
    Problem,
    ProblemStatus,
    Ranking,
    RankingEntry,
    Rating,
    Review,
    Spending,
)
from jiceng.core.models import Department
from jiceng.core.scope import path_prefix
from jiceng.people.models import Household
from jiceng.places.models import Place, PlaceKind

from .common import purge, stream

RATINGS_PER_COMPANY = 12


def seed_assessment(district, *, seed, log=print):
    if district is None or IndicatorSet.objects.exists():
        return
    users = {u.username: u for u in get_user_model().objects.all()}
    if "quadmin" not in users:
        return
    with transaction.atomic():
        _seed(district, users, stream(seed, "assessment"), log)


def _ratings(district, period, rng):
    indicators = list(s.property.indicator_set(period).indicators.all())
    codes = [i.code for i in indicators if i.source == "resident"]
    served = s.property.service_map()
    compounds = Place.objects.filter(
        path_prefix(district.path), pk__in=list(served)
    ).values_list("pk", "path")
    rows, mutual = [], []
    for n, (compound, path) in enumerate(compounds.order_by("path")):
        company = served[compound]
        # one poorly run compound per four, so the boards have both ends
        bias = [5, 4, 2, 4][n % 4] if n % 4 != 2 else rng.choice([1, 2])
        homes = Household.objects.filter(path_prefix(path, "place__path")).order_by(
            "pk"
        )[:RATINGS_PER_COMPANY]
        for home in homes:
            scores = {
                c: max(1, min(5, bias + rng.choice([-1, 0, 0, 1]))) for c in codes
            }
            low = min(scores.values()) <= 2
            rows.append(
                Rating(
                    company_id=company,
                    compound_id=compound,
                    household=home,
                    period=period,
                    scores=scores,
                    score=s.property.resident_score(indicators, scores),
                    reason="维修不及时，垃圾清运慢" if low else "",
                )
            )
        community = Place.objects.get(path=path[: 3 * Place.steplen])
        mutual.append(
            MutualRating(
                direction="community",
                company_id=company,
                community=community,
                period=period,
                score=Decimal(50 + 10 * bias - rng.randint(0, 8)),
                comment="配合社区开展工作" if bias >= 3 else "响应慢，需改进",
            )
        )
    Rating.objects.bulk_create(rows, ignore_conflicts=True)
    MutualRating.objects.bulk_create(mutual, ignore_conflicts=True)


def _seed(district, users, rng, log):
    admin = users["quadmin"]
    today = timezone.localdate()
    last = periods.previous_quarter(today)
    before = periods.previous_quarter(periods.bounds(last)[0])
    for period in (before, last):
        s.property.save_indicator_set(
            actor=admin,
            period=period,
            name="红色物业综合评价指标",
            indicators=s.property.DEFAULT_INDICATORS,
        )
        _ratings(district, period, rng)
    # the running quarter's indicators, so residents can rate now
    s.property.save_indicator_set(
        actor=admin,
        period=periods.quarter_of(today),
        name="红色物业综合评价指标",
        indicators=s.property.DEFAULT_INDICATORS,
    )
    streets = list(
        Place.objects.filter(path_prefix(district.path), kind=PlaceKind.STREET)
    )
    for period in (before, last):
        for place in [district, *streets]:
            ranking = s.property.compute_ranking(
                actor=admin, place=place, period=period
            )
            if not ranking.rows.exists():
                continue
            ranking = s.property.approve_ranking(actor=admin, ranking=ranking)
            s.property.publish_ranking(actor=admin, ranking=ranking)
    black = RankingEntry.objects.filter(
        ranking__period=last, ranking__place__in=streets, board="black"
    ).first()
    if black is not None:
        s.property.interview(
            actor=admin,
            entry=black,
            held_on=today,
            interviewer="街道党工委副书记 陈明",
            notes="居民评价低，报修响应慢，要求一个月内整改并建立24小时值班。",
            deadline=today + timedelta(days=30),
            owner_name="项目经理",
        )
    _supervision(district, streets, admin, today)
    _projects(district, streets, users, admin, today)
    _funds(district, admin, today)
    _honours(district, streets, admin, today)
    log("考核评价：红黑榜、督察整改台账、项目评选、社区经费、评优表彰已生成")


def _supervision(district, streets, admin, today):
    communities = list(
        Place.objects.filter(path_prefix(district.path), kind=PlaceKind.COMMUNITY)[:4]
    )
    plan = s.supervision.create_plan(
        actor=admin,
        title=f"{today.year}年第四季度基层治理定期督察",
        topic="网格化服务管理与红色物业落实情况",
        place=district,
        targets=communities,
        checklist=["网格员在岗履职", "事件台账规范", "小区环境整洁", "消防通道畅通"],
        inspectors=[admin],
        starts_on=today - timedelta(days=20),
        ends_on=today + timedelta(days=10),
    )
    departments = list(Department.objects.all()[:3])
    states = [
        ProblemStatus.OPEN,
        ProblemStatus.SUBMITTED,
        ProblemStatus.VERIFIED,
        ProblemStatus.REOPENED,
        "overdue",
    ]
    for n, community in enumerate(communities):
        problems = [
            {
                "description": f"{community.name}{text}",
                "owner_name": owner,
                "deadline": today + timedelta(days=15),
                "owner_department": departments[k % len(departments)]
                if departments
                else None,
            }
            for k, (text, owner) in enumerate(
                [
                    ("消防通道堆放杂物", "物业经理"),
                    ("事件台账缺少处置照片", "网格长"),
                ]
            )
        ]
        inspection = s.supervision.inspect(
            actor=admin,
            plan=plan,
            target=community,
            answers={item: (k % 2 == 0, "") for k, item in enumerate(plan.checklist)},
            problems=problems,
        )
        for k, problem in enumerate(inspection.problems.all()):
            state = states[(2 * n + k) % len(states)]
            if state == "overdue":
                Problem.objects.filter(pk=problem.pk).update(
                    deadline=today - timedelta(days=3)
                )
                continue
            if state == ProblemStatus.OPEN:
                continue
            problem = s.supervision.submit_fix(
                actor=admin, problem=problem, evidence="已清理完毕并建立巡查制度"
            )
            if state == ProblemStatus.VERIFIED:
                s.supervision.verify(actor=admin, problem=problem, passed=True)
            elif state == ProblemStatus.REOPENED:
                s.supervision.verify(
                    actor=admin, problem=problem, passed=False, note="复查仍有堆物"
                )


def _projects(district, streets, users, admin, today):
    call = s.projects.create_call(
        actor=admin,
        kind="demo",
        title=f"{today.year}年城市基层党建示范项目评选",
        place=district,
        budget=Decimal(600_000),
        max_grant=Decimal(300_000),
        criteria=[
            {"name": "党建引领", "weight": 30},
            {"name": "群众参与", "weight": 30},
            {"name": "可持续性", "weight": 20},
            {"name": "预算合理", "weight": 20},
        ],
        deadline=today + timedelta(days=30),
    )
    communities = list(
        Place.objects.filter(path_prefix(district.path), kind=PlaceKind.COMMUNITY)[:6]
    )
    titles = [
        "红色物业“三方联动”示范小区",
        "骑士之家暖心驿站",
        "老旧院落自治改造",
        "一老一小幸福食堂",
        "楼栋党小组邻里议事",
        "社区微更新口袋公园",
    ]
    apps = []
    for n, (community, title) in enumerate(zip(communities, titles, strict=False)):
        app = s.projects.apply(
            actor=admin,
            call=call,
            title=title,
            community=community,
            summary=f"{community.name}{title}项目，整合共建单位资源，服务居民。",
            requested=Decimal(300_000 if n % 2 else 250_000),
        )
        s.projects.check_eligibility(
            actor=admin,
            application=app,
            eligible=n != 3,
            note="材料不全" if n == 3 else "",
        )
        apps.append(app)
    members = [
        u
        for name, u in users.items()
        if name in ("dangyuan", "danwei", "bumen", "loudong")
    ]
    experts = [
        Expert.objects.create(user=u, name=f"评审专家{k + 1}", field="基层治理")
        for k, u in enumerate(members)
    ]
    if streets and experts:
        experts[0].street = streets[0]
        experts[0].save()
    if len(experts) < 3:
        return
    s.projects.assign_panel(actor=admin, call=call, experts=experts)
    for k, review in enumerate(Review.objects.filter(application__call=call)):
        base = 60 + (review.application_id * 7 + k * 3) % 35
        s.projects.score(
            actor=review.expert.user,
            application=review.application,
            scores={c["name"]: base for c in call.criteria},
        )
    s.projects.rank_and_allocate(actor=admin, call=call)


def _funds(district, admin, today):
    communities = Place.objects.filter(
        path_prefix(district.path), kind=PlaceKind.COMMUNITY
    )[:6]
    amounts = {
        "community": 200_000,
        "service": 150_000,
        "award": 50_000,
        "leader": 100_000,
    }
    for n, community in enumerate(communities):
        for source, amount in amounts.items():
            if source == "leader" and n % 2:
                continue
            budget = s.funds.set_budget(
                actor=admin,
                community=community,
                year=today.year,
                source=source,
                amount=Decimal(amount),
            )
            s.funds.spend(
                actor=admin,
                budget=budget,
                spent_on=today.replace(month=max(1, today.month - 1), day=1),
                amount=Decimal(amount) * Decimal("0.3") * (1 + n % 3),
                purpose="开展为民服务活动及设施维护",
            )


def _honours(district, streets, admin, today):
    communities = list(
        Place.objects.filter(path_prefix(district.path), kind=PlaceKind.COMMUNITY)[:3]
    )
    kinds = [
        ("most_beautiful", "最美网格员", "张敏"),
        ("advanced_org", "先进基层党组织", "幸福社区党委"),
        ("new_worker", "优秀新就业群体", "外卖骑手李强"),
    ]
    for k, (community, (kind, title, nominee)) in enumerate(
        zip(communities, kinds, strict=False)
    ):
        honour = s.honours.nominate(
            actor=admin,
            kind=kind,
            year=today.year,
            title=title,
            nominee=nominee,
            place=community,
            deeds="扎根基层，带领群众解决急难愁盼问题，成效显著，群众满意。",
        )
        for step in range(k + 1):  # the last one is awarded after its publicity
            s.honours.advance(
                actor=admin,
                honour=honour,
                today=today if step == 2 else today - timedelta(days=10),
            )
        appraisal = s.honours.open_appraisal(
            actor=admin,
            community=community,
            year=today.year,
            secretary=["王芳", "刘军", "陈静"][k],
            report="一年来，社区党委围绕党建引领基层治理，完成各项目标任务。",
        )
        s.honours.add_score(
            actor=admin,
            appraisal=appraisal,
            kind="street",
            scorer="街道",
            score=85 + k * 4,
        )
        s.honours.add_score(
            actor=admin,
            appraisal=appraisal,
            kind="resident",
            scorer="居民代表",
            score=80 + k * 5,
        )


def purge_assessment(district):
    """Remove what seed_assessment made."""
    purge(Spending.objects.all())
    purge(Budget.objects.all())
    purge(Interview.objects.all())
    purge(Problem.objects.all())
    purge(Inspection.objects.all())
    purge(InspectionPlan.objects.all())
    purge(Review.objects.all())
    purge(Call.objects.all())
    purge(Expert.objects.all())
    purge(Ranking.objects.all())
    purge(Rating.objects.all())
    purge(MutualRating.objects.all())
    purge(IndicatorSet.objects.all())
    purge(Bulletin.objects.all())
    purge(Appraisal.objects.all())
    purge(Honour.objects.all())
