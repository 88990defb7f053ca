"""The KPI dashboard page (考核统计), its Excel ranking and the live overdue list."""

from django.shortcuts import render
from django.utils import timezone

from jiceng.core.scope import permission_required
from jiceng.transfer.workbooks import xlsx_response

from ..dashboard import (
    KPI_PERMISSION,
    PERIODS,
    dashboard_data,
    kpi_scope,
    period_months,
    rank_thresholds,
    ranking_rows,
    selected_place,
    trend,
)
from ..models import Case

OVERDUE_SHOWN = 20


@permission_required(KPI_PERMISSION)
def kpi_dashboard(request):
    scope = kpi_scope(request.user)
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
            ranking_rows(data["children"] or data.get("departments", [])),
            f"{title}.xlsx",
            title="考核排名",
            note=f"{title}（导出人：{request.user}，{timezone.localtime():%Y-%m-%d %H:%M}）",
        )
    overdue = (
        Case.objects.visible_to(request.user)
        if place is None
        else Case.objects.visible_within(request.user, place.path)
    ).overdue()
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
            "overdue": overdue.by_current_due().select_related("category", "place")[
                :OVERDUE_SHOWN
            ],
            "chart": chart,
            "rank_min_places": rank_thresholds()[0],
            "rank_min_cases": rank_thresholds()[1],
        },
    )
