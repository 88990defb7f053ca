"""The case workflow as data: statuses, the steps between them, the stage limits.

受理/立案 → 派遣 → 处置 → 核查 → 结案, with 退单, 转办, 督办, 挂账 (and 解除挂账),
延期 and 撤销.
Models, services, forms and templates read these tables; nothing else decides
which step leads where, or which limit a case is running against.
"""

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    REPORTED = "reported", _("待受理")
    ACCEPTED = "accepted", _("待派遣")
    DISPATCHED = "dispatched", _("处置中")
    HANDLED = "handled", _("待核查")
    VERIFIED = "verified", _("待结案")
    CLOSED = "closed", _("已结案")
    CANCELLED = "cancelled", _("已撤销")


OPEN_STATUSES = (
    Status.REPORTED,
    Status.ACCEPTED,
    Status.DISPATCHED,
    Status.HANDLED,
    Status.VERIFIED,
)


@dataclass(frozen=True)
class Step:
    """One workflow step: from which statuses, to which, and who may take it."""

    name: str
    label: str
    sources: tuple
    target: str | None  # None: the status stays (a flag or a reassignment)
    permission: str  # "dispatch", "handle" or "verify" (cases.<action>)
    needs_note: bool = False
    # Only the department or place the case is dispatched to (Case.handled_by).
    assignee_only: bool = False
    # The step hands the case out of the actor's reach on purpose (退单 returns it
    # to the dispatcher), so scope is not re-checked after it.
    hands_back: bool = False
    # Whether the case must be on hold (True) or not (False) for the step; None: any.
    on_hold: bool | None = None
    # 核查 is done by someone other than whoever reported it handled (Case.handler).
    not_by_handler: bool = False

    def applies_to(self, case) -> bool:
        """Whether the case is in a state this step starts from."""
        return case.status in self.sources and (
            self.on_hold is None or case.on_hold == self.on_hold
        )


ACCEPT = Step("accept", "受理立案", (Status.REPORTED,), Status.ACCEPTED, "dispatch")
CANCEL = Step(
    "cancel",
    "撤销",
    (Status.REPORTED, Status.ACCEPTED),
    Status.CANCELLED,
    "dispatch",
    needs_note=True,
)
DISPATCH = Step("dispatch", "派遣", (Status.ACCEPTED,), Status.DISPATCHED, "dispatch")
TRANSFER = Step(
    "transfer",
    "转办",
    (Status.DISPATCHED,),
    Status.DISPATCHED,
    "dispatch",
    needs_note=True,
)
REJECT = Step(
    "reject",
    "退单",
    (Status.DISPATCHED,),
    Status.ACCEPTED,
    "handle",
    needs_note=True,
    assignee_only=True,
    hands_back=True,
)
HANDLE = Step(
    "handle",
    "处置反馈",
    (Status.DISPATCHED,),
    Status.HANDLED,
    "handle",
    needs_note=True,
    assignee_only=True,
)
VERIFY = Step(
    "verify",
    "核查通过",
    (Status.HANDLED,),
    Status.VERIFIED,
    "verify",
    not_by_handler=True,
)
REDO = Step(
    "redo",
    "核查不通过",
    (Status.HANDLED,),
    Status.DISPATCHED,
    "verify",
    needs_note=True,
    not_by_handler=True,
)
CLOSE = Step("close", "结案", (Status.VERIFIED,), Status.CLOSED, "dispatch")
EXTEND = Step("extend", "延期", (Status.DISPATCHED,), None, "dispatch", needs_note=True)
SUPERVISE = Step(
    "supervise",
    "督办",
    (Status.ACCEPTED, Status.DISPATCHED, Status.HANDLED),
    None,
    "dispatch",
    needs_note=True,
)
HOLD = Step(
    "hold",
    "挂账",
    (Status.DISPATCHED,),
    None,
    "dispatch",
    needs_note=True,
    on_hold=False,
)
RELEASE = Step(
    "release",
    "解除挂账",
    (Status.DISPATCHED,),
    None,
    "dispatch",
    needs_note=True,
    on_hold=True,
)

# The transition table, in the order the case page offers the steps.
STEPS = {
    step.name: step
    for step in (
        ACCEPT,
        CANCEL,
        DISPATCH,
        TRANSFER,
        REJECT,
        HANDLE,
        VERIFY,
        REDO,
        CLOSE,
        EXTEND,
        SUPERVISE,
        HOLD,
        RELEASE,
    )
}

# Timeline entries that are not workflow steps (those take their step's label).
EVENT_LABELS = {
    "report": "上报",
    "rate": "评价",
    "reopen": "申请重新办理",
    "escalate": "超期升级督办",
    "merge": "作为重复案件合并",
    "merged_in": "并入重复上报",
}

# Cases a dispatcher may still merge into another as duplicates.
MERGEABLE = (Status.REPORTED, Status.ACCEPTED, Status.DISPATCHED)


@dataclass(frozen=True)
class Limit:
    """The time limit a stage runs against; 挂账 stops the handling clock."""

    field: str
    paused_on_hold: bool = False


# "Overdue" means past the limit of the stage the case is in: the response limit
# until it is dispatched, the handling limit while it is handled (unless on hold),
# the verification limit while it waits for the check. Closed, cancelled and
# verified cases run against no limit. Case.current_due and CaseQuerySet.overdue
# both read this table.
STAGE_LIMITS = {
    Status.REPORTED: Limit("respond_due"),
    Status.ACCEPTED: Limit("respond_due"),
    Status.DISPATCHED: Limit("handle_due", paused_on_hold=True),
    Status.HANDLED: Limit("verify_due"),
}
# The columns Case.is_overdue reads: what a list of many cases loads (.only) to
# flag the overdue ones.
OVERDUE_FIELDS = (
    "status",
    "on_hold",
    *sorted({limit.field for limit in STAGE_LIMITS.values()}),
)
