"""未诉先办: injected clusters are found and noise is not, an open cluster is
extended rather than duplicated, and a repeat counts up to its boundary day."""

import json
import random
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from jiceng.cases.models import Case, Category
from jiceng.cases.workflow import Status
from jiceng.intelligence.models import Kind, ProactiveTask, TaskStatus
from jiceng.intelligence.services import hotspots

pytestmark = pytest.mark.django_db


def _case(grid, category, lat, lng, *, at, n, status=Status.REPORTED, closed_at=None):
    case = Case.objects.create(
        number=f"H{n:09d}",
        category=category,
        description="测试",
        place=grid,
        lat=lat,
        lng=lng,
        channel="snapshot",
        status=status,
        closed_at=closed_at,
    )
    Case.objects.filter(pk=case.pk).update(created_at=at)
    case.created_at = at
    return case


def test_injected_cluster_is_found_extended_and_noise_is_not(grids):
    # given six 暴露垃圾 reports within 150 m in three days, and scattered noise
    Case.objects.update(lat=None, lng=None)  # the demo's own cases stay out of it
    rng = random.Random(11)
    garbage = Category.objects.get(code="SJ0102")
    now = timezone.now()
    lat0, lng0 = 28.87, 105.44
    cluster = [
        _case(
            grids[0],
            garbage,
            lat0 + rng.uniform(-0.0008, 0.0008),
            lng0 + rng.uniform(-0.0008, 0.0008),
            at=now - timedelta(hours=12 * i),
            n=i,
        )
        for i in range(6)
    ]
    noise = [
        _case(
            grids[i % len(grids)],
            garbage,
            lat0 + rng.uniform(-0.05, 0.05),
            lng0 + rng.uniform(-0.05, 0.05),
            at=now - timedelta(days=rng.uniform(0, 6)),
            n=100 + i,
        )
        for i in range(40)
    ]
    # when detection runs
    hotspots.detect()
    # then exactly the injected reports form one cluster task
    task = ProactiveTask.objects.get(kind=Kind.CLUSTER)
    assert set(task.cases.values_list("pk", flat=True)) == {c.pk for c in cluster}
    assert task.radius_m < 200 and task.status == TaskStatus.OPEN
    # (a week of scattered reports may still show as a rise in a grid: not a cluster)
    assert not ProactiveTask.objects.filter(kind=Kind.CLUSTER, cases__in=noise).exists()
    # when one more report arrives there, the open task is extended, not duplicated
    extra = _case(grids[0], garbage, lat0, lng0, at=now, n=500)
    created, extended = hotspots.detect()
    assert created == 0 and extended >= 1
    assert ProactiveTask.objects.filter(kind=Kind.CLUSTER).count() == 1
    assert task.cases.filter(pk=extra.pk).exists()
    # and a run with nothing new changes nothing
    assert hotspots.detect() == (0, 0)
    # and the command prints the open detections in the agreed format
    call_command("detect_hotspots", "--json", "--no-run")


def test_repeat_counts_to_the_boundary_day(grids, capsys):
    Case.objects.update(lat=None, lng=None)
    lid = Category.objects.get(code="BJ0101")
    closed = timezone.now() - timedelta(days=60)
    first = _case(
        grids[0],
        lid,
        28.9,
        105.4,
        at=closed - timedelta(days=3),
        n=1,
        status=Status.CLOSED,
        closed_at=closed,
    )
    other = _case(
        grids[1],
        lid,
        28.95,
        105.45,
        at=closed - timedelta(days=3),
        n=2,
        status=Status.CLOSED,
        closed_at=closed,
    )
    hotspots.detect()
    # given the same place reported again exactly 30 days after the close: a repeat
    again = _case(grids[0], lid, 28.9, 105.4, at=closed + timedelta(days=30), n=3)
    # and elsewhere 31 days after: not one
    late = _case(grids[1], lid, 28.95, 105.45, at=closed + timedelta(days=31), n=4)
    hotspots.detect()
    task = ProactiveTask.objects.get(kind=Kind.REPEAT, cases=first)
    assert set(task.cases.values_list("pk", flat=True)) == {first.pk, again.pk}
    assert not ProactiveTask.objects.filter(cases__in=[other, late]).exists()
    call_command("detect_hotspots", "--json", "--no-run")
    out = json.loads(capsys.readouterr().out)
    out = [d for d in out if first.pk in d["case_ids"]]
    assert out == [
        {
            "kind": "repeat",
            "category_name": "上水井盖",
            "center": [28.9, 105.4],
            "radius_m": 0.0,
            "case_ids": [first.pk, again.pk],
            "first": timezone.localtime(first.created_at).isoformat(),
            "last": timezone.localtime(again.created_at).isoformat(),
        }
    ]


def test_a_task_is_closed_with_what_was_done(grids, client_for):
    lid = Category.objects.get(code="BJ0101")
    now = timezone.now()
    task = ProactiveTask.objects.create(
        kind=Kind.RISE,
        category=lid,
        place=grids[0],
        summary="本周上水井盖6件",
        first=now,
        last=now,
    )
    client = client_for("quadmin")
    # an empty result is refused and nothing changes
    page = client.post(
        f"/intelligence/tasks/{task.pk}/close/", {"version": 0, "result": ""}
    )
    assert page.status_code == 400
    page = client.post(
        f"/intelligence/tasks/{task.pk}/close/", {"version": 0, "result": "更换井盖3处"}
    )
    assert page.status_code == 302
    task.refresh_from_db()
    assert task.status == TaskStatus.CLOSED and task.result == "更换井盖3处"
    assert "未诉先办" in client.get("/intelligence/tasks/").content.decode()
