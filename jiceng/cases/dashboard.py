"""The KPI dashboard (考核统计): read from the monthly rollup, never a full scan.

Street and community dispatchers see their subtree and its children ranked (the
monthly 红黑榜); departments see their own figures. The overdue list is live.
"""

from dataclasses import dataclass, field
from datetime import date

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils import timezone

from jiceng.core.bounds import parse_id
from jiceng.core.models import Department
from jiceng.core.scope import grants_for, place_prefixes
from jiceng.places.models import Place
from jiceng.transfer.workbooks import xlsx_response

from . import kpi, services
from .models import Case, Category, StatDimension

PERIODS = {
    "month": "本月",
    "last_month": "上月",
    "quarter": "本季度",
    "year": "本年",
}
RANK_FLAGS = 3  # at most the top and bottom three of the ranking: 红榜 / 黑榜


@dataclass
class KpiScope:
    places: list = field(default_factory=list)
    departments: list = field(default_factory=list)

    @property
    def allowed(self):
        return bool(self.places or self.departments)


def kpi_scope(user):
    """Subtrees the user dispatches in, and departments the user works for."""
    prefixes = place_prefixes(user, "cases.dispatch")
    if "" in prefixes:  # superuser
        places = list(Place.get_root_nodes())
    else:
        places = list(Place.objects.filter(path__in=prefixes).order_by("path"))
    departments = sorted(
        {
            g.department_id
            for g in grants_for(user)
            if g.department_id and g.allows("cases.handle")
        }
    )
    return KpiScope(places, departments)


def add_months(day, months):
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


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
        if place and any(place.path.startswith(p.path) for p in scope.places):
            return place
    return scope.places[0] if scope.places else None


def _named(groups, names):
    return [
        {"name": names.get(key, key or "—"), "key": key, "figures": figures}
        for key, figures in groups.items()
    ]


def _ranked(rows):
    """Order by 按期办结率 then 满意率; mark the top and bottom three."""
    rows.sort(
        key=lambda r: (
            -(r["figures"].on_time_rate or 0),
            -(r["figures"].satisfaction_rate or 0),
            -r["figures"].received,
        )
    )
    flags = min(RANK_FLAGS, len(rows) // 2)
    if flags:
        for row in rows[:flags]:
            row["flag"] = "red"
        for row in rows[-flags:]:
            row["flag"] = "black"
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
    child_places = Place.objects.filter(path__in=children.keys())
    names = {p.path: p.name for p in child_places}
    links = {p.path: p.pk for p in child_places}
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
    child_rows = _named(children, names)
    for row in child_rows:
        row["place_id"] = links.get(row["key"])
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


def _ranking_rows(rows):
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


@login_required
def kpi_dashboard(request):
    scope = kpi_scope(request.user)
    if not scope.allowed:
        raise PermissionDenied
    period = (
        request.GET.get("period") if request.GET.get("period") in PERIODS else "month"
    )
    months = period_months(period)
    place = selected_place(scope, request.GET.get("place"))
    data = dashboard_data(scope, place, months)
    label = f"{months[0]:%Y年%m月}" + (
        f"至{months[1]:%Y年%m月}" if months[0] != months[1] else ""
    )
    if request.GET.get("format") == "xlsx":
        title = f"{place.name if place else '本部门'}{label}案件考核排名"
        return xlsx_response(
            _ranking_rows(data["children"] or data.get("departments", [])),
            f"{title}.xlsx",
            title="考核排名",
            note=f"{title}（导出人：{request.user}，{timezone.localtime():%Y-%m-%d %H:%M}）",
        )
    overdue_cases = services.overdue(Case.objects.visible_to(request.user))
    if place is not None:
        overdue_cases = overdue_cases.filter(place__path__startswith=place.path)
    chart = trend(scope, place, months[1])
    chart["ranking"] = [
        {"name": r["name"], "value": r["figures"].on_time_rate}
        for r in data["children"]
    ]
    return render(
        request,
        "cases/kpi.html",
        {
            **data,
            "scope": scope,
            "place": place,
            "period": period,
            "periods": PERIODS,
            "period_label": label,
            "overdue": overdue_cases.select_related("category", "place").order_by(
                "handle_due"
            )[:20],
            "chart": chart,
        },
    )
