"""Intake: a report from any channel becomes a numbered case, routed when a rule says
where it goes (琐事不出网格: to the grid, else to a department)."""

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from jiceng.core import audit
from jiceng.core.models import AuditAction
from jiceng.core.validators import validate_mobile
from jiceng.places.models import Place, PlaceKind

from .. import extensions, kpi, notify, photos, workdays
from ..errors import CaseError, field_error
from ..models import Case, CaseCounter, CaseEvent, Category, Channel
from ..workflow import Status
from .assignment import assign, grid_of
from .lookups import lookups
from .timeline import new_event


def _next_number(now):
    """AJ + date + a 5-digit sequence, from a per-day counter locked until the
    report commits: reading the highest committed number instead would hand the
    same number to two reports in flight at once. One UPDATE … RETURNING both
    locks the day's row and takes the next number."""
    day = timezone.localtime(now).date()
    prefix = f"AJ{day:%Y%m%d}"
    table = CaseCounter._meta.db_table
    for _attempt in range(2):
        with connection.cursor() as cursor:
            cursor.execute(  # table name from the model, the day as a parameter
                f"UPDATE {table} SET last = last + 1 WHERE day = %s RETURNING last",  # noqa: S608
                [day],
            )
            found = cursor.fetchone()
        if found is not None:
            return f"{prefix}{found[0]:05d}"
        # The day's first report: start its counter after any number already used.
        last = (
            Case.objects.filter(number__startswith=prefix)
            .order_by("-number")
            .values_list("number", flat=True)
            .first()
        )
        try:
            with transaction.atomic():
                CaseCounter.objects.create(
                    day=day, last=int(last[len(prefix) :]) if last else 0
                )
        except IntegrityError:
            pass  # another report created today's counter first
    raise RuntimeError(f"no case counter for {day}")


def grid_at(lng, lat):
    """The grid whose boundary holds the point, else the nearest grid centre."""
    grids = lookups().grids
    for outline in grids:
        if outline.holds(lng, lat):
            return outline.place
    located = [
        o.place for o in grids if o.place.lat is not None and o.place.lng is not None
    ]
    if not located:
        return None
    return min(located, key=lambda g: (g.lat - lat) ** 2 + (g.lng - lng) ** 2)


def compound_for(place, *, lat=None, lng=None, address=""):
    """The compound a report lies in: the place itself or its ancestor when it was
    reported on a compound, a building or a dwelling; else the compound of the
    place's grid (or of the subtree above it) whose boundary holds the point; else
    the one whose name or address the typed address mentions (longest first)."""
    if place is None:
        return None
    if place.kind in (PlaceKind.BUILDING, PlaceKind.ENTRANCE, PlaceKind.DWELLING):
        return place.ancestor_of_kind(PlaceKind.COMPOUND)
    if place.kind == PlaceKind.COMPOUND:
        return place
    area = grid_of(place) or place
    compounds = list(lookups().compounds_under(area.path))
    if lat is not None and lng is not None:
        for outline in compounds:
            if outline.holds(lng, lat):
                return outline.place
    address = (address or "").strip()
    if address:
        named = [
            o.place
            for o in compounds
            if len(o.place.name) >= 2 and o.place.name in address
        ]
        named += [
            o.place for o in compounds if o.place.address and o.place.address in address
        ]
        if named:
            return max(named, key=lambda c: len(c.name))
    return None


def route(case):
    """The rule for the case's category (or its big class) nearest its place."""
    rules = lookups().rules
    lineage = set(Place.lineage_paths(case.place.path))
    found = [
        rule
        for category_id in (case.category_id, case.category.parent_id)
        if category_id
        for rule in rules.get(category_id, ())
        if rule.place.path in lineage
    ]
    # the most specific place first, then the small class over the big one
    return max(
        found,
        key=lambda r: (len(r.place.path), r.category_id == case.category_id),
        default=None,
    )


def category_by_code(code):
    """The category with this code, its parent loaded, or None."""
    return lookups().categories.get(code or "")


def categories_for_reporting():
    return Category.objects.reportable().select_related("parent")


def report_case(
    *,
    actor,
    category,
    description,
    channel=Channel.SNAPSHOT,
    place=None,
    lat=None,
    lng=None,
    address="",
    reporter_name="",
    reporter_phone="",
    anonymous=False,
    images=(),
    **extra,
):
    """Register a case from any channel; route it when a rule says where it goes.

    extra: channel-specific fields (media_url, open311_key, external_ref).

    Everything that only reads (the grid under the point, the routing rule, the
    time limits) and the photos' re-encoding happen before the transaction: its
    writes then hold SQLite's write lock and the day's number counter as briefly
    as they can.
    """
    description = (description or "").strip()
    if len(description) < 4:
        raise field_error(
            "description", "请描述问题（至少4个字）", CaseError.DESCRIPTION
        )
    if not category.is_reportable:
        raise field_error("category", "请选择具体的小类", CaseError.CATEGORY)
    if place is None and lat is not None and lng is not None:
        place = grid_at(lng, lat)
    if place is None:
        raise field_error("place", "请在地图上选择位置或选择所在网格", CaseError.PLACE)
    phone = validate_mobile(reporter_phone) if reporter_phone else ""
    prepared = [photos.prepare(image) for image in images]  # reject bad files first
    now = timezone.now()
    case = Case(
        category=category,
        description=description,
        place=place,
        address=address[:200],
        lat=lat,
        lng=lng,
        channel=channel,
        compound=compound_for(place, lat=lat, lng=lng, address=address),
        reporter=actor if getattr(actor, "is_authenticated", False) else None,
        reporter_name="" if anonymous else reporter_name[:50],
        reporter_phone=phone,
        anonymous=anonymous,
        respond_due=workdays.add_working_hours(now, category.respond_hours),
        **extra,
    )
    # The report as received, then — when a rule says where it goes — its
    # automatic dispatch; the case row is written once, in its final state.
    events = [new_event(case, "report", actor, Channel(channel).label)]
    rule = route(case)
    grid = grid_of(case.place) if rule is not None and rule.to_grid else None
    if rule is not None and rule.department is None and grid is None:
        rule = None  # "to its grid", but the case lies above any grid: dispatch it
    if rule is not None:
        case.status = Status.DISPATCHED
        assign(case, department=rule.department, grid=grid, now=now)
        events.append(
            new_event(
                case,
                "dispatch",
                None,
                f"按派遣规则自动派往{rule.department or '所在网格'}",
                from_status=Status.REPORTED,
            )
        )
    elif (proposal := extensions.auto_dispatch(case)) is not None:
        # no rule: a registered dispatcher (intelligence) may propose one
        department, grid, note = proposal
        rule = proposal
        case.status = Status.DISPATCHED
        assign(case, department=department, grid=grid, now=now)
        events.append(
            new_event(case, "dispatch", None, note, from_status=Status.REPORTED)
        )
    action = "dispatch" if rule else "report"
    audiences = notify.audiences_after_step(case, action, actor)
    with transaction.atomic():
        case.number = _next_number(now)
        case.save()
        for event in events:
            event.case = case
        CaseEvent.objects.bulk_create(events)
        kpi.record(case, *events)
        for image, thumb in prepared:
            photos.attach(case, image, thumb, stage="report")
        audit.record(
            actor=actor if getattr(actor, "is_authenticated", False) else None,
            action=AuditAction.CREATE,
            target=case,
            changes={"category": category.code, "channel": channel},
        )
        notify.after_step(case, action, actor, audiences)
    return case
