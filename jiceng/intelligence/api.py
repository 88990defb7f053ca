"""/api/v1/cases/{id}/suggestions (the dispatcher's screen) and 未诉先办 tasks."""

from ninja import Router, Schema

from jiceng.cases.models import Case
from jiceng.core.scope import get_visible_or_404, require_permission

from .models import ProactiveTask, TaskStatus
from .services import dispatch, hotspots

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


class TaskOut(Schema):
    id: int
    kind: str
    category_name: str
    center: list[float | None]
    radius_m: float
    case_ids: list[int]
    first: str
    last: str
    status: str
    summary: str


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


def _task_out(task):
    return {
        **hotspots.as_json(task),
        "id": task.pk,
        "status": task.status,
        "summary": task.summary,
    }


@router.get("proactive-tasks/", response=list[TaskOut], summary="未诉先办任务（待办）")
def task_list(request):
    require_permission(request.user, "cases.view")
    tasks = ProactiveTask.objects.visible_to(request.user).filter(
        status=TaskStatus.OPEN
    )
    return [_task_out(t) for t in tasks.select_related("category")[:500]]


@router.get("proactive-tasks/{int:pk}", response=TaskOut, summary="未诉先办任务")
def task_detail(request, pk: int):
    require_permission(request.user, "cases.view")
    return _task_out(
        get_visible_or_404(
            ProactiveTask.objects.select_related("category"), request.user, pk=pk
        )
    )
