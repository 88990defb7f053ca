"""The workflow steps, one service each, and the reporter's rating.

Every step runs the same way (_taking): outside the transaction its own inputs
are checked (and photos re-encoded); inside, the case row is locked, the version
the actor saw is compared, the step's source status, the actor's scope for the
step's permission and — for the handler's steps — Case.handled_by are checked;
then the step changes the row, which is saved with its timeline event and audit
row, scope is checked again, and the next person to act is told.
"""

import inspect
from contextlib import contextmanager
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from jiceng.core import audit
from jiceng.core.errors import check_version
from jiceng.core.models import AuditAction
from jiceng.core.scope import can, require_in_scope

from .. import extensions, notify, photos, workdays
from ..errors import CaseError, field_error
from ..models import Case
from ..workflow import (
    ACCEPT,
    CANCEL,
    CLOSE,
    DISPATCH,
    EXTEND,
    HANDLE,
    HOLD,
    REDO,
    REJECT,
    RELEASE,
    STEPS,
    SUPERVISE,
    TRANSFER,
    VERIFY,
    Status,
)
from .assignment import assign, check_assignee
from .timeline import add_event

REOPEN_DAYS = 7
# The fields a step may change, compared before and after for its audit row.
AUDITED = (
    "status",
    "department_id",
    "grid_id",
    "handle_due",
    "supervised",
    "on_hold",
    "extended",
    "rating",
    "handler_id",
)

MAX_EXTENSION_DAYS = 30  # one extension adds at most this many working days


def _locked(case):
    # of=self: PostgreSQL refuses FOR UPDATE on the nullable side of a join.
    return (
        Case.objects.select_for_update(of=("self",))
        .select_related("category", "place", "grid")
        .get(pk=case.pk)
    )


def _snapshot(case):
    return {name: getattr(case, name) for name in AUDITED}


def _bad_state(case, step):
    if case.status in step.sources and step.on_hold is not None:
        state = "已挂账" if case.on_hold else "未挂账"
        return ValidationError(
            f"案件{state}，不能{step.label}", code=CaseError.BAD_STATE
        )
    return ValidationError(
        f"案件当前为“{case.get_status_display()}”，不能{step.label}",
        code=CaseError.BAD_STATE,
    )


def _own_handling(step, case, actor) -> bool:
    """Whether the actor would check their own handling (核查 needs another person)."""
    return (
        step.not_by_handler
        and case.handler_id is not None
        and case.handler_id == getattr(actor, "pk", None)
    )


SELF_CHECK = "核查须由处置人以外的人员进行：该案件由您处置，请由其他网格员或社区核查"


@contextmanager
def _taking(step, *, actor, case, version, note):
    """Lock and check the case, let the step change it, then record the step."""
    note = (note or "").strip()
    if step.needs_note and not note:
        raise field_error("note", f"请填写{step.label}的说明", CaseError.NOTE_REQUIRED)
    with transaction.atomic():
        locked = _locked(case)
        check_version(locked, version)
        if not step.applies_to(locked):
            raise _bad_state(locked, step)
        if not can(actor, locked, step.permission):
            raise PermissionDenied("您无权对该案件执行此操作")
        if step.assignee_only and not locked.is_handled_by(actor):
            raise PermissionDenied("只有承办单位可以执行此操作")
        if _own_handling(step, locked, actor):
            raise ValidationError(SELF_CHECK, code=CaseError.SELF_CHECK)
        before = _snapshot(locked)
        yield locked
        if step.target is not None:
            locked.status = step.target
        locked.version += 1
        locked.save()
        add_event(locked, step.name, actor, note, from_status=before["status"])
        audit.record(
            actor=actor,
            action=AuditAction.UPDATE,
            target=locked,
            changes={"step": step.name, **audit.diff(before, _snapshot(locked))},
        )
        if not step.hands_back:
            require_in_scope(locked, actor, step.permission)
        notify.after_step(locked, step.name, actor)


def _status_only(step, **taking):
    """A step that moves the status and nothing else."""
    with _taking(step, **taking) as case:
        pass
    return case


def _assigning(step, *, department, grid, **taking):
    """Dispatch or transfer: the case goes to a department and/or a place in its own
    grid that lies within the dispatcher's reach, with a fresh handling limit."""
    if grid is not None:
        require_in_scope(grid, taking["actor"], "view")
    with _taking(step, **taking) as case:
        check_assignee(case, department=department, grid=grid)
        assign(case, department=department, grid=grid, now=timezone.now())
    extensions.dispatched(case, taking["actor"], step.name)
    return case


def accept_case(*, actor, case, version, note=""):
    """受理立案: the dispatcher takes a reported case on."""
    return _status_only(ACCEPT, actor=actor, case=case, version=version, note=note)


def cancel_case(*, actor, case, version, note=""):
    """撤销: a report that is no case (a duplicate, out of remit) is withdrawn."""
    return _status_only(CANCEL, actor=actor, case=case, version=version, note=note)


def dispatch_case(*, actor, case, version, department=None, grid=None, note=""):
    """派遣: hand an accepted case to a department and/or a grid (or compound)."""
    taking = {"actor": actor, "case": case, "version": version, "note": note}
    return _assigning(DISPATCH, department=department, grid=grid, **taking)


def transfer_case(*, actor, case, version, department=None, grid=None, note=""):
    """转办: hand a case in hand to another department or grid, limit restarted."""
    taking = {"actor": actor, "case": case, "version": version, "note": note}
    return _assigning(TRANSFER, department=department, grid=grid, **taking)


def reject_case(*, actor, case, version, note=""):
    """退单: the handler returns a case that is not theirs to the dispatcher."""
    with _taking(REJECT, actor=actor, case=case, version=version, note=note) as c:
        c.department = c.grid = None
        c.handle_due = None
        c.on_hold, c.held_at = False, None
    return c


def handle_case(*, actor, case, version, note="", images=()):
    """处置反馈: the handler reports what was done, with photos of the result."""
    prepared = [photos.prepare(image) for image in images]  # before the row lock
    with _taking(HANDLE, actor=actor, case=case, version=version, note=note) as c:
        now = timezone.now()
        c.result, c.handled_at = (note or "").strip(), now
        c.handler = actor if getattr(actor, "is_authenticated", False) else None
        c.verify_due = workdays.add_working_days(now, c.category.verify_days)
        for image, thumb in prepared:
            photos.attach(c, image, thumb, stage="handled")
    return c


def verify_case(*, actor, case, version, note=""):
    """核查通过: the check on site finds the problem solved."""
    return _status_only(VERIFY, actor=actor, case=case, version=version, note=note)


def redo_case(*, actor, case, version, note=""):
    """核查不通过: back to the handler, who works on under the same limit."""
    return _status_only(REDO, actor=actor, case=case, version=version, note=note)


def close_case(*, actor, case, version, note=""):
    """结案: the dispatcher closes a verified case; its reporter may rate it."""
    with _taking(CLOSE, actor=actor, case=case, version=version, note=note) as c:
        c.closed_at = timezone.now()
    return c


def extend_case(*, actor, case, version, days=None, note=""):
    """延期: the handling limit moves by some working days (approved, with reason)."""
    if not days or not 1 <= int(days) <= MAX_EXTENSION_DAYS:
        raise field_error(
            "days",
            f"请填写延期的工作日数（1至{MAX_EXTENSION_DAYS}）",
            CaseError.BAD_DAYS,
        )
    with _taking(EXTEND, actor=actor, case=case, version=version, note=note) as c:
        c.handle_due = workdays.add_working_days(
            c.handle_due or timezone.now(), int(days)
        )
        c.extended = True
    return c


def supervise_case(*, actor, case, version, note=""):
    """督办: the dispatcher marks a case for supervision; its handlers are told."""
    with _taking(SUPERVISE, actor=actor, case=case, version=version, note=note) as c:
        c.supervised = True
    return c


def hold_case(*, actor, case, version, note=""):
    """挂账: a case that waits on something outside (funds, works) stops its clock."""
    with _taking(HOLD, actor=actor, case=case, version=version, note=note) as c:
        c.on_hold, c.held_at = True, timezone.now()
    return c


def release_case(*, actor, case, version, note=""):
    """解除挂账: the outside cause is settled; the handling clock runs on with the
    time it had left when the case was put on the ledger (at least none: a case
    already late when held is late again at once)."""
    with _taking(RELEASE, actor=actor, case=case, version=version, note=note) as c:
        now = timezone.now()
        if c.handle_due is not None and c.held_at is not None:
            c.handle_due = now + max(c.handle_due - c.held_at, timedelta(0))
        c.on_hold, c.held_at = False, None
    return c


STEP_SERVICES = {
    ACCEPT.name: accept_case,
    CANCEL.name: cancel_case,
    DISPATCH.name: dispatch_case,
    TRANSFER.name: transfer_case,
    REJECT.name: reject_case,
    HANDLE.name: handle_case,
    VERIFY.name: verify_case,
    REDO.name: redo_case,
    CLOSE.name: close_case,
    EXTEND.name: extend_case,
    SUPERVISE.name: supervise_case,
    HOLD.name: hold_case,
    RELEASE.name: release_case,
}


def take_step(name, *, actor, case, version, **fields):
    """Take the step a transport names (the API's {step}, the step form's button),
    passing it those of the transport's fields that its service takes."""
    service = STEP_SERVICES.get(name)
    if service is None:
        raise ValidationError(f"未知操作：{name}", code=CaseError.UNKNOWN_STEP)
    takes = inspect.signature(service).parameters
    arguments = {key: value for key, value in fields.items() if key in takes}
    return service(actor=actor, case=case, version=version, **arguments)


def available_steps(actor, case):
    """The steps this actor may take on the case now (for buttons and the API)."""
    allowed, handles = {}, None
    names = []
    for name, step in STEPS.items():
        if not step.applies_to(case) or _own_handling(step, case, actor):
            continue
        if step.permission not in allowed:
            allowed[step.permission] = can(actor, case, step.permission)
        if not allowed[step.permission]:
            continue
        if step.assignee_only:
            handles = case.is_handled_by(actor) if handles is None else handles
            if not handles:
                continue
        names.append(name)
    return names


RATER = "上报人（公开进度页）"


@transaction.atomic
def rate_case(*, case, rating, comment="", reopen=False):
    """The reporter rates a closed case (by its public token); dissatisfied, they may
    reopen it within REOPEN_DAYS. The page holds no login, so the audit row names
    the reporter's page, not a user."""
    case = _locked(case)
    if case.status != Status.CLOSED:
        raise ValidationError("案件结案后才能评价", code=CaseError.BAD_STATE)
    if not 1 <= int(rating) <= 5:
        raise field_error("rating", "评价为1到5星", CaseError.RATING)
    if case.rating is not None and not reopen:
        raise ValidationError("已评价过", code=CaseError.RATED)
    before = _snapshot(case)
    case.rating, case.rating_comment = int(rating), (comment or "").strip()[:300]
    if reopen:
        if case.rating > 2:
            raise ValidationError("满意的案件不能重新办理", code=CaseError.SATISFIED)
        if timezone.now() - case.closed_at > timedelta(days=REOPEN_DAYS):
            raise ValidationError(
                f"结案{REOPEN_DAYS}天后不能再申请重新办理", code=CaseError.TOO_LATE
            )
        case.status, case.closed_at = Status.ACCEPTED, None
        case.department = case.grid = None
    case.version += 1
    case.save()
    action = "reopen" if reopen else "rate"
    add_event(
        case,
        action,
        None,
        f"{case.rating}星 {case.rating_comment}".strip(),
        from_status=before["status"],
    )
    audit.record(
        actor=RATER,
        action=AuditAction.UPDATE,
        target=case,
        changes={"step": action, **audit.diff(before, _snapshot(case))},
    )
    if reopen:
        notify.after_step(case, "reopen", None)
    return case
