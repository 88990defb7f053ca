"""Demo case loop: routing rules and cases at every stage, made through the services.

Run once after the district exists (re-running seed_demo adds nothing); the cases
lie in the demo grid workers' grids so each role has something to do.
"""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from jiceng.cases import kpi, services
from jiceng.cases.models import Case, CaseEvent, Category, Channel, RoutingRule
from jiceng.core.models import Assignment, Department
from jiceng.core.scope import path_prefix
from jiceng.intelligence.corpus import describe
from jiceng.places.models import Place, PlaceKind

from .common import stream

# category code → department code, or "grid" (琐事不出网格)
RULES = {
    "SJ01": "CGJ",
    "SJ05": "CGJ",
    "BJ04": "CGJ",
    "BJ0117": "CGJ",
    "SJ0402": "SWJ",
    "BJ02": "JTYSJ",
    "SJ0601": "STHJ",
    "SJ0602": "grid",
    "SJ0603": "grid",
}
DESCRIPTIONS = {
    "BJ0117": "路灯晚上不亮，行人看不清路",
    "SJ0102": "小区门口垃圾堆了好几天没人清运",
    "SJ0505": "消防通道被私家车堵住",
    "SJ0506": "共享单车堆满人行道",
    "SJ0601": "楼下烧烤店半夜噪声扰民",
    "SJ0602": "楼上漏水到楼下，邻里协商不成",
    "SJ0603": "电梯经常停运，物业迟迟不修",
    "BJ0101": "上水井盖破损，有安全隐患",
    "SJ0201": "单元门上贴满小广告",
    "BJ0402": "行道树倒伏压住电线",
}
# how far along each demo case goes
STAGES = [
    "reported",
    "accepted",
    "dispatched",
    "dispatched",
    "handled",
    "verified",
    "closed",
    "closed",
    "closed",
]
CASES = 36
HISTORY_CASES = 120  # closed cases over the past eleven months, for the KPI pages


@transaction.atomic
def seed_case_loop(district, *, seed, log=print, spec=None):
    """spec (city.DistrictSpec): a further district of a city, whose accounts are
    prefixed (d2.wangge)."""
    account = spec.username if spec else str
    if (
        district is None
        or Case.objects.filter(path_prefix(district.path, "place_path")).exists()
    ):
        return
    departments = {d.code: d for d in Department.objects.all()}
    for code, target in RULES.items():
        category = Category.objects.filter(code=code).first()
        if category is None or (target != "grid" and target not in departments):
            continue
        RoutingRule.objects.get_or_create(
            category=category,
            place=district,
            defaults={
                "department": departments.get(target),
                "to_grid": target == "grid",
            },
        )
    bases = ["wangge", "wangge2", "jiedao", "jiedao2", "bumen"]
    stored = get_user_model().objects.filter(username__in=[account(b) for b in bases])
    users = {base: u for base in bases for u in stored if u.username == account(base)}
    if len(users) < 5:
        return
    rng = stream(seed, "cases")
    workers = []
    for name, street_admin in (("wangge", "jiedao"), ("wangge2", "jiedao2")):
        for assignment in Assignment.objects.filter(
            user=users[name], place__isnull=False
        ):
            workers.append((users[name], users[street_admin], assignment.place))
    categories = {c.code: c for c in Category.objects.filter(code__in=DESCRIPTIONS)}
    words = stream(seed, "case_texts")  # the reports' wording, apart from rng
    for number in range(CASES):
        worker, dispatcher, grid = workers[number % len(workers)]
        code = rng.choice(sorted(categories))
        spot = _spot(grid, number // len(workers))
        case = services.report_case(
            actor=worker,
            category=categories[code],
            description=describe(code, words),
            place=grid,
            channel=rng.choice([Channel.SNAPSHOT, Channel.PATROL, Channel.HOTLINE]),
            reporter_name=str(worker),
            **spot,
        )
        _advance(
            case, rng.choice(STAGES), worker, dispatcher, users["bumen"], grid, rng
        )
    _seed_history(district, rng, words, checker=account("quadmin"))
    kpi.rebuild(district.path)  # this district's rows: a city's others stay
    log(
        f"事件案卷 {CASES} 件（另有历史结案 {HISTORY_CASES} 件），"
        f"派遣规则 {RoutingRule.objects.count()} 条"
    )


def _spot(grid, turn):
    """Where in its grid a demo case was reported: the centre of one of the grid's
    compounds in turn (so its property company finds it), with its address."""
    compounds = list(
        Place.objects.filter(path_prefix(grid.path), kind=PlaceKind.COMPOUND)
        .exclude(lat__isnull=True)
        .order_by("path")
    )
    if not compounds:
        return {}
    compound = compounds[turn % len(compounds)]
    return {"lat": compound.lat, "lng": compound.lng, "address": compound.address}


def _seed_history(district, rng, words, checker="quadmin"):
    """Closed cases spread over every grid and the past months, so the KPI pages
    have trends and a ranking; each community gets its own pace and satisfaction."""
    admin = get_user_model().objects.filter(is_superuser=True).first()
    # 核查 is someone else's than the handler's: the district checks the history
    checker = get_user_model().objects.filter(username=checker).first() or admin
    grids = list(Place.objects.filter(path_prefix(district.path), kind=PlaceKind.GRID))
    if admin is None or not grids:
        return
    categories = sorted(
        Category.objects.filter(code__in=DESCRIPTIONS), key=lambda c: c.code
    )
    quality = {}
    now = timezone.now()
    for _ in range(HISTORY_CASES):
        grid = rng.choice(grids)
        community = grid.path[: kpi.COMMUNITY_PATH_LENGTH]
        good = quality.setdefault(community, rng.uniform(0.6, 0.98))
        category = rng.choice(categories)
        case = services.report_case(
            actor=admin,
            category=category,
            description=describe(category.code, words),
            place=grid,
            channel=rng.choice(list(Channel.values[:4])),
            reporter_name="居民",
        )
        for name, data in (
            ("accept", {}),
            ("dispatch", {"grid": grid}),
            ("handle", {"note": "已处置"}),
            ("verify", {}),
            ("close", {}),
        ):
            if case.status == "dispatched" and name in ("accept", "dispatch"):
                continue  # a routing rule dispatched it already
            _step(case, checker if name == "verify" else admin, name, **data)
        services.rate_case(
            case=case, rating=rng.choice([5, 5, 4, 4]) if rng.random() < good else 2
        )
        _backdate(
            case,
            now - timedelta(days=rng.randint(20, 330)),
            hours=rng.randint(3, 30) if rng.random() < good else rng.randint(40, 160),
            late=rng.random() > good,
        )


def _backdate(case, reported_at, *, hours, late):
    """Move a finished demo case and its timeline into the past: steps spread over
    `hours` after the report, the closure on time or not."""
    events = list(CaseEvent.objects.filter(case=case).order_by("at", "pk"))
    step = timedelta(hours=hours) / max(len(events) - 1, 1)
    for index, event in enumerate(events):
        event.at = reported_at + step * min(index, len(events) - 1)
        if event.action == "close":
            event.on_time = not late
            event.elapsed_seconds = hours * 3600
        event.save(update_fields=["at", "on_time", "elapsed_seconds"])
    shift = case.created_at - reported_at
    fields = [
        "created_at",
        "dispatched_at",
        "handled_at",
        "respond_due",
        "handle_due",
        "verify_due",
    ]
    for name in fields:
        value = getattr(case, name)
        if value is not None:
            setattr(case, name, value - shift)
    case.closed_at = reported_at + timedelta(hours=hours)  # as the close event says
    fields.append("closed_at")
    Case.objects.filter(pk=case.pk).update(
        **{name: getattr(case, name) for name in fields}
    )


def _step(case, actor, name, **data):
    services.STEP_SERVICES[name](actor=actor, case=case, version=case.version, **data)
    case.refresh_from_db()


def _advance(case, stage, worker, dispatcher, department_user, grid, rng):
    order = ["reported", "accepted", "dispatched", "handled", "verified", "closed"]
    target = order.index(stage)
    if case.status == "reported" and target >= 1:
        _step(case, dispatcher, "accept")
    if case.status == "accepted" and target >= 2:
        _step(case, dispatcher, "dispatch", grid=grid)
    if case.status == "dispatched" and target >= 3:
        handler = department_user if case.department_id else worker
        if case.department_id and case.department.code != "CGJ":
            return  # the demo has a login for the city management bureau only
        _step(case, handler, "handle", note="已到现场处置完毕")
    if case.status == "handled" and target >= 4:
        # 核查 by someone other than the handler: the street checks its own grid's
        checker = dispatcher if case.handler_id == worker.pk else worker
        _step(case, checker, "verify", note="现场核查，问题已解决")
    if case.status == "verified" and target >= 5:
        _step(case, dispatcher, "close")
        if rng.random() < 0.7:
            services.rate_case(case=case, rating=rng.choice([5, 5, 4, 4, 3, 2]))


def purge_cases(district):
    """The district's cases (with their events and photos) and routing rules."""
    here = path_prefix(district.path, "place__path")
    Case.objects.filter(here).delete()
    RoutingRule.objects.filter(here).delete()
