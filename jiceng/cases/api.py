"""Cases under /api/v1/cases/: the same services as the pages, one POST per step."""

from ninja import Query, Router, Status
from ninja.pagination import paginate

from jiceng.core.models import Department
from jiceng.core.scope import covers, get_visible_or_404, require_permission

from . import services
from .dashboard import (
    KPI_PERMISSION,
    PERIODS,
    dashboard_data,
    kpi_scope,
    period_months,
    selected_place,
)
from .duplicates import suggestions
from .errors import CaseError, field_error
from .filters import cases_for
from .models import Case
from .schemas import (
    CaseIn,
    CaseOut,
    CaseQuery,
    DuplicateOut,
    EventOut,
    KpiOut,
    MergeIn,
    StepIn,
)
from .services.lookups import lookups

router = Router(tags=["事件案卷"])


def _grid(user, code):
    """The grid with this code, if the user may see it: from the per-process copy
    of the areas, with the same test as Place.objects.visible_to (a grant
    carrying places.view over it), so a report asks the database nothing more."""
    if not code:
        return None
    grid = lookups().grids_by_code.get(code)
    if grid is None or not covers(user, grid, "places.view"):
        raise field_error(
            "grid_code", "网格编码不存在或不在您的权限范围内", CaseError.PLACE
        )
    return grid


@router.get("", response=list[CaseOut], summary="案件列表")
@paginate
def list_cases(request, filters: Query[CaseQuery]):
    # the list page's filters (filters.CaseFilter), on the same visible cases
    _filter, cases = cases_for(request.user, filters.dict(exclude_none=True))
    return cases.select_related("category")


@router.get("{int:case_id}", response=CaseOut, summary="案件详情")
def get_case(request, case_id: int):
    return get_visible_or_404(
        Case.objects.select_related("category"), request.user, pk=case_id
    )


@router.get("{int:case_id}/events", response=list[EventOut], summary="办理过程")
def case_events(request, case_id: int):
    return get_visible_or_404(Case.objects, request.user, pk=case_id).events.all()


@router.post("", response={201: CaseOut}, summary="上报案件")
def create_case(request, payload: CaseIn):
    require_permission(request.user, "cases.report")
    category = services.category_by_code(payload.category_code)
    if category is None:
        raise field_error("category_code", "类别编码不存在", CaseError.CATEGORY)
    case = services.report_case(
        actor=request.user,
        category=category,
        description=payload.description,
        place=_grid(request.user, payload.grid_code),
        lat=payload.lat,
        lng=payload.lng,
        address=payload.address,
        reporter_name=payload.reporter_name,
        reporter_phone=payload.reporter_phone,
        anonymous=payload.anonymous,
    )
    return Status(201, case)


@router.post(
    "{int:case_id}/steps/{step}",
    response=CaseOut,
    summary="办理：accept/dispatch/transfer/reject/handle/verify/redo/close/…",
)
def take_step(request, case_id: int, step: str, payload: StepIn):
    case = get_visible_or_404(Case.objects, request.user, pk=case_id)
    department = None
    if payload.department_code:
        department = Department.objects.filter(code=payload.department_code).first()
        if department is None:
            raise field_error("department_code", "部门编码不存在", CaseError.DEPARTMENT)
    return services.take_step(
        step,
        actor=request.user,
        case=case,
        version=payload.version,
        note=payload.note,
        department=department,
        grid=_grid(request.user, payload.grid_code),
        days=payload.days,
    )


@router.get("kpi", response=KpiOut, summary="考核统计（三率、排名）")
def case_kpi(request, period: str = "month", place_id: int | None = None):
    """The dashboard's figures: period is month / last_month / quarter / year."""
    require_permission(request.user, KPI_PERMISSION)
    scope = kpi_scope(request.user)
    months = period_months(period if period in PERIODS else "month")
    place = selected_place(scope, place_id)
    data = dashboard_data(scope, place, months)

    def ranked(rows):
        return [
            {
                "name": r["name"],
                "flag": r.get("flag", ""),
                "figures": r["figures"].as_dict(),
            }
            for r in rows
        ]

    return {
        "place_id": place.pk if place else None,
        "first_month": f"{months[0]:%Y-%m}",
        "last_month": f"{months[1]:%Y-%m}",
        "totals": data["totals"].as_dict(),
        "children": ranked(data["children"]),
        "departments": ranked(data.get("departments", [])),
        "categories": ranked(data.get("categories", [])),
    }


@router.get(
    "{int:case_id}/duplicates", response=list[DuplicateOut], summary="疑似重复案件"
)
def case_duplicates(request, case_id: int):
    case = get_visible_or_404(Case.objects, request.user, pk=case_id)
    found = suggestions(case)
    visible = set(
        Case.objects.visible_to(request.user)
        .filter(pk__in=[other.pk for other, _score in found])
        .values_list("pk", flat=True)
    )
    return [{"case": c, "score": score} for c, score in found if c.pk in visible]


@router.post(
    "{int:case_id}/merge", response=CaseOut, summary="作为重复案件合并到另一案件"
)
def merge_case(request, case_id: int, payload: MergeIn):
    case = get_visible_or_404(Case.objects, request.user, pk=case_id)
    into = get_visible_or_404(Case.objects, request.user, pk=payload.into_id)
    return services.merge_case(
        actor=request.user, case=case, into=into, version=payload.version
    )
