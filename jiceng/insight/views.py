"""The place dashboards (数据看板): /insight/ opens the reader's top place;
/insight/<code>/ one place with its children compared, and its exports."""

import io

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from jiceng.core import audit
from jiceng.core.models import AuditAction
from jiceng.core.scope import permission_required
from jiceng.transfer.workbooks import xlsx_response

from . import report, services

PERMISSION = services.PERMISSION


@permission_required(PERMISSION)
def index(request):
    place = services.top_place(request.user)
    return redirect("insight:place", code=place.code)


def chart_data(dashboard):
    """What insight.js draws: each tile's twelve months and the children."""
    return {
        "months": [f"{m:%Y-%m}" for m in dashboard.months],
        "children": [c.name for c in dashboard.children],
        "tiles": [
            {
                "key": view.tile.key,
                "title": view.tile.title,
                "unit": view.tile.unit,
                "trend": [value for _m, value in view.trend],
                "children": [view.children.get(c.pk) for c in dashboard.children],
            }
            for view in dashboard.tiles
        ],
    }


@permission_required(PERMISSION)
def place(request, code):
    user = request.user
    target = services.place_for(user, code)
    month = services.parse_month(request.GET.get("month"))
    dashboard = services.dashboard_for(user, target, month)
    rows = [
        {
            "place": child,
            "values": [view.children.get(child.pk) for view in dashboard.tiles],
        }
        for child in dashboard.children
    ]
    return render(
        request,
        "insight/dashboard.html",
        {
            "dashboard": dashboard,
            "rows": rows,
            "chart": chart_data(dashboard),
            "month_value": f"{month:%Y-%m}",
            "month_choices": services.month_choices(),
            "scope_places": services.scope_places(user),
        },
    )


def _exported(request, place, what):
    audit.record(
        actor=request.user,
        action=AuditAction.EXPORT,
        target=place,
        changes={"export": what},
    )


@permission_required(PERMISSION)
def export_xlsx(request, code):
    user = request.user
    target = services.place_for(user, code)
    month = services.parse_month(request.GET.get("month"))
    dashboard = services.dashboard_for(user, target, month)
    title = f"{target.name}数据看板{month:%Y年%m月}"
    _exported(request, target, "xlsx")
    return xlsx_response(
        services.export_rows(dashboard),
        f"{title}.xlsx",
        title="数据看板",
        note=f"{title}（导出人：{user}，{timezone.localtime():%Y-%m-%d %H:%M}）",
    )


@permission_required(PERMISSION)
def export_pdf(request, code):
    user = request.user
    target = services.place_for(user, code)
    month = services.parse_month(request.GET.get("month"))
    dashboard = services.dashboard_for(user, target, month)
    _exported(request, target, "pdf")
    content = report.render(dashboard, exporter=str(user))
    response = HttpResponse(
        io.BytesIO(content).getvalue(), content_type="application/pdf"
    )
    filename = f"{target.code}-{month:%Y%m}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
