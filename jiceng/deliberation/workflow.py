"""The topic procedure as data: grades, statuses, and which step leads where.

大事大议: a 大事 goes to a quorate 居民议事会 / 三方联动 / 联席会 meeting, then a vote,
then a published result with a 公示 period (objections recorded) before it is decided,
then execution and a report back. 小事小议: the grid or building settles a 小事 with a
recorded consultation. 急事急议: the community's 两委 decide an 急事 within 24 hours
and the next meeting confirms it. Services, forms and templates read these tables;
nothing else decides which step leads where.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.db import models
from django.utils.translation import gettext_lazy as _


class Grade(models.TextChoices):
    MAJOR = "major", _("大事")
    MINOR = "minor", _("小事")
    URGENT = "urgent", _("急事")


class Status(models.TextChoices):
    RAISED = "raised", _("待定级")
    GRADED = "graded", _("待议")
    DELIBERATED = "deliberated", _("已上会")
    VOTING = "voting", _("表决中")
    PUBLICITY = "publicity", _("公示中")
    DECIDED = "decided", _("已决议")
    EXECUTING = "executing", _("执行中")
    DONE = "done", _("已办结")
    REJECTED = "rejected", _("未通过")
    DECLINED = "declined", _("不予立项")


# Statuses a topic reaches only once it is decided (已决议 and after).
DECIDED_STATUSES = (Status.DECIDED, Status.EXECUTING, Status.DONE)
CLOSED_STATUSES = (Status.DONE, Status.REJECTED, Status.DECLINED)
OPEN_STATUSES = tuple(s for s in Status if s not in CLOSED_STATUSES)

URGENT_LIMIT = timedelta(hours=24)
PUBLICITY_DAYS = 5  # working days, the default 公示 period


@dataclass(frozen=True)
class Step:
    """One step: from which statuses, to which, for which grades, who may take it."""

    name: str
    label: str
    sources: tuple
    target: str | None  # None: the status stays
    permission: str  # deliberation.<permission>
    grades: tuple = (*tuple(Grade.values), "")


GRADE = Step("grade", "定级", (Status.RAISED, Status.GRADED), Status.GRADED, "manage")
DECLINE = Step(
    "decline", "不予立项", (Status.RAISED, Status.GRADED), Status.DECLINED, "manage"
)
DISCUSS = Step(
    "discuss",
    "上会协商",
    (Status.GRADED, Status.DELIBERATED),
    Status.DELIBERATED,
    "manage",
    (Grade.MAJOR,),
)
OPEN_VOTE = Step(
    "open_vote",
    "发起表决",
    (Status.DELIBERATED,),
    Status.VOTING,
    "manage",
    (Grade.MAJOR,),
)
# Closing the vote publishes its result: passed → 公示中, failed → 未通过.
CLOSE_VOTE = Step(
    "close_vote", "结束表决并公布结果", (Status.VOTING,), None, "manage", (Grade.MAJOR,)
)
OBJECT = Step("object", "提出异议", (Status.PUBLICITY,), None, "view", (Grade.MAJOR,))
ANSWER_OBJECTION = Step(
    "answer_objection", "答复异议", (Status.PUBLICITY,), None, "manage", (Grade.MAJOR,)
)
DECIDE = Step(
    "decide",
    "公示期满，形成决议",
    (Status.PUBLICITY,),
    Status.DECIDED,
    "manage",
    (Grade.MAJOR,),
)
CONSULT = Step(
    "consult", "协商议定", (Status.GRADED,), Status.DECIDED, "consult", (Grade.MINOR,)
)
DECIDE_URGENT = Step(
    "decide_urgent",
    "两委急议决定",
    (Status.GRADED,),
    Status.DECIDED,
    "manage",
    (Grade.URGENT,),
)
CONFIRM_URGENT = Step(
    "confirm_urgent", "会议追认", DECIDED_STATUSES, None, "manage", (Grade.URGENT,)
)
EXECUTE = Step(
    "execute",
    "开始执行",
    (Status.DECIDED,),
    Status.EXECUTING,
    "manage",
    tuple(Grade.values),
)
FINISH = Step(
    "finish",
    "办结并反馈",
    (Status.EXECUTING,),
    Status.DONE,
    "manage",
    tuple(Grade.values),
)
RATE = Step("rate", "满意度评价", (Status.DONE,), None, "view", tuple(Grade.values))

STEPS = {
    s.name: s
    for s in (
        GRADE,
        DECLINE,
        DISCUSS,
        OPEN_VOTE,
        CLOSE_VOTE,
        OBJECT,
        ANSWER_OBJECTION,
        DECIDE,
        CONSULT,
        DECIDE_URGENT,
        CONFIRM_URGENT,
        EXECUTE,
        FINISH,
        RATE,
    )
}


def allowed(step: Step, status: str, grade: str) -> bool:
    """Whether step may be taken from status for a topic of grade."""
    return status in step.sources and (grade or "") in step.grades


def steps_from(status: str, grade: str) -> list[Step]:
    return [s for s in STEPS.values() if allowed(s, status, grade)]
