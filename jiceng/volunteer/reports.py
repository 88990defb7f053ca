"""Figures per place and period: registrations, active ratio, hours per member against
the yearly target, wishes collected/claimed/fulfilled, projects completed."""

from collections import defaultdict
from decimal import Decimal

from django.db.models import Count, Q, Sum

from jiceng.core.scope import path_prefix
from jiceng.places.models import Place, PlaceKind

from .models import (
    ClaimStatus,
    HoursStatus,
    MemberRegistration,
    Project,
    RegistrationStatus,
    ServiceHours,
    UnitRegistration,
    Wish,
    WishClaim,
    WishStatus,
)
from .services.registration import YEARLY_TARGET_HOURS, quarter_bounds, year_bounds

COLUMNS = [
    ("community", "社区"),
    ("units", "报到单位"),
    ("members", "报到党员"),
    ("active", "本期参与服务党员"),
    ("active_ratio", "活跃率"),
    ("hours", "党员服务时长"),
    ("hours_per_member", "人均时长"),
    ("target", "人均目标"),
    ("wishes_collected", "征集微心愿"),
    ("wishes_claimed", "认领微心愿"),
    ("wishes_done", "实现微心愿"),
    ("projects_done", "完成项目"),
]


def _grouped(queryset, key, **annotation):
    name, expression = next(iter(annotation.items()))
    return {
        row[key]: row[name] or 0
        for row in queryset.values(key).annotate(**{name: expression})
    }


def figures(*, actor, year, quarter=None, place=None):
    """One row per community in the actor's view (within place), plus a total."""
    start, end = quarter_bounds(year, quarter) if quarter else year_bounds(year)
    target = YEARLY_TARGET_HOURS / 4 if quarter else YEARLY_TARGET_HOURS
    prefix = place.path if place is not None else ""

    def within(queryset, lookup):
        return queryset.filter(path_prefix(prefix, f"{lookup}__path"))

    confirmed = Q(status=RegistrationStatus.CONFIRMED)
    members_qs = within(
        MemberRegistration.objects.visible_to(actor).filter(confirmed), "community"
    )
    units = _grouped(
        within(
            UnitRegistration.objects.visible_to(actor).filter(confirmed), "community"
        ),
        "community",
        n=Count("pk"),
    )
    members = _grouped(members_qs, "community", n=Count("pk"))
    served = ServiceHours.objects.filter(
        status=HoursStatus.CONFIRMED,
        started_at__gte=start,
        started_at__lt=end,
        volunteer__in=members_qs.values("volunteer"),
    )
    # members' hours counted at the community they registered to
    registered_at = dict(members_qs.values_list("volunteer", "community"))
    hours, active = defaultdict(Decimal), defaultdict(set)
    for volunteer, amount in served.values_list("volunteer", "hours"):
        community = registered_at.get(volunteer)
        hours[community] += amount
        active[community].add(volunteer)
    wishes = within(Wish.objects.visible_to(actor), "place")
    wish_rows = defaultdict(lambda: [0, 0, 0])
    community_of_wish = {}
    for pk, path, collected_at, status, done_at in wishes.values_list(
        "pk", "place__path", "collected_at", "status", "done_at"
    ):
        community_of_wish[pk] = path[: Place.steplen * 3]
        if start <= collected_at < end:
            wish_rows[community_of_wish[pk]][0] += 1
        if status == WishStatus.DONE and done_at and start <= done_at < end:
            wish_rows[community_of_wish[pk]][2] += 1
    for wish_id in (
        WishClaim.objects.filter(
            wish__in=wishes, claimed_at__gte=start, claimed_at__lt=end
        )
        .exclude(status=ClaimStatus.WITHDRAWN)
        .values_list("wish", flat=True)
    ):
        wish_rows[community_of_wish[wish_id]][1] += 1
    projects = _grouped(
        within(Project.objects.visible_to(actor), "community")
        .finished()
        .filter(
            done_at__gte=start,
            done_at__lt=end,
        ),
        "community",
        n=Count("pk"),
    )
    ids = set(units) | set(members) | set(projects)
    communities = {c.pk: c for c in Place.objects.filter(pk__in=ids)}
    by_path = {
        c.path: c
        for c in Place.objects.filter(
            kind=PlaceKind.COMMUNITY, path__in=list(wish_rows)
        )
    }
    for community in by_path.values():
        communities.setdefault(community.pk, community)
    rows = []
    for community in sorted(communities.values(), key=lambda c: c.path):
        w = wish_rows.get(community.path, [0, 0, 0])
        rows.append(
            _row(
                community.name,
                units.get(community.pk, 0),
                members.get(community.pk, 0),
                len(active.get(community.pk, ())),
                hours.get(community.pk, Decimal(0)),
                target,
                w,
                projects.get(community.pk, 0),
            )
        )
    total = _row(
        "合计",
        sum(r["units"] for r in rows),
        sum(r["members"] for r in rows),
        sum(r["active"] for r in rows),
        sum((r["hours"] for r in rows), Decimal(0)),
        target,
        [
            sum(r[k] for r in rows)
            for k in ("wishes_collected", "wishes_claimed", "wishes_done")
        ],
        sum(r["projects_done"] for r in rows),
    )
    return {"rows": rows, "total": total, "start": start, "end": end}


def _row(name, units, members, active, hours, target, wishes, projects):
    return {
        "community": name,
        "units": units,
        "members": members,
        "active": active,
        "active_ratio": round(active / members * 100, 1) if members else 0.0,
        "hours": hours,
        "hours_per_member": (hours / members).quantize(Decimal("0.1"))
        if members
        else Decimal(0),
        "target": target.quantize(Decimal("0.1")),
        "wishes_collected": wishes[0],
        "wishes_claimed": wishes[1],
        "wishes_done": wishes[2],
        "projects_done": projects,
    }


def table(result):
    """Rows for the Excel export: header, one row per community, the total."""
    header = [label for _key, label in COLUMNS]
    body = [
        [_cell(row[key]) for key, _label in COLUMNS]
        for row in [*result["rows"], result["total"]]
    ]
    return [header, *body]


def _cell(value):
    return float(value) if isinstance(value, Decimal) else value


def hours_total(volunteer_ids):
    return ServiceHours.objects.filter(
        volunteer_id__in=volunteer_ids, status=HoursStatus.CONFIRMED
    ).aggregate(h=Sum("hours"))["h"] or Decimal(0)
