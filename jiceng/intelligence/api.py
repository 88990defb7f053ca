"""/api/v1/cases/{id}/suggestions (the dispatcher's screen) and 未诉先办 tasks."""

from datetime import datetime

from ninja import Router, Schema
from ninja.pagination import paginate

from jiceng.cases.models import Case
from jiceng.core.scope import get_visible_or_404, require_permission

from .models import ProactiveTask, TaskStatus
from .services import dispatch

router = Router(tags=["智能派遣与未诉先办"])


class SuggestionOut(Schema):
    category_code: str
    category_name: str
    department: str | None
    grid: str | None
    confidence: float
    by_rule: bool
    explanation: list[str]


class SimilarOut(Schema):
    id: int
    number: str
    description: str
    score: float


class SuggestionsOut(Schema):
    source: str
    model_version: int | None
    suggestions: list[SuggestionOut]
    similar: list[SimilarOut]


class ProactiveTaskOut(Schema):
    id: int
    kind: str
    category_name: str
    center: list[float | None]
    radius_m: float
    case_ids: list[int]
    first: datetime
    last: datetime
    status: str
    summary: str

    @staticmethod
    def resolve_category_name(task):
        return task.category.name

    @staticmethod
    def resolve_center(task):
        return [task.lat, task.lng]

    @staticmethod
    def resolve_case_ids(task):
        return sorted(c.pk for c in task.cases.all())


@router.get(
    "cases/{int:case_id}/suggestions", response=SuggestionsOut, summary="派遣建议"
)
def suggestions(request, case_id: int):
    require_permission(request.user, "cases.dispatch")
    case = get_visible_or_404(
        Case.objects.select_related("place", "compound", "category"),
        request.user,
        pk=case_id,
    )
    found = dispatch.suggest_for_case(case)
    return {
        "source": found.source,
        "model_version": found.version,
        "suggestions": [
            {
                **s.as_json(),
                "by_rule": s.by_rule,
                "explanation": [n for n, _w in s.explanation],
            }
            for s in found.items
        ],
        "similar": [
            {
                "id": c.pk,
                "number": c.number,
                "description": c.description,
                "score": round(score, 3),
            }
            for c, score in found.similar
        ],
    }


@router.get(
    "proactive-tasks/", response=list[ProactiveTaskOut], summary="未诉先办任务（待办）"
)
@paginate
def task_list(request):
    require_permission(request.user, "intelligence.view")
    tasks = ProactiveTask.objects.visible_to(request.user).filter(
        status=TaskStatus.OPEN
    )
    return tasks.select_related("category").prefetch_related("cases")


@router.get(
    "proactive-tasks/{int:pk}", response=ProactiveTaskOut, summary="未诉先办任务"
)
def task_detail(request, pk: int):
    require_permission(request.user, "intelligence.view")
    return get_visible_or_404(
        ProactiveTask.objects.select_related("category"), request.user, pk=pk
    )
