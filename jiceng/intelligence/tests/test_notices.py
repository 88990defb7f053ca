"""A new 未诉先办 task is announced to whoever is assigned to its grid."""

import random
from datetime import timedelta

import pytest
from django.utils import timezone

from jiceng.cases.models import Case, Category
from jiceng.intelligence.models import Kind, ProactiveTask
from jiceng.intelligence.services import hotspots
from jiceng.notices.models import NoticeKind, Notification

from .test_hotspots import _case

pytestmark = pytest.mark.django_db


def test_the_grid_hears_of_a_new_task(grids, django_capture_on_commit_callbacks):
    # given six reports close together in one grid
    Case.objects.update(lat=None, lng=None)
    rng = random.Random(3)
    garbage = Category.objects.get(code="SJ0102")
    now = timezone.now()
    for i in range(6):
        _case(
            grids[0],
            garbage,
            28.87 + rng.uniform(-0.0005, 0.0005),
            105.44 + rng.uniform(-0.0005, 0.0005),
            at=now - timedelta(hours=6 * i),
            n=900 + i,
        )
    # when detection runs
    with django_capture_on_commit_callbacks(execute=True):
        hotspots.detect()
    # then those assigned to the grid hear of the cluster task, with its link
    task = ProactiveTask.objects.get(kind=Kind.CLUSTER)
    notes = Notification.objects.filter(
        kind=NoticeKind.TASK_ASSIGNED, url=task.get_absolute_url()
    )
    assigned = set(
        grids[0].assignments.filter(active=True).values_list("user_id", flat=True)
    )
    assert assigned and set(notes.values_list("user_id", flat=True)) == assigned
