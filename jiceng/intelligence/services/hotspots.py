"""未诉先办: find hot spots, repeats and rising categories; hand each to its grid.

detect() runs as a periodic task. It looks only at cases newer than the last
run's watermark (and, for clusters, the window of days before them), so a run
costs what a day brings, not the whole history. A detection that matches an open
task of its kind — overlapping cases or a centre within reach, same category
group — extends that task instead of opening another.
"""

from collections import Counter, defaultdict
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from jiceng.cases.models import Case
from jiceng.cases.services.assignment import grid_of
from jiceng.cases.workflow import Status
from jiceng.core import audit
from jiceng.core.errors import check_version
from jiceng.core.models import AuditAction
from jiceng.core.scope import path_prefix
from jiceng.notices.models import NoticeKind
from jiceng.notices.services import notify

from .. import detection
from ..detection import Point
from ..models import DetectionRun, Kind, ProactiveTask, TaskStatus


def option(name, default):
    return getattr(settings, "INTELLIGENCE_" + name, default)


def _day(moment):
    return moment.timestamp() / 86400


def _live(queryset):
    return queryset.filter(merged_into__isnull=True).exclude(status=Status.CANCELLED)


@transaction.atomic
def detect(now=None):
    """One incremental run: returns (tasks created, tasks extended)."""
    now = now or timezone.now()
    last = DetectionRun.objects.select_for_update().order_by("-at", "-pk").first()
    watermark = last.last_case_id if last else 0
    newest = Case.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    counts = Counter()
    if newest > watermark:
        for outcome in (
            *_clusters(now, watermark),
            *_repeats(watermark),
            *_rises(now, watermark),
        ):
            counts[outcome] += 1
    DetectionRun.objects.create(
        last_case_id=newest, created=counts["created"], extended=counts["extended"]
    )
    return counts["created"], counts["extended"]


def _clusters(now, watermark):
    window = option("CLUSTER_DAYS", 7)
    eps = option("CLUSTER_METRES", 200.0)
    min_cases = option("CLUSTER_MIN_CASES", 5)
    new = _live(Case.objects.filter(pk__gt=watermark, lat__isnull=False))
    since = new.order_by("created_at").values_list("created_at", flat=True).first()
    if since is None:
        return
    cases = _live(
        Case.objects.filter(
            created_at__gte=since - timedelta(days=window),
            created_at__lte=now,
            lat__isnull=False,
            lng__isnull=False,
        )
    ).select_related("category", "place")
    by_pk = {c.pk: c for c in cases}
    points = [
        Point(
            c.pk,
            c.lat,
            c.lng,
            _day(c.created_at),
            c.category.parent_id or c.category_id,
        )
        for c in by_pk.values()
    ]
    for cluster in detection.find_clusters(
        points, eps=eps, window=window, min_cases=min_cases
    ):
        if max(p.key for p in cluster) <= watermark:
            continue  # nothing new: found (and handled) by an earlier run
        yield _file(Kind.CLUSTER, [by_pk[p.key] for p in cluster], reach=eps)


def _repeats(watermark):
    days = option("REPEAT_DAYS", 30)
    metres = option("REPEAT_METRES", 50.0)
    new = _live(Case.objects.filter(pk__gt=watermark)).select_related(
        "category", "place"
    )
    for case in new:
        earlier = Case.objects.filter(
            category_id=case.category_id,
            status=Status.CLOSED,
            closed_at__lte=case.created_at,
            closed_at__gte=case.created_at - timedelta(days=days),
        ).exclude(pk=case.pk)
        same_place = [
            old
            for old in earlier.select_related("category", "place")
            if _same_place(old, case, metres)
            and detection.is_repeat(_day(old.closed_at), _day(case.created_at), days)
        ]
        if same_place:
            yield _file(Kind.REPEAT, [*same_place, case], reach=metres)


def _same_place(a, b, metres):
    if a.compound_id and a.compound_id == b.compound_id:
        return True
    if None in (a.lat, a.lng, b.lat, b.lng):
        return False
    return detection.distance(a.lat, a.lng, b.lat, b.lng) <= metres


def _rises(now, watermark):
    """Per grid and category: this week against the eight weeks before and the same
    weeks of the past two years."""
    if not Case.objects.filter(pk__gt=watermark).exists():
        return
    week = timedelta(days=7)
    start = now - week
    recent = _live(Case.objects.filter(created_at__gte=start, created_at__lte=now))
    groups = defaultdict(list)
    grids = {}
    for case in recent.select_related("category", "place"):
        grid = grid_of(case.place) or case.place
        grids[grid.pk] = grid
        groups[(grid.pk, case.category_id)].append(case)
    factor, floor = option("RISE_FACTOR", 2.0), option("RISE_FLOOR", 4)
    for (grid_id, category_id), cases in groups.items():
        if len(cases) < floor:
            continue
        history = Case.objects.filter(
            path_prefix(grids[grid_id].path, "place_path"), category_id=category_id
        )
        first_seen = history.order_by("created_at").values_list(
            "created_at", flat=True
        )[0]
        spans = [(start - week * (i + 1), start - week * i) for i in range(8)]
        spans += [
            (start - timedelta(days=364 * y), now - timedelta(days=364 * y))
            for y in (1, 2)
        ]
        # weeks before the grid's first case of this kind are no evidence
        counts = [
            history.filter(created_at__gte=a, created_at__lt=b).count()
            for a, b in spans
            if a >= first_seen - week
        ]
        if detection.rising(len(cases), counts, factor=factor, floor=floor)[0]:
            yield _file(Kind.RISE, cases, reach=None, grid_id=grid_id)


def _file(kind, cases, *, reach, grid_id=None):
    """Extend the open task this detection belongs to, or open one."""
    category = Counter(c.category for c in cases).most_common(1)[0][0]
    group = category.parent_id or category.pk
    located = [c for c in cases if c.lat is not None and c.lng is not None]
    points = [Point(c.pk, c.lat, c.lng, 0) for c in located]
    lat, lng = detection.centre(points) if points else (None, None)
    place = (
        grid_of(cases[0].place) or cases[0].place
        if grid_id is None
        else next(grid_of(c.place) for c in cases)
    )
    open_tasks = ProactiveTask.objects.filter(
        kind=kind, status=TaskStatus.OPEN
    ).select_related("category")
    match = None
    ids = {c.pk for c in cases}
    for task in open_tasks:
        if (task.category.parent_id or task.category_id) != group:
            continue
        if kind == Kind.RISE:
            if task.place_id == place.pk and task.category_id == category.pk:
                match = task
                break
            continue
        shares = task.cases.filter(pk__in=ids).exists()
        near = (
            lat is not None
            and task.lat is not None
            and detection.distance(lat, lng, task.lat, task.lng)
            <= task.radius_m + reach
        )
        if shares or near:
            match = task
            break
    first = min(c.created_at for c in cases)
    last = max(c.created_at for c in cases)
    if match is not None:
        if ids <= set(match.cases.values_list("pk", flat=True)):
            return "unchanged"  # seen in full by an earlier run
        match.cases.add(*cases)
        everything = list(match.cases.all())
        located = [
            Point(c.pk, c.lat, c.lng, 0) for c in everything if c.lat is not None
        ]
        if located:
            match.lat, match.lng = detection.centre(located)
            match.radius_m = round(detection.radius(located, match.lat, match.lng), 1)
        match.first = min(match.first, first)
        match.last = max(match.last, last)
        match.summary = _summary(kind, category, len(everything), match.radius_m)
        match.version += 1
        match.save()
        audit.record(
            actor=None,
            action=AuditAction.UPDATE,
            target=match,
            changes={"extended": len(everything)},
        )
        return "extended"
    spread = round(detection.radius(points, lat, lng), 1) if points else 0
    task = ProactiveTask.objects.create(
        kind=kind,
        category=category,
        place=place,
        lat=lat,
        lng=lng,
        radius_m=spread,
        summary=_summary(kind, category, len(cases), spread),
        first=first,
        last=last,
    )
    task.cases.add(*cases)
    audit.record(
        actor=None,
        action=AuditAction.CREATE,
        target=task,
        changes={"kind": kind, "cases": len(cases)},
    )
    _tell_place(task)
    return "created"


def _tell_place(task):
    """Whoever is assigned to the task's grid or community hears of a new task."""
    from django.contrib.auth import get_user_model

    from jiceng.core.models import Assignment

    ids = Assignment.objects.filter(active=True, place=task.place).values("user_id")
    users = get_user_model().objects.filter(pk__in=ids)
    message = f"未诉先办新任务：{task.summary[:60]}"
    url = task.get_absolute_url()
    transaction.on_commit(
        lambda: notify(users, message, url, kind=NoticeKind.TASK_ASSIGNED)
    )


def _summary(kind, category, count, spread):
    if kind == Kind.CLUSTER:
        return f"{count}件{category.name}集中在约{max(spread, 1):.0f}米范围内"
    if kind == Kind.REPEAT:
        return f"{category.name}在同一地点结案后再次被反映（共{count}件）"
    return f"本周{category.name}{count}件，明显高于往常"


@transaction.atomic
def close_task(*, actor, task, version, result):
    result = (result or "").strip()
    if not result:
        raise ValidationError({"result": "请填写办理情况"}, code="result")
    locked = ProactiveTask.objects.select_for_update().get(pk=task.pk)
    check_version(locked, version)
    if locked.status != TaskStatus.OPEN:
        raise ValidationError("该任务已办结", code="closed")
    locked.status = TaskStatus.CLOSED
    locked.result = result
    locked.closed_by = actor
    locked.closed_at = timezone.now()
    locked.version += 1
    locked.save()
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=locked,
        changes={"status": TaskStatus.CLOSED},
    )
    return locked


def as_json(task):
    return {
        "kind": task.kind,
        "category_name": task.category.name,
        "center": [task.lat, task.lng],
        "radius_m": task.radius_m,
        "case_ids": sorted(task.cases.values_list("pk", flat=True)),
        "first": timezone.localtime(task.first).isoformat(),
        "last": timezone.localtime(task.last).isoformat(),
    }
