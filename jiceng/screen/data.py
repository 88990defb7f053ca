"""What the big screen shows for one place, read in a fixed number of queries.

Every figure comes from the app that owns it: the month's 受理量, 办结率 and the
communities' ranking from the case KPI rollup (cases.kpi, cases.dashboard), open
and overdue cases from the case queryset's own rules, service points, patrols and
check-ins through each model's `visible_to`. Nothing here names a person: cases
show their category, status and age, patrols their grid, check-ins their activity.
"""

import zoneinfo
from datetime import datetime, time, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.db.models.functions import Substr
from django.http import Http404
from django.utils import timezone

from jiceng.assessment.models import Board
from jiceng.assessment.services.property import published
from jiceng.cases import kpi
from jiceng.cases.dashboard import KPI_PERMISSION, dashboard_data, kpi_scope
from jiceng.cases.models import Case, CaseEvent, StatDimension, Status
from jiceng.cases.workflow import EVENT_LABELS, OVERDUE_FIELDS, STEPS
from jiceng.core.scope import (
    path_prefix,
    place_path_allowed,
    require_permission,
)
from jiceng.onewindow.models import ServicePoint
from jiceng.places.models import Place, PlaceKind
from jiceng.volunteer.models import Signup
from jiceng.workforce.models import Patrol
from jiceng.workforce.services.track import decode

# Who may open a screen: whoever reads the case KPIs of a subtree (streets,
# communities, the district); a department reads only its own figures (kpi_scope).
SCREEN_PERMISSION = KPI_PERMISSION
SCREEN_KINDS = (PlaceKind.DISTRICT, PlaceKind.STREET, PlaceKind.COMMUNITY)
OUTLINE_KINDS = (
    PlaceKind.DISTRICT,
    PlaceKind.STREET,
    PlaceKind.COMMUNITY,
    PlaceKind.GRID,
)
GRID_PATH_LENGTH = 4 * Place.steplen  # district / street / community / grid

MAP_CASES = 300  # newest open cases drawn as points
MAP_POINTS = 200
MAP_PATROLS = 100
TRACK_POINTS = 120  # a track is thinned to at most this many points
TREND_DAYS = 30
TICKER_ITEMS = 30
TICKER_DAYS = 7
# Case steps the ticker announces (受理, 派遣, 结案…), by their own labels.
TICKER_ACTIONS = (
    "report",
    "accept",
    "dispatch",
    "transfer",
    "handle",
    "verify",
    "close",
    "escalate",
)


def _kpi_scope(user):
    """kpi_scope, read once per request (the user object lives as long)."""
    cached = getattr(user, "_screen_kpi_scope", None)
    if cached is None:
        cached = user._screen_kpi_scope = kpi_scope(user)
    return cached


def screen_places(user) -> list:
    """The top places of the reader's case-KPI subtrees (a street, the district…)."""
    return [p for p in _kpi_scope(user).places if p.kind in SCREEN_KINDS]


def place_for(user, code) -> Place:
    """The place a screen is asked for: 403 without the permission (or a subtree
    to read it in), 404 outside the reader's subtrees, as for a missing code."""
    require_permission(user, SCREEN_PERMISSION)
    prefixes = [p.path for p in _kpi_scope(user).places]
    if not prefixes:
        raise PermissionDenied
    place = Place.objects.filter(code=str(code)[:32], kind__in=SCREEN_KINDS).first()
    if place is None or not place_path_allowed(place.path, prefixes):
        raise Http404
    return place


def _local_tz():
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def _rate(value):
    return None if value is None else float(value)


def build(user, place, *, now=None) -> dict:
    """Everything the screen draws for place, as the reader may see it."""
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    day_start = datetime.combine(today, time.min, tzinfo=_local_tz())
    month = today.replace(day=1)
    cases = Case.objects.visible_within(user, place.path)
    patrols = _patrols(user, place, day_start)
    board = dashboard_data(_kpi_scope(user), place, (month, month))
    return {
        "place": {"code": place.code, "name": place.name, "kind": place.kind},
        "generated_at": timezone.localtime(now).isoformat(timespec="seconds"),
        "today": today.isoformat(),
        "month": f"{month:%Y-%m}",
        "headline": _headline(cases, place, today.isoformat(), month, now),
        "map": {
            "outlines": _outlines(place),
            "grid_load": _grid_load(cases),
            "cases": _case_points(cases, now),
            "service_points": _service_points(user, place),
            "patrols": patrols,
        },
        "rankings": {
            "communities": _community_ranking(board["children"]),
            "red_black": _red_black(place),
        },
        "charts": {
            "trend": _trend(place, today),
            "categories": [
                {"name": row["name"], "value": row["figures"].received}
                for row in board["categories"][:10]
            ],
        },
        "ticker": _ticker(user, place, cases, patrols, now),
    }


def _headline(cases, place, today, month, now):
    # today's and the month's counters from the KPI rollup (the day rows the
    # trend reads): counting today's cases read the place's whole index range in
    # a city; open and overdue are counted through the (is_open, path) index
    figures = kpi.totals(kpi.stats(StatDimension.PLACE, (month, month), [place.path]))
    today_rows = kpi.stats(StatDimension.DAY, (month, month), [place.path], [today])
    return {
        "received_today": kpi.totals(today_rows).received,
        "received_month": figures.received,
        "closed_month": figures.closed,
        "open": cases.filter(is_open=True).count(),
        "overdue": cases.overdue(now).count(),
        "completion_rate": _rate(figures.completion_rate),
        "on_time_rate": _rate(figures.on_time_rate),
        "satisfaction_rate": _rate(figures.satisfaction_rate),
    }


def _outlines(place):
    """GeoJSON of the place, its streets, communities and grids (no base tiles)."""
    rows = (
        Place.objects.filter(path_prefix(place.path), kind__in=OUTLINE_KINDS)
        .exclude(geometry__isnull=True)
        .order_by("depth", "path")
        .only("code", "name", "kind", "geometry")
    )
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": node.geometry,
                "properties": {"code": node.code, "name": node.name, "kind": node.kind},
            }
            for node in rows
            if isinstance(node.geometry, dict)
        ],
    }


def _grid_load(cases):
    """{grid code: open cases} for the grids with any (one grouped query); a case
    placed above a grid has a shorter prefix, which names no grid below."""
    rows = (
        cases.filter(is_open=True)
        .annotate(grid_path=Substr("place_path", 1, GRID_PATH_LENGTH))
        .order_by()
        .values("grid_path")
        .annotate(n=Count("pk"))
    )
    load = {row["grid_path"]: row["n"] for row in rows}
    codes = dict(
        Place.objects.filter(path__in=list(load), kind=PlaceKind.GRID).values_list(
            "path", "code"
        )
    )
    return {codes[path]: n for path, n in load.items() if path in codes}


def _case_points(cases, now):
    rows = (
        cases.filter(is_open=True, lat__isnull=False, lng__isnull=False)
        .select_related("category")
        .only("lat", "lng", "created_at", "category__name", *OVERDUE_FIELDS)
        .order_by("-created_at", "-pk")[:MAP_CASES]
    )
    return [
        {
            "lat": round(case.lat, 6),
            "lng": round(case.lng, 6),
            "category": case.category.name,
            "status": case.status,
            "status_label": str(Status(case.status).label),
            "age_hours": int((now - case.created_at).total_seconds() // 3600),
            "overdue": case.is_overdue,
        }
        for case in rows
    ]


def _service_points(user, place):
    rows = (
        ServicePoint.objects.visible_within(user, place.path)
        .filter(active=True)
        .order_by("kind", "pk")
        .values("name", "kind", "lat", "lng")[:MAP_POINTS]
    )
    return [
        {
            "name": row["name"],
            "kind": row["kind"],
            "lat": row["lat"],
            "lng": row["lng"],
        }
        for row in rows
    ]


def _thin(coordinates, limit=TRACK_POINTS):
    """At most limit points of a track, keeping its first and last."""
    if len(coordinates) <= limit:
        return coordinates
    step = (len(coordinates) - 1) / (limit - 1)
    return [coordinates[round(i * step)] for i in range(limit)]


def _patrols(user, place, day_start):
    """Today's patrols in the subtree: the grid, the track, the latest position."""
    rows = (
        Patrol.objects.visible_within(user, place.path)
        .filter(started_at__gte=day_start)
        .select_related("grid")
        .only("started_at", "ended_at", "track", "metres", "grid__name")
        .order_by("-started_at", "-pk")[:MAP_PATROLS]
    )
    found = []
    for patrol in rows:
        try:
            track = [[lat, lng] for lng, lat in decode(patrol.track or "")]
        except (IndexError, ValueError):  # a damaged track draws as none
            track = []
        track = _thin(track)
        found.append(
            {
                "grid": patrol.grid.name,
                "started_at": timezone.localtime(patrol.started_at).isoformat(
                    timespec="seconds"
                ),
                "ended_at": timezone.localtime(patrol.ended_at).isoformat(
                    timespec="seconds"
                )
                if patrol.ended_at
                else None,
                "live": patrol.ended_at is None,
                "metres": patrol.metres,
                "track": track,
                "latest": track[-1] if track else None,
            }
        )
    return found


def _community_ranking(children):
    """The children's monthly KPI rows as cases.dashboard ranks them (红榜/黑榜)."""
    return [
        {
            "name": row["name"],
            "received": row["figures"].received,
            "completion_rate": _rate(row["figures"].completion_rate),
            "on_time_rate": _rate(row["figures"].on_time_rate),
            "satisfaction_rate": _rate(row["figures"].satisfaction_rate),
            "flag": row.get("flag", ""),
        }
        for row in children
    ]


def _red_black(place):
    """The latest published 红黑榜 of the place, an ancestor, or a place below it."""
    lineage = Place.lineage_paths(place.path)
    ranking = (
        published()
        .filter(Q(place__path__in=lineage) | path_prefix(place.path, "place__path"))
        .select_related("place")
        .order_by("-published_at", "-pk")
        .first()
    )
    if ranking is None:
        return None
    entries = (
        ranking.rows.filter(board__in=[Board.RED, Board.BLACK])
        .select_related("company")
        .order_by("rank")[:12]
    )
    return {
        "title": f"{ranking.place.name} {ranking.period} 红黑榜",
        "period": ranking.period,
        "entries": [
            {
                "rank": entry.rank,
                "name": entry.company.name,
                "score": float(entry.score),
                "stars": entry.stars,
                "board": entry.board,
            }
            for entry in entries
        ],
    }


def _trend(place, today):
    """Cases received (上报) and closed (结案) per day over the last TREND_DAYS, from
    the KPI rollup's day rows: the same counters as the month figures, read in
    time that does not grow with the place's years of cases."""
    first = today - timedelta(days=TREND_DAYS - 1)
    rows = kpi.stats(
        StatDimension.DAY, (first.replace(day=1), today.replace(day=1)), [place.path]
    ).filter(key__gte=first.isoformat())
    by_day = kpi.grouped(rows, "key")
    days = [(first + timedelta(days=i)).isoformat() for i in range(TREND_DAYS)]
    empty = kpi.Figures()
    return {
        "labels": [f"{day[5:7]}-{day[8:]}" for day in days],
        "received": [by_day.get(day, empty).received for day in days],
        "closed": [by_day.get(day, empty).closed for day in days],
    }


def _action_label(action):
    step = STEPS.get(action)
    return step.label if step else EVENT_LABELS.get(action, action)


def _ticker(user, place, cases, patrols, now):
    """Recent events, newest first: case steps, patrols, volunteer check-ins."""
    since = now - timedelta(days=TICKER_DAYS)
    items = []
    events = (
        CaseEvent.objects.filter(
            case__in=cases.values("pk"), action__in=TICKER_ACTIONS, at__gte=since
        )
        .select_related("case__category", "case__place")
        .only("at", "action", "case__category__name", "case__place__name")
        .order_by("-at", "-pk")[:TICKER_ITEMS]
    )
    for event in events:
        items.append(
            (
                event.at,
                "case",
                f"{event.case.place.name} · {event.case.category.name} · "
                f"{_action_label(event.action)}",
            )
        )
    for patrol in patrols:
        started = datetime.fromisoformat(patrol["started_at"])
        items.append((started, "patrol", f"{patrol['grid']} · 网格员开始巡查"))
        if patrol["ended_at"]:
            ended = datetime.fromisoformat(patrol["ended_at"])
            items.append((ended, "patrol", f"{patrol['grid']} · 巡查结束"))
    checkins = (
        Signup.objects.visible_within(user, place.path)
        .filter(checked_in_at__gte=since)
        .select_related("activity__community")
        .only("checked_in_at", "activity__title", "activity__community__name")
        .order_by("-checked_in_at", "-pk")[:TICKER_ITEMS]
    )
    for signup in checkins:
        items.append(
            (
                signup.checked_in_at,
                "volunteer",
                f"{signup.activity.community.name} · {signup.activity.title} · "
                "志愿者签到",
            )
        )
    items.sort(key=lambda item: item[0], reverse=True)
    return [
        {
            "at": timezone.localtime(at).isoformat(timespec="seconds"),
            "time": f"{timezone.localtime(at):%m-%d %H:%M}",
            "kind": kind,
            "text": text,
        }
        for at, kind, text in items[:TICKER_ITEMS]
    ]
