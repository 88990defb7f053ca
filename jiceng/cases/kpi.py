"""Case KPIs (受理量, 响应率, 办结率, 按期办结率, 解决率, 满意率, 平均办理时长).

Every timeline event adds its counts to monthly CaseStat rows (and to its
community's row of the day) in the same transaction (record), so a dashboard reads
a few thousand rows instead of scanning every case. from_events computes the same
counters straight from the timeline: rebuild uses it to repair the rollup, and
tests assert both agree.
"""

import zoneinfo
from dataclasses import dataclass, replace
from datetime import date

from django.conf import settings
from django.db import connection, transaction
from django.db.models import CharField, Count, F, Q, Sum, Value
from django.db.models.functions import Cast, Coalesce, Substr, TruncDate, TruncMonth
from django.utils import timezone

from jiceng.core.planner import refresh_statistics
from jiceng.core.scope import path_prefix
from jiceng.places.models import Place

from .models import CaseEvent, CaseStat, StatDimension, Status

COMMUNITY_PATH_LENGTH = 3 * Place.steplen  # district / street / community
COUNTERS = (
    "received",
    "responded",
    "responded_on_time",
    "dispatched",
    "closed",
    "closed_on_time",
    "handle_seconds",
    "reopened",
    "cancelled",
    "rated",
    "satisfied",
)
SATISFIED_RATING = 4
RESPONSE_ACTIONS = ("accept", "dispatch", "cancel")


def month_of(moment) -> date:
    return timezone.localtime(moment).date().replace(day=1)


def event_counts(event) -> dict:
    """What one timeline event adds to the counters."""
    counts = {}
    action = event.action
    if action == "report":
        counts["received"] = 1
    if event.from_status == Status.REPORTED and action in RESPONSE_ACTIONS:
        counts["responded"] = 1
        if event.on_time:
            counts["responded_on_time"] = 1
    if action in ("dispatch", "transfer"):
        counts["dispatched"] = 1
    if action == "close":
        counts["closed"] = 1
        counts["handle_seconds"] = event.elapsed_seconds or 0
        if event.on_time:
            counts["closed_on_time"] = 1
    if action == "reopen":
        counts["reopened"] = 1
    if action in ("cancel", "merge"):
        counts["cancelled"] = 1
    if action in ("rate", "reopen") and event.rating:
        counts["rated"] = 1
        if event.rating >= SATISFIED_RATING:
            counts["satisfied"] = 1
    return counts


def cells(event, case):
    """The rollup cells an event of this case lands in."""
    month, path = month_of(event.at), case.place.path
    community = path[:COMMUNITY_PATH_LENGTH]
    found = [
        (StatDimension.PLACE, "", path),
        (StatDimension.CATEGORY, str(case.category_id), community),
        (StatDimension.DAY, timezone.localtime(event.at).date().isoformat(), community),
    ]
    if event.department_id:
        found.append((StatDimension.DEPARTMENT, str(event.department_id), community))
    return [(month, *cell) for cell in found]


def record(case, *events):
    """Add the events' counts to their cells in one statement: a cell is created
    with the counts or, when it exists, incremented (INSERT … ON CONFLICT DO
    UPDATE, which SQLite and PostgreSQL both speak). Events of one step that land
    in the same cell (a report and its automatic dispatch) are summed first: one
    statement may not touch a row twice."""
    by_cell, named = {}, set()
    for event in events:
        counts = event_counts(event)
        named.update(counts)
        for cell in cells(event, case) if counts else ():
            summed = by_cell.setdefault(cell, dict.fromkeys(COUNTERS, 0))
            for name, value in counts.items():
                summed[name] += value
    if not by_cell:
        return
    quote = connection.ops.quote_name
    # every counter column: the model's defaults are Django's, not the table's
    columns = ["month", "dimension", "key", "place_path", *COUNTERS]
    table = quote(CaseStat._meta.db_table)
    marks = ", ".join(["(" + ", ".join(["%s"] * len(columns)) + ")"] * len(by_cell))
    increments = ", ".join(
        f"{quote(name)} = {table}.{quote(name)} + excluded.{quote(name)}"
        for name in COUNTERS
        if name in named
    )
    with connection.cursor() as cursor:
        cursor.execute(  # names from the model and COUNTERS; values as parameters
            f"INSERT INTO {table} ({', '.join(map(quote, columns))}) "  # noqa: S608
            f"VALUES {marks} ON CONFLICT (dimension, month, {quote('key')}, "
            f"place_path) DO UPDATE SET {increments}",
            [
                value
                for cell, summed in by_cell.items()
                for value in (*cell, *(summed[name] for name in COUNTERS))
            ],
        )


# --- the same counters from the timeline (GROUP BY) -----------------------------------


def _aggregates():
    close = Q(action="close")
    rating = Q(action__in=("rate", "reopen"), rating__isnull=False)
    responded = Q(from_status=Status.REPORTED, action__in=RESPONSE_ACTIONS)
    return {
        "received": Count("pk", filter=Q(action="report")),
        "responded": Count("pk", filter=responded),
        "responded_on_time": Count("pk", filter=responded & Q(on_time=True)),
        "dispatched": Count("pk", filter=Q(action__in=("dispatch", "transfer"))),
        "closed": Count("pk", filter=close),
        "closed_on_time": Count("pk", filter=close & Q(on_time=True)),
        "handle_seconds": Coalesce(Sum("elapsed_seconds", filter=close), 0),
        "reopened": Count("pk", filter=Q(action="reopen")),
        "cancelled": Count("pk", filter=Q(action__in=("cancel", "merge"))),
        "rated": Count("pk", filter=rating),
        "satisfied": Count("pk", filter=rating & Q(rating__gte=SATISFIED_RATING)),
    }


def from_events(dimension, events=None, path="case__place_path"):
    """Rows like CaseStat's for one dimension, computed from the timeline.

    path: the lookup of the case's place path (a migration older than the path
    copy on the case reads it through the place)."""
    events = CaseEvent.objects.all() if events is None else events
    tz = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    events = events.annotate(month=TruncMonth("at", tzinfo=tz))
    community = Substr(path, 1, COMMUNITY_PATH_LENGTH)
    if dimension == StatDimension.PLACE:
        events = events.annotate(key=Value(""), place_path=F(path))
    elif dimension == StatDimension.DAY:
        day = Cast(TruncDate("at", tzinfo=tz), CharField())
        events = events.annotate(key=day, place_path=community)
    else:
        source = (
            "case__category_id"
            if dimension == StatDimension.CATEGORY
            else ("department_id")
        )
        events = events.annotate(key=Cast(source, CharField()), place_path=community)
        if dimension == StatDimension.DEPARTMENT:
            events = events.filter(department__isnull=False)
    rows = (
        events.values("month", "key", "place_path").annotate(**_aggregates()).order_by()
    )
    for row in rows:
        month = row["month"]
        row["month"] = month.date() if hasattr(month, "date") else month
        if any(row[name] for name in COUNTERS):
            yield row


def figures_by(events, key) -> dict:
    """Figures per value of key (a CaseEvent lookup) straight from the timeline: the
    cases handed to each compound's property company are key="case__grid"."""
    rows = events.values(group=F(key)).annotate(**_aggregates()).order_by()
    return {row.pop("group"): Figures(**row) for row in rows}


@transaction.atomic
def rebuild(path=""):
    """Recompute the rollup rows from the timeline (repair, or after an import).

    path: only the rows of that subtree (one district of a city), the others
    untouched; every cell lies under the path of its case's place."""
    rows, events = CaseStat.objects.all(), CaseEvent.objects.all()
    if path:
        rows = rows.filter(path_prefix(path, "place_path"))
        events = events.filter(path_prefix(path, "case__place_path"))
    rows.delete()
    batch = []
    for dimension in StatDimension.values:
        for row in from_events(dimension, events):
            batch.append(CaseStat(dimension=dimension, **row))
    CaseStat.objects.bulk_create(batch, batch_size=2000)
    refresh_statistics(CaseStat)  # the table was emptied and refilled
    return len(batch)


# --- reading -------------------------------------------------------------------------


@dataclass
class Figures:
    received: int = 0
    responded: int = 0
    responded_on_time: int = 0
    dispatched: int = 0
    closed: int = 0
    closed_on_time: int = 0
    handle_seconds: int = 0
    reopened: int = 0
    cancelled: int = 0
    rated: int = 0
    satisfied: int = 0

    @staticmethod
    def _rate(part, whole):
        return round(100 * part / whole, 1) if whole else None

    @property
    def response_rate(self):  # 响应率: responded within the limit
        return self._rate(self.responded_on_time, self.responded)

    @property
    def completion_rate(self):  # 办结率: closed of the valid cases received
        return self._rate(self.closed, self.received - self.cancelled)

    @property
    def on_time_rate(self):  # 按期办结率
        return self._rate(self.closed_on_time, self.closed)

    @property
    def resolution_rate(self):  # 解决率: closures the reporter did not reopen
        return self._rate(max(self.closed - self.reopened, 0), self.closed)

    @property
    def satisfaction_rate(self):  # 满意率: rated 4 or 5 stars
        return self._rate(self.satisfied, self.rated)

    @property
    def average_hours(self):
        return (
            round(self.handle_seconds / self.closed / 3600, 1) if self.closed else None
        )

    def for_department(self):
        """A department's intake is what was dispatched to it (派遣量 as 受理量)."""
        return replace(self, received=self.dispatched)

    def as_dict(self):
        data = {name: getattr(self, name) for name in COUNTERS}
        for name in (
            "response_rate",
            "completion_rate",
            "on_time_rate",
            "resolution_rate",
            "satisfaction_rate",
            "average_hours",
        ):
            data[name] = getattr(self, name)
        return data


def _sums():
    return {name: Coalesce(Sum(name), 0) for name in COUNTERS}


def stats(dimension, months, prefixes=("",), keys=None):
    """CaseStat rows of one dimension in [first, last] month within place prefixes."""
    first, last = months
    rows = CaseStat.objects.filter(
        dimension=dimension, month__gte=first, month__lte=last
    )
    condition = Q(pk__in=[])
    for prefix in prefixes:
        condition |= path_prefix(prefix, "place_path")
    rows = rows.filter(condition)
    if keys is not None:
        rows = rows.filter(key__in=[str(k) for k in keys])
    return rows


def totals(rows) -> Figures:
    return Figures(**rows.aggregate(**_sums()))


def grouped(rows, by) -> dict:
    """Figures per group: by="key", "month", or a path length (children of a place)."""
    if isinstance(by, int):
        rows = rows.annotate(group=Substr("place_path", 1, by))
    else:
        rows = rows.annotate(group=F(by))
    return {
        row.pop("group"): Figures(**row)
        for row in rows.values("group").annotate(**_sums()).order_by("group")
    }
