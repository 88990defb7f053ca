"""Cases under /api/v1/cases/: the same services as the pages, one POST per step."""

from django.core.exceptions import PermissionDenied, ValidationError
from ninja import Query, Router, Status
from ninja.pagination import paginate

from jiceng.core.models import Department
from jiceng.core.scope import get_visible_or_404, has_permission
from jiceng.places.models import Place, PlaceKind

from . import services
from .models import OPEN_STATUSES, Case, Category
from .schemas import CaseIn, CaseOut, CaseQuery, EventOut, StepIn
from .views import assigned_to

router = Router(tags=["事件案卷"])


def _grid(user, code):
    if not code:
        return None
    grid = Place.objects.visible_to(user).filter(code=code, kind=PlaceKind.GRID).first()
    if grid is None:
        raise ValidationError({"grid_code": "网格编码不存在或不在您的权限范围内"})
    return grid


@router.get("", response=list[CaseOut], summary="案件列表")
@paginate
def list_cases(request, filters: Query[CaseQuery]):
    cases = Case.objects.visible_to(request.user).select_related("category")
    if filters.status == "open":
        cases = cases.filter(status__in=OPEN_STATUSES)
    elif filters.status:
        cases = cases.filter(status=filters.status)
    if filters.overdue:
        cases = services.overdue(cases)
    if filters.mine:
        cases = cases.filter(assigned_to(request.user))
    return cases


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
    if not has_permission(request.user, "cases.report"):
        raise PermissionDenied("没有上报案件的权限")
    category = Category.objects.filter(code=payload.category_code).first()
    if category is None:
        raise ValidationError({"category_code": "类别编码不存在"})
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
            raise ValidationError({"department_code": "部门编码不存在"})
    return services.perform(
        actor=request.user,
        case=case,
        step=step,
        version=payload.version,
        note=payload.note,
        department=department,
        grid=_grid(request.user, payload.grid_code),
        days=payload.days,
    )
