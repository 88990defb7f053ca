"""Who hears of a case step: the next person to act, never the whole district.

Dispatchers are the nearest level above the case (琐事不出网格: a community's
secretary before the street's); handlers are whoever the case is dispatched to
(Case.handlers: the department, the people handling cases above the grid or
compound); the reporter (and reporters of merged duplicates) hear of the closure.
"""

from django.contrib.auth import get_user_model

from jiceng.core.models import Assignment
from jiceng.core.roles import ROLE_PERMISSIONS, Role
from jiceng.notices.models import NoticeKind
from jiceng.notices.services import Audience, queue_sms
from jiceng.places.models import Place

from .models import Case, Channel, Status


def _roles_with(permission):
    return [role for role, perms in ROLE_PERMISSIONS.items() if permission in perms]


def dispatchers(case):
    """Users who dispatch at the nearest level whose subtree holds the case."""
    rows = list(
        Assignment.objects.filter(
            active=True,
            role__in=_roles_with("cases.dispatch"),
            place__path__in=Place.lineage_paths(case.place.path),
        ).values_list("user_id", "place__path")
    )
    if not rows:
        return []
    deepest = max(len(path) for _user, path in rows)
    ids = {user for user, path in rows if len(path) == deepest}
    return list(get_user_model().objects.filter(pk__in=ids))


def supervisors(case):
    """Dispatchers at the level an overdue case has escalated to (社区, 街道, 区)."""
    depth = max(4 - case.escalation, 1)  # 1 community (depth 3) … 3 district (1)
    path = case.place.path[: depth * Place.steplen]
    ids = Assignment.objects.filter(
        active=True, role__in=_roles_with("cases.dispatch"), place__path=path
    ).values("user_id")
    return list(get_user_model().objects.filter(pk__in=ids))


def verifiers(case):
    """The grid workers where the case is; the dispatchers when there are none."""
    grid_path = (case.grid or case.place).path
    ids = Assignment.objects.filter(
        active=True,
        role=Role.GRID_WORKER,
        place__path__in=Place.lineage_paths(grid_path),
    ).values("user_id")
    users = list(get_user_model().objects.filter(pk__in=ids))
    return users or dispatchers(case)


def reporters(case):
    users = [case.reporter] if case.reporter_id else []
    users += [c.reporter for c in case.merged_cases.select_related("reporter")]
    return users


def _message(case, text):
    return f"案件 {case.number}（{case.category.name}）{text}"


# What each step announces: (who hears, the words after the case's name, the
# kind, whether the one who took the step is left out).
ANNOUNCEMENTS = {
    "report": [(dispatchers, "待受理", NoticeKind.CASE_ASSIGNED, True)],
    "dispatch": [(Case.handlers, "已派给您处置", NoticeKind.CASE_ASSIGNED, True)],
    "supervise": [
        (Case.handlers, "被督办，请尽快处置", NoticeKind.CASE_RETURNED, True)
    ],
    "escalate": [
        (
            Case.handlers,
            "已超期并升级督办，请尽快处置",
            NoticeKind.CASE_RETURNED,
            False,
        ),
        (supervisors, "超期未办结，已升级由您督办", NoticeKind.CASE_RETURNED, False),
    ],
    "reject": [(dispatchers, "被退单，请重新派遣", NoticeKind.CASE_RETURNED, True)],
    "handle": [(verifiers, "已处置，请现场核查", NoticeKind.CASE_ASSIGNED, True)],
    "verify": [(dispatchers, "已核查，待结案", NoticeKind.CASE_ASSIGNED, True)],
    "reopen": [
        (dispatchers, "群众不满意，申请重新办理", NoticeKind.CASE_RETURNED, False)
    ],
    "close": [(reporters, "已办结，欢迎评价", NoticeKind.CASE_CLOSED, True)],
}
ANNOUNCEMENTS["transfer"] = ANNOUNCEMENTS["redo"] = ANNOUNCEMENTS["dispatch"]


def audiences_after_step(case, action, actor):
    """Who hears of a step, read now: a report reads them before its transaction,
    so that inside it only the notifications are written."""
    if action == "report" and case.status != Status.REPORTED:
        return []  # routed on arrival: the dispatch announces it
    return [
        (Audience(who(case), kind=kind, exclude=actor if skip_actor else None), words)
        for who, words, kind, skip_actor in ANNOUNCEMENTS.get(action, [])
    ]


def after_step(case, action, actor, audiences=None):
    """Tell the next actor; called by the services after each step is saved
    (audiences: from audiences_after_step, read earlier)."""
    if audiences is None:
        audiences = audiences_after_step(case, action, actor)
    url = case.get_public_url() if action == "close" else case.get_absolute_url()
    for heard_by, words in audiences:
        heard_by.send(_message(case, words), url)
    if action == "close":
        tell_caller_closed(case)


CLOSED_SMS = "您反映的问题（编号{number}）已办结，可凭查询码{token}查看办理结果。"


def tell_caller_closed(case):
    """A caller with no account (热线, anonymous reports) who left a mobile hears of
    the closure by SMS, where SMS is configured. The message names the case number
    and the public query code only; the number is decrypted inside the adapter."""
    # a hotline case's reporter account is the operator who took the call
    by_account = case.reporter_id and case.channel != Channel.HOTLINE
    if by_account or not case.reporter_phone:
        return None
    return queue_sms(
        phone=case.reporter_phone,
        message=CLOSED_SMS.format(number=case.number, token=case.public_token),
        kind=NoticeKind.CASE_CLOSED,
        params={"number": case.number, "code": case.public_token},
    )
