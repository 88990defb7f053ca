"""The case loop's rules: report, route, every workflow step, rating.

Pages, the API, Open311 and the tasks all call these functions. Each step checks
the case's state, the actor's role and scope, and the version the actor saw; it
writes a timeline event and an audit row.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone

from jiceng.core import audit
from jiceng.core.errors import Conflict
from jiceng.core.models import AuditAction
from jiceng.core.scope import grants_for
from jiceng.core.validators import validate_mobile
from jiceng.places.models import Place, PlaceKind

from . import kpi, notify, photos, workdays
from .models import Case, CaseCounter, CaseEvent, Category, Channel, RoutingRule, Status

REOPEN_DAYS = 7
MAX_EXTENSION_DAYS = 30  # one extension adds at most this many working days
SYSTEM = "系统"


@dataclass(frozen=True)
class Step:
    label: str
    sources: tuple
    target: str | None  # None: the status stays (a flag or a reassignment)
    permission: str  # "dispatch", "handle" or "verify" (cases.<action>)
    needs_note: bool = False
    assignee_only: bool = False


STEPS = {
    "accept": Step("受理立案", (Status.REPORTED,), Status.ACCEPTED, "dispatch"),
    "cancel": Step(
        "撤销",
        (Status.REPORTED, Status.ACCEPTED),
        Status.CANCELLED,
        "dispatch",
        needs_note=True,
    ),
    "dispatch": Step("派遣", (Status.ACCEPTED,), Status.DISPATCHED, "dispatch"),
    "transfer": Step(
        "转办", (Status.DISPATCHED,), Status.DISPATCHED, "dispatch", needs_note=True
    ),
    "reject": Step(
        "退单",
        (Status.DISPATCHED,),
        Status.ACCEPTED,
        "handle",
        needs_note=True,
        assignee_only=True,
    ),
    "handle": Step(
        "处置反馈",
        (Status.DISPATCHED,),
        Status.HANDLED,
        "handle",
        needs_note=True,
        assignee_only=True,
    ),
    "verify": Step("核查通过", (Status.HANDLED,), Status.VERIFIED, "verify"),
    "redo": Step(
        "核查不通过", (Status.HANDLED,), Status.DISPATCHED, "verify", needs_note=True
    ),
    "close": Step("结案", (Status.VERIFIED,), Status.CLOSED, "dispatch"),
    "extend": Step("延期", (Status.DISPATCHED,), None, "dispatch", needs_note=True),
    "supervise": Step(
        "督办",
        (Status.ACCEPTED, Status.DISPATCHED, Status.HANDLED),
        None,
        "dispatch",
        needs_note=True,
    ),
    "hold": Step("挂账", (Status.DISPATCHED,), None, "dispatch", needs_note=True),
}


# --- reporting -----------------------------------------------------------------------


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


def _point_in_ring(lng, lat, ring):
    inside = False
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=False):
        if (y1 > lat) != (y2 > lat) and lng < (x2 - x1) * (lat - y1) / (y2 - y1) + x1:
            inside = not inside
    return inside


def _contains(geometry, lng, lat):
    if not geometry:
        return False
    if geometry.get("type") == "Polygon":
        polygons = [geometry["coordinates"]]
    elif geometry.get("type") == "MultiPolygon":
        polygons = geometry["coordinates"]
    else:
        return False
    return any(
        _point_in_ring(lng, lat, [tuple(p) for p in poly[0]]) for poly in polygons
    )


def grid_at(lng, lat):
    """The grid whose boundary holds the point, else the nearest grid centre."""
    grids = list(
        Place.objects.filter(kind=PlaceKind.GRID).only(
            "pk", "path", "geometry", "lat", "lng"
        )
    )
    for grid in grids:
        if _contains(grid.geometry, lng, lat):
            return grid
    located = [g for g in grids if g.lat is not None and g.lng is not None]
    if not located:
        return None
    return min(located, key=lambda g: (g.lat - lat) ** 2 + (g.lng - lng) ** 2)


def route(case):
    """The rule for the case's category (or its big class) nearest its place."""
    categories = [case.category_id]
    if case.category.parent_id:
        categories.append(case.category.parent_id)
    rules = RoutingRule.objects.filter(
        category_id__in=categories, place__path__in=Place.lineage_paths(case.place.path)
    ).select_related("place", "department")
    # the most specific place first, then the small class over the big one
    return max(
        rules,
        key=lambda r: (len(r.place.path), r.category_id == case.category_id),
        default=None,
    )


def _measures(case, action, from_status, now):
    """What the step measures for the KPIs (see kpi.event_counts)."""
    measures = {"department_id": case.department_id}
    if from_status == Status.REPORTED and action in kpi.RESPONSE_ACTIONS:
        measures["on_time"] = case.respond_due is None or now <= case.respond_due
    if action == "close":
        handled = case.handled_at or now
        measures["on_time"] = case.escalation == 0 and (
            case.handle_due is None or handled <= case.handle_due
        )
        measures["elapsed_seconds"] = int((now - case.created_at).total_seconds())
    if action in ("rate", "reopen"):
        measures["rating"] = case.rating
    return measures


def _new_event(case, action, actor, note="", from_status=""):
    """A timeline step of the case as it is now (saved by the caller)."""
    return CaseEvent(
        case=case,
        action=action,
        from_status=from_status,
        to_status=case.status,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        actor_name=str(actor) if actor else SYSTEM,
        note=note,
        **_measures(case, action, from_status, timezone.now()),
    )


def _event(case, action, actor, note="", from_status=""):
    """Put a step on the timeline and count it in the KPI rollup, atomically."""
    event = _new_event(case, action, actor, note, from_status)
    event.save()
    kpi.record(case, event)
    return event


def _grid_of(place):
    return (
        place.ancestor_of_kind(PlaceKind.GRID)
        if place.kind != PlaceKind.GRID
        else place
    )


def _assign(case, *, department=None, grid=None, now):
    if department is None and grid is None:
        raise ValidationError("请选择承办部门或网格", code="no_assignee")
    case.department, case.grid = department, grid
    case.dispatched_at = now
    case.handle_due = workdays.add_working_days(now, case.category.handle_days)
    case.extended = False


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
    time limits) happens before the transaction: its writes then hold SQLite's
    write lock and the day's number counter as briefly as they can.
    """
    description = (description or "").strip()
    if len(description) < 4:
        raise ValidationError({"description": "请描述问题（至少4个字）"})
    if not category.active or category.parent_id is None:
        raise ValidationError({"category": "请选择具体的小类"})
    if place is None and lat is not None and lng is not None:
        place = grid_at(lng, lat)
    if place is None:
        raise ValidationError({"place": "请在地图上选择位置或选择所在网格"})
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
        reporter=actor if getattr(actor, "is_authenticated", False) else None,
        reporter_name="" if anonymous else reporter_name[:50],
        reporter_phone=phone,
        anonymous=anonymous,
        respond_due=workdays.add_working_hours(now, category.respond_hours),
        **extra,
    )
    # The report as received, then — when a rule says where it goes — its
    # automatic dispatch; the case row is written once, in its final state.
    events = [_new_event(case, "report", actor, Channel(channel).label)]
    rule = route(case)
    if rule is not None:
        case.status = Status.DISPATCHED
        _assign(
            case,
            department=rule.department,
            grid=_grid_of(case.place) if rule.to_grid else None,
            now=now,
        )
        events.append(
            _new_event(
                case,
                "dispatch",
                None,
                f"按派遣规则自动派往{rule.department or '所在网格'}",
                from_status=Status.REPORTED,
            )
        )
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
        notify.after_step(case, "dispatch" if rule else "report", actor)
    return case


# --- workflow ------------------------------------------------------------------------


def _is_assignee(actor, case):
    if actor.is_superuser:
        return True
    for grant in grants_for(actor):
        if not grant.allows("cases.handle"):
            continue
        if case.department_id and grant.department_id == case.department_id:
            return True
        if (
            case.grid_id
            and grant.place_path
            and case.grid.path.startswith(grant.place_path)
        ):
            return True
    return False


def available_steps(actor, case):
    """The steps this actor may take on the case now (for buttons and the API)."""
    names = []
    for name, step in STEPS.items():
        if case.status not in step.sources:
            continue
        if (
            not Case.objects.visible_to(actor, step.permission)
            .filter(pk=case.pk)
            .exists()
        ):
            continue
        if step.assignee_only and not _is_assignee(actor, case):
            continue
        names.append(name)
    return names


@transaction.atomic
def perform(
    *,
    actor,
    case,
    step,
    version,
    note="",
    department=None,
    grid=None,
    days=None,
    images=(),
):
    """Take one workflow step; the version is the one the actor saw."""
    if step not in STEPS:
        raise ValidationError(f"未知操作：{step}", code="unknown_step")
    rule = STEPS[step]
    case = (
        # of=self: PostgreSQL refuses FOR UPDATE on the nullable side of a join.
        Case.objects.select_for_update(of=("self",))
        .select_related("category", "place", "grid")
        .get(pk=case.pk)
    )
    if case.version != version:
        raise Conflict()
    if case.status not in rule.sources:
        raise ValidationError(
            f"案件当前为“{case.get_status_display()}”，不能{rule.label}",
            code="bad_state",
        )
    if not Case.objects.visible_to(actor, rule.permission).filter(pk=case.pk).exists():
        raise PermissionDenied("您无权对该案件执行此操作")
    if rule.assignee_only and not _is_assignee(actor, case):
        raise PermissionDenied("只有承办单位可以执行此操作")
    note = (note or "").strip()
    if rule.needs_note and not note:
        raise ValidationError({"note": f"请填写{rule.label}的说明"})
    now, before = timezone.now(), case.status
    prepared = [photos.prepare(image) for image in images]
    if step in ("dispatch", "transfer"):
        _assign(case, department=department, grid=grid, now=now)
    elif step == "reject":
        case.department = case.grid = None
        case.handle_due = None
    elif step == "handle":
        case.result, case.handled_at = note, now
        case.verify_due = workdays.add_working_days(now, case.category.verify_days)
    elif step == "close":
        case.closed_at = now
    elif step == "extend":
        if not days or not 1 <= days <= MAX_EXTENSION_DAYS:
            raise ValidationError(
                {"days": f"请填写延期的工作日数（1至{MAX_EXTENSION_DAYS}）"}
            )
        case.handle_due = workdays.add_working_days(case.handle_due or now, days)
        case.extended = True
    elif step == "supervise":
        case.supervised = True
    elif step == "hold":
        case.on_hold = True
    if rule.target is not None:
        case.status = rule.target
    case.version += 1
    case.save()
    for image, thumb in prepared:
        photos.attach(case, image, thumb, stage="handled")
    _event(case, step, actor, note, from_status=before)
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=case,
        changes={"step": step, "from": before, "to": case.status},
    )
    notify.after_step(case, step, actor)
    return case


@transaction.atomic
def rate_case(*, case, rating, comment="", reopen=False):
    """The reporter rates a closed case (by its public token); dissatisfied, they may
    reopen it within REOPEN_DAYS."""
    case = (
        Case.objects.select_for_update(of=("self",))
        .select_related("category", "place")
        .get(pk=case.pk)
    )
    if case.status != Status.CLOSED:
        raise ValidationError("案件结案后才能评价", code="bad_state")
    if not 1 <= int(rating) <= 5:
        raise ValidationError({"rating": "评价为1到5星"})
    if case.rating is not None and not reopen:
        raise ValidationError("已评价过", code="rated")
    case.rating, case.rating_comment = int(rating), (comment or "").strip()[:300]
    before = case.status
    if reopen:
        if case.rating > 2:
            raise ValidationError("满意的案件不能重新办理", code="satisfied")
        if timezone.now() - case.closed_at > timedelta(days=REOPEN_DAYS):
            raise ValidationError(
                f"结案{REOPEN_DAYS}天后不能再申请重新办理", code="too_late"
            )
        case.status, case.closed_at = Status.ACCEPTED, None
        case.department = case.grid = None
    case.version += 1
    case.save()
    _event(
        case,
        "reopen" if reopen else "rate",
        None,
        f"{case.rating}星 {case.rating_comment}".strip(),
        from_status=before,
    )
    if reopen:
        notify.after_step(case, "reopen", None)
    return case


def overdue(queryset, now=None):
    """Open cases past their handling limit, not on hold (挂账 does not escalate)."""
    now = now or timezone.now()
    return queryset.filter(status=Status.DISPATCHED, handle_due__lt=now, on_hold=False)


def past_due(queryset, now=None):
    """Cases past the limit of their current stage: response, handling, verification."""
    now = now or timezone.now()
    return queryset.filter(
        Q(status__in=(Status.REPORTED, Status.ACCEPTED), respond_due__lt=now)
        | Q(status=Status.DISPATCHED, handle_due__lt=now, on_hold=False)
        | Q(status=Status.HANDLED, verify_due__lt=now)
    )


def categories_for_reporting():
    return Category.objects.filter(active=True, parent__isnull=False).select_related(
        "parent"
    )


ESCALATION_LEVELS = ["网格", "社区", "街道", "区"]


def escalate_overdue(now=None) -> int:
    """琐事不出网格、小事不出社区、大事不出街道: a case past its limit moves up one level
    (supervised from there) each time the sweep finds it still overdue. Cases on hold
    (挂账) or under an approved extension's new limit are left alone."""
    now = now or timezone.now()
    moved = 0
    for case in overdue(
        Case.objects.filter(escalation__lt=len(ESCALATION_LEVELS) - 1), now
    ):
        with transaction.atomic():
            locked = (
                Case.objects.select_for_update(of=("self",))
                .select_related("category", "place", "grid")
                .get(pk=case.pk)
            )
            if locked.on_hold or locked.status != Status.DISPATCHED:
                continue
            locked.escalation += 1
            locked.supervised = True
            # the next sweep looks again one working day later
            locked.handle_due = workdays.add_working_days(now, 1)
            locked.version += 1
            locked.save()
            _event(
                locked,
                "escalate",
                None,
                f"超期未办结，升级至{ESCALATION_LEVELS[locked.escalation]}督办",
                from_status=locked.status,
            )
            notify.after_step(locked, "escalate", None)
            moved += 1
    return moved


# --- duplicates ----------------------------------------------------------------------

MERGEABLE = (Status.REPORTED, Status.ACCEPTED, Status.DISPATCHED)


@transaction.atomic
def merge_case(*, actor, case, into, version):
    """Merge a duplicate into the case that carries on (撤销 as 重复, reporters kept).

    The duplicate's reporters follow the surviving case: its public page shows
    that case's progress and they are told when it closes."""
    if case.pk == into.pk:
        raise ValidationError("不能合并到案件自身", code="self_merge")
    locked = {
        c.pk: c
        for c in Case.objects.select_for_update(of=("self",))  # in id order
        .select_related("category", "place")
        .filter(pk__in=(case.pk, into.pk))
        .order_by("pk")
    }
    case, into = locked[case.pk], locked[into.pk]
    if case.version != version:
        raise Conflict()
    if case.status not in MERGEABLE:
        raise ValidationError(
            f"案件当前为“{case.get_status_display()}”，不能合并", code="bad_state"
        )
    if not into.is_open or into.merged_into_id:
        raise ValidationError(
            "目标案件已结案或已被合并，不能作为合并目标", code="bad_target"
        )
    for target in (case, into):
        if not Case.objects.visible_to(actor, "dispatch").filter(pk=target.pk).exists():
            raise PermissionDenied("您无权合并这些案件")
    before = case.status
    case.status, case.merged_into = Status.CANCELLED, into
    case.version += 1
    case.save()
    # cases merged into the duplicate earlier follow it to the survivor
    Case.objects.filter(merged_into=case).update(merged_into=into)
    _event(case, "merge", actor, f"与 {into.number} 重复，已合并", from_status=before)
    into.version += 1
    into.save(update_fields=["version"])
    _event(
        into, "merged_in", actor, f"并入重复上报 {case.number}", from_status=into.status
    )
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=case,
        changes={"step": "merge", "into": into.number},
    )
    return case
