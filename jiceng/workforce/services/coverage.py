"""Coverage per grid (households visited in the last N days, buildings patrolled),
the grid worker's day and the community's team view.

Each figure is one GROUP BY over an indexed range: visits by (grid, at), patrolled
buildings by (grid, at), households and buildings by the grid prefix of their
path (benchmarks/workforce.py measures it against the bare query)."""

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.db.models import Count, Sum
from django.db.models.functions import Substr
from django.utils import timezone

from jiceng.core.scope import path_prefix
from jiceng.core.tiles import count_by_subtree
from jiceng.people.models import Household
from jiceng.places.models import Place, PlaceKind

from ..models import Finding, Patrol, PatrolBuilding, Visit, VisitNeed, Worker


@dataclass
class GridCoverage:
    grid: Place
    households: int
    visited: int
    buildings: int
    patrolled: int

    @property
    def visit_rate(self):
        return (
            round(100 * self.visited / self.households, 1) if self.households else None
        )

    @property
    def unpatrolled(self):
        return self.buildings - self.patrolled


def _per_grid_prefix(queryset, field, grids):
    """Rows of queryset counted per grid, by the grid prefix of field's path.

    One range over the grids' common ancestor (their street or community, as a
    page lists them) rather than an OR of a range per grid: the database walks
    one index range and groups it, and the grids not asked about drop out here.
    """
    if not grids:
        return {}
    length = len(grids[0].path)
    wanted = {g.path for g in grids}
    first, last = min(wanted), max(wanted)  # their common prefix is everyone's
    same = next(
        (i for i, (a, b) in enumerate(zip(first, last, strict=False)) if a != b),
        len(first),
    )
    common = first[: same - same % Place.steplen]
    counts = (
        queryset.filter(path_prefix(common, field))
        .order_by()
        .annotate(g=Substr(field, 1, length))
        .values("g")
        .annotate(n=Count("pk"))
        .values_list("g", "n")
    )
    return {g: n for g, n in counts if g in wanted}


def coverage(grids, days=30, now=None):
    """GridCoverage for each grid over the last `days` days."""
    grids = list(grids)
    since = (now or timezone.now()) - timedelta(days=days)
    ids = [g.pk for g in grids]
    visited = dict(
        Visit.objects.filter(grid_id__in=ids, at__gte=since)
        .values("grid_id")
        .annotate(n=Count("household_id", distinct=True))
        .values_list("grid_id", "n")
    )
    patrolled = dict(
        PatrolBuilding.objects.filter(grid_id__in=ids, at__gte=since)
        .values("grid_id")
        .annotate(n=Count("building_id", distinct=True))
        .values_list("grid_id", "n")
    )
    households = _per_grid_prefix(Household.objects.all(), "place_path", grids)
    buildings = _per_grid_prefix(
        Place.objects.filter(kind=PlaceKind.BUILDING), "path", grids
    )
    return [
        GridCoverage(
            grid=g,
            households=households.get(g.path, 0),
            visited=visited.get(g.pk, 0),
            buildings=buildings.get(g.path, 0),
            patrolled=patrolled.get(g.pk, 0),
        )
        for g in grids
    ]


def visit_coverage_by_subtree(places, start, end) -> dict[int, tuple[int, int]]:
    """{place.pk: (households visited within [start, end), households on record)}
    for places of one kind: coverage()'s rule summed over each place's subtree, in
    two grouped queries whatever the number of places."""
    places = list(places)
    visited = count_by_subtree(
        Visit.objects.filter(at__gte=start, at__lt=end),
        places,
        "grid__path",
        distinct="household",
    )
    households = count_by_subtree(Household.objects.all(), places, "place_path")
    return {p.pk: (visited.get(p.pk, 0), households.get(p.pk, 0)) for p in places}


def unpatrolled_buildings(grid, days=30, now=None):
    since = (now or timezone.now()) - timedelta(days=days)
    passed = PatrolBuilding.objects.filter(grid=grid, at__gte=since).values(
        "building_id"
    )
    return Place.objects.filter(
        path_prefix(grid.path), kind=PlaceKind.BUILDING
    ).exclude(pk__in=passed)


def _day_bounds(day):
    tz = timezone.get_current_timezone()
    start = datetime.combine(day, time.min, tz)
    return start, start + timedelta(days=1)


def day_summary(user, day=None):
    """What a grid worker did on a day: patrols, findings, cases, visits, needs."""
    day = day or timezone.localdate()
    start, end = _day_bounds(day)
    patrols = Patrol.objects.filter(
        user=user, started_at__gte=start, started_at__lt=end
    )
    visits = Visit.objects.filter(user=user, at__gte=start, at__lt=end)
    totals = patrols.aggregate(n=Count("pk"), metres=Sum("metres"))
    findings = Finding.objects.filter(patrol__in=patrols)
    return {
        "day": day,
        "patrols": list(patrols.select_related("grid")),
        "patrol_count": totals["n"],
        "metres": totals["metres"] or 0,
        "findings": findings.count(),
        "cases": findings.filter(case__isnull=False).count(),
        "visits": list(visits.select_related("household")),
        "visit_count": visits.count(),
        "households": visits.values("household").distinct().count(),
        "corrections": sum(v.corrections for v in visits),
        "needs": VisitNeed.objects.filter(visit__in=visits).count(),
        "by_kind": dict(
            visits.values("kind").annotate(n=Count("pk")).values_list("kind", "n")
        ),
    }


def team_view(workers, days=7, now=None):
    """Per grid worker of a community: patrols, kilometres, visits, households."""
    since = (now or timezone.now()) - timedelta(days=days)
    workers = [w for w in workers if w.user_id]
    users = [w.user_id for w in workers]
    patrols = {
        row["user_id"]: row
        for row in Patrol.objects.filter(user_id__in=users, started_at__gte=since)
        .values("user_id")
        .annotate(n=Count("pk"), metres=Sum("metres"))
    }
    visits = {
        row["user_id"]: row
        for row in Visit.objects.filter(user_id__in=users, at__gte=since)
        .values("user_id")
        .annotate(n=Count("pk"), households=Count("household_id", distinct=True))
    }
    rows = []
    for w in workers:
        p = patrols.get(w.user_id, {})
        v = visits.get(w.user_id, {})
        rows.append(
            {
                "worker": w,
                "patrols": p.get("n", 0),
                "km": round((p.get("metres") or 0) / 1000, 1),
                "visits": v.get("n", 0),
                "households": v.get("households", 0),
            }
        )
    return rows


def workers_of(community):
    return Worker.objects.filter(community=community).select_related("user")
