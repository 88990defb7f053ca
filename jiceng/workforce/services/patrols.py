"""Patrols on the phone: start, add track points while the page is open, record
findings, turn a finding into a case (cases' intake service), end.

The buildings the track passed within PASS_METRES are written once, at the end,
so the coverage page counts rows instead of measuring tracks."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from jiceng.cases.models import Channel
from jiceng.cases.services import report_case
from jiceng.core import audit
from jiceng.core.models import AuditAction
from jiceng.core.scope import path_prefix
from jiceng.places.models import Place, PlaceKind

from ..errors import Code
from ..models import Finding, Patrol, PatrolBuilding
from . import track
from .common import PATROL, bad_state, require_covers

PASS_METRES = 40


def _own_open(patrol, actor):
    locked = Patrol.objects.select_for_update().get(pk=patrol.pk)
    if locked.user_id != actor.pk:
        raise PermissionDenied("只能操作自己的巡查")
    if locked.ended_at is not None:
        raise bad_state("本次巡查已结束")
    return locked


def _check_line(coordinates):
    if not track.valid_line(coordinates):
        raise ValidationError(
            {"track": "轨迹须为经纬度点的数组（GeoJSON LineString 坐标）"},
            code=Code.TRACK,
        )
    return [[float(p[0]), float(p[1])] for p in coordinates]


@transaction.atomic
def start_patrol(*, actor, grid, now=None):
    require_covers(actor, grid, PATROL, "只能在自己的网格巡查")
    if grid.kind != PlaceKind.GRID:
        raise ValidationError({"grid": "请选择网格"})
    patrol = Patrol.objects.create(
        user=actor, grid=grid, started_at=now or timezone.now()
    )
    audit.record(actor=actor, action=AuditAction.CREATE, target=patrol)
    return patrol


@transaction.atomic
def add_points(*, actor, patrol, coordinates):
    """Append points the phone sampled (the page posts them in small batches)."""
    patrol = _own_open(patrol, actor)
    new = _check_line(coordinates)
    if not new:
        return patrol
    line = track.decode(patrol.track) + new
    if len(line) > track.MAX_POINTS:
        raise ValidationError({"track": "轨迹点过多"}, code=Code.TRACK)
    patrol.track = track.encode(line)
    patrol.points = len(line)
    patrol.metres = track.length(line)
    patrol.save(update_fields=["track", "points", "metres"])
    return patrol


def _check_category(category):
    if category is not None and (not category.active or category.parent_id is None):
        raise ValidationError({"category": "请选择具体的小类"})


@transaction.atomic
def add_finding(
    *, actor, patrol, description, category=None, lat=None, lng=None, at=None
):
    patrol = Patrol.objects.get(pk=patrol.pk)
    if patrol.user_id != actor.pk:
        raise PermissionDenied("只能操作自己的巡查")
    description = (description or "").strip()
    if len(description) < 2:
        raise ValidationError({"description": "请填写发现的问题"})
    _check_category(category)
    finding = Finding.objects.create(
        patrol=patrol,
        description=description[:300],
        category=category,
        lat=lat,
        lng=lng,
        at=at or timezone.now(),
    )
    audit.record(actor=actor, action=AuditAction.CREATE, target=finding)
    return finding


@transaction.atomic
def finding_to_case(*, actor, finding, category=None):
    """Report the finding as a case through the case intake (channel 网格巡查)."""
    finding = (
        Finding.objects.select_for_update().select_related("patrol").get(pk=finding.pk)
    )
    if finding.patrol.user_id != actor.pk:
        raise PermissionDenied("只能上报自己巡查中的发现")
    if finding.case_id:
        raise bad_state("该发现已上报为事件", code=Code.DUPLICATE)
    category = category or finding.category
    if category is None:
        raise ValidationError({"category": "请选择事件类别"})
    case = report_case(
        actor=actor,
        category=category,
        description=finding.description,
        channel=Channel.PATROL,
        place=finding.patrol.grid,
        lat=finding.lat,
        lng=finding.lng,
    )
    finding.case = case
    finding.category = category
    finding.save(update_fields=["case", "category"])
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=finding,
        changes={"case": [None, case.number]},
    )
    return case


def passed_buildings(grid, line):
    """The grid's buildings within PASS_METRES of any track point."""
    buildings = Place.objects.filter(
        path_prefix(grid.path), kind=PlaceKind.BUILDING, lat__isnull=False
    ).values_list("pk", "lat", "lng")
    if not line:
        return []
    # A coarse grid of the track's points (≈100 m cells) keeps this linear.
    cell = 0.001
    cells: dict = {}
    for point in line:
        cells.setdefault((int(point[0] / cell), int(point[1] / cell)), []).append(point)
    found = []
    for pk, lat, lng in buildings:
        cx, cy = int(lng / cell), int(lat / cell)
        near = (
            p
            for dx in (-1, 0, 1)
            for dy in (-1, 0, 1)
            for p in cells.get((cx + dx, cy + dy), ())
        )
        if any(track.metres(p, [lng, lat]) <= PASS_METRES for p in near):
            found.append(pk)
    return found


@transaction.atomic
def end_patrol(*, actor, patrol, note="", now=None):
    patrol = _own_open(patrol, actor)
    patrol.ended_at = now or timezone.now()
    patrol.note = note[:200]
    patrol.save(update_fields=["ended_at", "note"])
    PatrolBuilding.objects.bulk_create(
        PatrolBuilding(
            patrol=patrol, building_id=pk, grid_id=patrol.grid_id, at=patrol.started_at
        )
        for pk in passed_buildings(patrol.grid, track.decode(patrol.track))
    )
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=patrol,
        changes={
            "ended_at": [None, str(patrol.ended_at)],
            "points": [None, patrol.points],
        },
    )
    return patrol


@transaction.atomic
def submit_patrol(*, actor, grid, coordinates, started_at, ended_at, findings=()):
    """A whole patrol at once (the API): its line and findings, ended."""
    line = _check_line(coordinates)
    if ended_at < started_at:
        raise ValidationError({"ended_at": "结束时间不能早于开始时间"})
    patrol = start_patrol(actor=actor, grid=grid, now=started_at)
    if line:
        add_points(actor=actor, patrol=patrol, coordinates=line)
    for finding in findings:
        add_finding(actor=actor, patrol=patrol, **finding)
    return end_patrol(actor=actor, patrol=patrol, now=ended_at)


def geojson(patrol):
    """The patrol as a GeoJSON Feature (LineString) with its findings as points."""
    features = [
        {
            "type": "Feature",
            "geometry": {
                "type": "LineString",
                "coordinates": track.decode(patrol.track),
            },
            "properties": {"kind": "track"},
        }
    ]
    for f in patrol.findings.all():
        if f.lat is not None:
            features.append(
                {
                    "type": "Feature",
                    "geometry": {"type": "Point", "coordinates": [f.lng, f.lat]},
                    "properties": {"kind": "finding", "text": f.description},
                }
            )
    return {"type": "FeatureCollection", "features": features}
