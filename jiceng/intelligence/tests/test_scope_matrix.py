"""未诉先办 tasks and dispatch corrections join the shared scope matrix."""

from jiceng.core.testing import Surface, scope_matrix
from jiceng.intelligence.models import DispatchCorrection, ProactiveTask, StreetSetting

SURFACES = [
    Surface(
        ProactiveTask,
        list_url="/intelligence/tasks/",
        detail_url=lambda t: f"/intelligence/tasks/{t.pk}/",
        api_list="/api/v1/proactive-tasks/",
        api_detail=lambda t: f"/api/v1/proactive-tasks/{t.pk}",
        rows=lambda: ProactiveTask.objects.filter(status="open"),
    ),
    Surface(DispatchCorrection),
    Surface(StreetSetting),
]

test_scope_matrix = scope_matrix(SURFACES)
