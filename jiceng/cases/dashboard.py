"""The KPI dashboard's figures (考核统计): read from the monthly rollup, never a
full scan. The page is views/kpi.py; the API's /cases/kpi reads the same.

Whoever holds cases.kpi reads it: street and community dispatchers their subtree
and its children ranked (the monthly 红黑榜), departments their own figures.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.utils import timezone

from jiceng.core.bounds import parse_id
from jiceng.core.models import Department
from jiceng.core.months import add_months
from jiceng.core.scope import grants_for, path_prefix, place_path_allowed
from jiceng.places.models import Place

from . import kpi
from .models import Case, Category, StatDimension

KPI_PERMISSION = "cases.kpi"

PERIODS = {
    "month": "本月",
    "last_month": "上月",
    "quarter": "本季度",
    "year": "本年",
}
RANK_FLAGS = 3  # at most the top and bottom three of the ranking: 红榜 / 黑榜


def rank_thresholds():
    """(places, cases): a ranking names a 红榜 and a 黑榜 only among at least this
    many places (or departments), each with at least this many cases received in
    the period; fewer, and a ranking would name one of two by chance."""
    return (
        settings.JICENG_KPI_RANK_MIN_PLACES,
        settings.JICENG_KPI_RANK_MIN_CASES,
    )


@dataclass
class KpiScope:
    places: list = field(default_factory=list)
    departments: list = field(default_factory=list)


def kpi_scope(user):
    """The subtrees and the departments whose figures the user reads (cases.kpi).

    A grant opens a subtree here exactly when it opens the cases there
    (Case.scope.place_refinement): a department's place, where it sits on the
    map, opens none."""
    if user.is_superuser:
        return KpiScope(list(Place.objects.get_root_nodes()), [])
    grants = [g for g in grants_for(user) if g.allows(KPI_PERMISSION)]
    paths = [g.place_path for g in grants if Case.scope.place_refinement(g) is not None]
    places = list(Place.objects.filter(path__in=paths).order_by("path"))
    departments = sorted({g.department_id for g in grants if g.department_id})
    return KpiScope(places, departments)


def period_months(period, today=None):
    this_month = (today or timezone.localdate()).replace(day=1)
    if period == "last_month":
        last = add_months(this_month, -1)
        return last, last
    if period == "quarter":
        return this_month.replace(month=(this_month.month - 1) // 3 * 3 + 1), this_month
    if period == "year":
        return this_month.replace(month=1), this_month
    return this_month, this_month


def selected_place(scope, place_id):
    """The place asked for when it lies in one of the user's subtrees (drill-down)."""
    place_id = parse_id(place_id)
    if place_id:
        place = Place.objects.filter(pk=place_id).first()
        allowed = [p.path for p in scope.places]
        if place and place_path_allowed(place.path, allowed):
            return place
    return scope.places[0] if scope.places else None


def _named(groups, names):
    return [
        {"name": names.get(key, key or "—"), "key": key, "figures": figures}
        for key, figures in groups.items()
    ]


def _ranked(rows):
    """Order by 按期办结率 then 满意率; among the places with enough cases (when
    there are enough of them, rank_thresholds) mark the top and bottom: a third
    of them each, at most RANK_FLAGS."""
    rows.sort(
        key=lambda r: (
            -(r["figures"].on_time_rate or 0),
            -(r["figures"].satisfaction_rate or 0),
            -r["figures"].received,
        )
    )
    min_places, min_cases = rank_thresholds()
    eligible = [r for r in rows if r["figures"].received >= min_cases]
    flags = min(RANK_FLAGS, len(eligible) // 3) if len(eligible) >= min_places else 0
    if flags:
        for row in eligible[:flags]:
            row["flag"] = "red"
        for row in eligible[-flags:]:
            row["flag"] = "black"
    return rows


def _child_rows(place, children):
    """Every child place of the subtree, those without cases with zeros; a case
    placed on the place itself is its own row (本级)."""
    child_places = list(
        Place.objects.filter(path_prefix(place.path), depth=place.depth + 1)
    )
    rows = [
        {
            "name": child.name,
            "key": child.path,
            "place_id": child.pk,
            "figures": children.get(child.path, kpi.Figures()),
        }
        for child in child_places
    ]
    if place.path in children:
        rows.append(
            {
                "name": f"{place.name}（本级）",
                "key": place.path,
                "figures": children[place.path],
            }
        )
    return rows


def dashboard_data(scope, place, months):
    if place is None:  # a department's own figures
        rows = kpi.stats(StatDimension.DEPARTMENT, months, keys=scope.departments)
        return {
            "totals": kpi.totals(rows).for_department(),
            "children": [],
            "categories": [],
        }
    rows = kpi.stats(StatDimension.PLACE, months, [place.path])
    child_length = len(place.path) + Place.steplen
    children = kpi.grouped(rows, child_length)
    # category and department rows are kept per community
    breakdown_paths = [place.path[: kpi.COMMUNITY_PATH_LENGTH]]
    categories = kpi.grouped(
        kpi.stats(StatDimension.CATEGORY, months, breakdown_paths), "key"
    )
    category_names = {
        str(pk): name
        for pk, name in Category.objects.filter(
            pk__in=[int(k) for k in categories]
        ).values_list("pk", "name")
    }
    departments = {
        key: figures.for_department()
        for key, figures in kpi.grouped(
            kpi.stats(StatDimension.DEPARTMENT, months, breakdown_paths), "key"
        ).items()
    }
    department_names = {
        str(pk): name
        for pk, name in Department.objects.filter(
            pk__in=[int(k) for k in departments]
        ).values_list("pk", "name")
    }
    category_rows = _named(categories, category_names)
    category_rows.sort(key=lambda r: -r["figures"].received)
    child_rows = _child_rows(place, children)
    return {
        "totals": kpi.totals(rows),
        "children": _ranked(child_rows),
        "categories": category_rows[:15],
        "departments": _ranked(_named(departments, department_names)),
    }


def trend(scope, place, last_month):
    months = (add_months(last_month, -11), last_month)
    if place is None:
        rows = kpi.stats(StatDimension.DEPARTMENT, months, keys=scope.departments)
    else:
        rows = kpi.stats(StatDimension.PLACE, months, [place.path])
    by_month = kpi.grouped(rows, "month")
    labels, received, closed, on_time = [], [], [], []
    for offset in range(12):
        month = add_months(months[0], offset)
        figures = by_month.get(month, kpi.Figures())
        if place is None:
            figures = figures.for_department()
        labels.append(f"{month:%Y-%m}")
        received.append(figures.received)
        closed.append(figures.closed)
        on_time.append(figures.on_time_rate)
    return {
        "labels": labels,
        "received": received,
        "closed": closed,
        "on_time": on_time,
    }


RANKING_HEADER = [
    "名称",
    "受理量",
    "响应率%",
    "办结率%",
    "按期办结率%",
    "解决率%",
    "满意率%",
    "平均办理时长(小时)",
    "榜单",
]


def ranking_rows(rows):
    yield RANKING_HEADER
    for row in rows:
        f = row["figures"]
        yield [
            row["name"],
            f.received,
            f.response_rate,
            f.completion_rate,
            f.on_time_rate,
            f.resolution_rate,
            f.satisfaction_rate,
            f.average_hours,
            {"red": "红榜", "black": "黑榜"}.get(row.get("flag"), ""),
        ]
