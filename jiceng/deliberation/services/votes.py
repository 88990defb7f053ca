"""Votes: open (the electorate fixed from the topic's place), cast on the phone or
entered by the clerk at the meeting, tally, close and publish.

A second vote by the same elector (the same household, for one-per-household
votes) is refused by the database's unique constraint on (poll, elector), so two
requests racing each other cannot both count; the loser gets AlreadyVoted (409).
"""

import secrets
from decimal import Decimal
from fractions import Fraction

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Sum
from django.utils import timezone

from jiceng.core import audit
from jiceng.core.models import AuditAction
from jiceng.core.scope import can, path_prefix
from jiceng.notices.models import NoticeKind
from jiceng.notices.services import notify
from jiceng.people.models import Household, Resident

from .. import workflow as wf
from ..errors import AlreadyVoted, Code
from ..models import (
    Ballot,
    Channel,
    Elector,
    HouseholdArea,
    Participation,
    Poll,
    PollStatus,
    VoteUnit,
)
from ..rules import DEFAULT_CHOICES, OWNER_RULES, YES, Tally
from .common import bad_state, log_step, take_step
from .topics import publicity_end

MAX_CHOICES = 6


def _electors(poll, place):
    """Households (or residents) living under the topic's place, with their areas."""
    inside = path_prefix(place.path, "place__path")
    if poll.unit == VoteUnit.PERSON:
        ids = Resident.objects.filter(inside).values_list("pk", flat=True)
        return [Elector(poll=poll, resident_id=pk) for pk in ids.iterator()]
    areas = dict(
        HouseholdArea.objects.filter(
            path_prefix(place.path, "household__place__path")
        ).values_list("household_id", "area")
    )
    ids = Household.objects.filter(inside).values_list("pk", flat=True)
    return [
        Elector(poll=poll, household_id=pk, area=areas.get(pk, Decimal(0)))
        for pk in ids.iterator()
    ]


@transaction.atomic
def open_poll(
    *,
    actor,
    topic,
    unit,
    rule,
    opens_at,
    closes_at,
    secret=True,
    choices=None,
    meeting=None,
    quorum=(1, 2),
    quorum_strict=True,
):
    """Open a vote on a 大事 that a quorate meeting has taken up."""
    topic = take_step(topic, wf.OPEN_VOTE, actor)
    choices = [c.strip()[:20] for c in (choices or DEFAULT_CHOICES) if c.strip()]
    if YES not in choices or not 2 <= len(choices) <= MAX_CHOICES:
        raise ValidationError({"choices": f"选项须含“{YES}”，共2至{MAX_CHOICES}项"})
    if len(set(choices)) != len(choices):
        raise ValidationError({"choices": "选项不能重复"})
    if closes_at <= opens_at:
        raise ValidationError({"closes_at": "截止时间须晚于开始时间"})
    if rule in OWNER_RULES and unit != VoteUnit.HOUSEHOLD:
        raise ValidationError({"unit": "业主大会按户（业主）表决"})
    numerator, denominator = quorum
    if not 0 < numerator <= denominator:
        raise ValidationError("参与率比例无效")
    if meeting is not None and meeting.community_id != topic.community_id:
        raise PermissionDenied("会议不属于本社区")
    poll = Poll.objects.create(
        topic=topic,
        meeting=meeting,
        unit=unit,
        rule=rule,
        secret=secret,
        choices=choices,
        opens_at=opens_at,
        closes_at=closes_at,
        quorum_numerator=numerator,
        quorum_denominator=denominator,
        quorum_strict=quorum_strict,
    )
    electors = _electors(poll, topic.place)
    if not electors:
        raise ValidationError("该范围内没有登记的户（居民），无法表决")
    Elector.objects.bulk_create(electors, batch_size=1000)
    poll.electorate = len(electors)
    poll.electorate_area = sum((e.area for e in electors), Decimal(0))
    if rule in OWNER_RULES and poll.electorate_area <= 0:
        raise ValidationError("该范围内没有登记专有部分面积，不能按面积表决")
    poll.save(update_fields=["electorate", "electorate_area"])
    topic.status = wf.Status.VOTING
    topic.version += 1
    topic.save()
    window = (
        f"{timezone.localtime(opens_at):%m月%d日 %H:%M}至"
        f"{timezone.localtime(closes_at):%m月%d日 %H:%M}"
    )
    log_step(
        topic,
        "open_vote",
        f"发起表决（{poll.get_unit_display()}，{poll.get_rule_display()}，"
        f"{'无记名' if secret else '记名'}），投票时间{window}",
        actor,
        changes={"electorate": poll.electorate},
    )
    _tell_electors(topic, window, actor)
    return poll


def _tell_electors(topic, window, actor):
    """Residents with an account who live where the vote is held hear it is open
    (after commit; one query for the users)."""
    users = get_user_model().objects.filter(
        path_prefix(topic.place.path, "resident__place__path"), is_active=True
    )
    message = f"议题“{topic.title[:30]}”开始表决，投票时间{window}"
    url = topic.get_absolute_url()
    transaction.on_commit(
        lambda: notify(users, message, url, exclude=actor, kind=NoticeKind.VOTE_OPEN)
    )


def elector_for(poll, user):
    """The elector the user votes as: their household, or themselves."""
    resident = Resident.objects.filter(user=user).only("pk", "household_id").first()
    if resident is None:
        return None
    if poll.unit == VoteUnit.PERSON:
        return Elector.objects.filter(poll=poll, resident_id=resident.pk).first()
    if resident.household_id is None:
        return None
    return Elector.objects.filter(poll=poll, household_id=resident.household_id).first()


def _record(poll, elector, choice, channel, actor):
    if choice not in poll.choices:
        raise ValidationError(
            {"choice": f"请选择：{'、'.join(poll.choices)}"}, code=Code.CHOICE
        )
    try:
        with transaction.atomic():
            Participation.objects.create(
                poll=poll, elector=elector, channel=channel, cast_by=actor
            )
    except IntegrityError as exc:
        raise AlreadyVoted() from exc
    ballot = Ballot.objects.create(
        poll=poll,
        choice=choice,
        area=elector.area,
        receipt=secrets.token_hex(5).upper(),
        elector=None if poll.secret else elector,
    )
    # A secret ballot's audit row says that someone voted, never what.
    changes = {"channel": channel}
    if not poll.secret:
        changes["choice"] = choice
        changes["elector"] = elector.pk
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        target_type="deliberation.participation",
        target_id=str(poll.pk),
        target_repr=f"{poll}"[:200],
        changes=changes,
    )
    return ballot


def _require_window(poll, now):
    if poll.status != PollStatus.OPEN or not poll.opens_at <= now < poll.closes_at:
        raise PermissionDenied("不在投票时间内")


def cast_vote(*, actor, topic, choice, now=None):
    """A resident votes on the phone for themselves or their household.

    404 when the topic is not theirs to see; PermissionDenied (403) outside the
    window or the electorate; AlreadyVoted (409) for a second vote."""
    now = now or timezone.now()
    if not can(actor, topic, "view"):
        from django.http import Http404

        raise Http404
    poll = Poll.objects.filter(topic=topic).first()
    if poll is None:
        raise PermissionDenied("该议题没有正在进行的表决")
    _require_window(poll, now)
    if not _may_vote(actor):
        raise PermissionDenied("没有投票权限")
    elector = elector_for(poll, actor)
    if elector is None:
        raise PermissionDenied("您（您家）不在本次表决的范围内")
    with transaction.atomic():
        return _record(poll, elector, choice, Channel.PHONE, actor)


def _may_vote(actor):
    from jiceng.core.scope import has_permission

    return has_permission(actor, "deliberation.vote")


def enter_vote(*, actor, topic, elector, choice, now=None):
    """The clerk enters a vote cast at the meeting (by show of hands or slip)."""
    now = now or timezone.now()
    if not can(actor, topic, "manage"):
        raise PermissionDenied("没有登记选票的权限")
    poll = Poll.objects.get(topic=topic)
    _require_window(poll, now)
    if elector.poll_id != poll.pk:
        raise PermissionDenied("不在本次表决的范围内")
    with transaction.atomic():
        return _record(poll, elector, choice, Channel.MEETING, actor)


def tally(poll) -> Tally:
    """The result so far, computed from the ballots in one GROUP BY."""
    counts, areas = {c: 0 for c in poll.choices}, {c: Decimal(0) for c in poll.choices}
    rows = (
        Ballot.objects.filter(poll=poll)
        .values("choice")
        .annotate(n=Count("*"), area=Sum("area"))
        .order_by()
    )
    for row in rows:
        counts[row["choice"]] = row["n"]
        areas[row["choice"]] = row["area"] or Decimal(0)
    return Tally(
        rule=poll.rule,
        electorate=poll.electorate,
        electorate_area=poll.electorate_area,
        counts=counts,
        areas=areas,
        quorum=Fraction(poll.quorum_numerator, poll.quorum_denominator),
        quorum_strict=poll.quorum_strict,
    )


def outcome_settled(poll, current: Tally) -> bool:
    """Whether the remaining electors can no longer change the result: it passes
    even if all of them vote no (or none does), or fails even if all vote yes."""
    remaining = poll.electorate - current.cast
    if remaining <= 0:
        return True
    remaining_area = poll.electorate_area - current.cast_area
    no = next((c for c in poll.choices if c != YES), None)

    def scenario(choice):
        counts, areas = dict(current.counts), dict(current.areas)
        counts[choice] = counts.get(choice, 0) + remaining
        areas[choice] = areas.get(choice, Decimal(0)) + remaining_area
        return Tally(
            rule=current.rule,
            electorate=current.electorate,
            electorate_area=current.electorate_area,
            counts=counts,
            areas=areas,
            quorum=current.quorum,
            quorum_strict=current.quorum_strict,
        ).passed

    if not scenario(YES):
        return True
    return current.passed and scenario(no)


@transaction.atomic
def close_poll(*, actor, topic, now=None):
    """Close the vote and publish its result: passed → 公示 for PUBLICITY_DAYS
    working days; failed → 未通过. Before the window ends only when the result can
    no longer change."""
    now = now or timezone.now()
    topic = take_step(topic, wf.CLOSE_VOTE, actor)
    poll = Poll.objects.select_for_update().get(topic=topic)
    result = tally(poll)
    if now < poll.closes_at and not outcome_settled(poll, result):
        raise bad_state("投票尚未截止，且剩余票数仍可能改变结果")
    poll.status = PollStatus.CLOSED
    poll.result = result.as_dict()
    poll.passed = result.passed
    poll.closed_at = now
    poll.save()
    counts = "，".join(f"{c}{n}" for c, n in result.counts.items())
    summary = f"应参加{poll.electorate}，实参加{result.cast}（{counts}）"
    if result.passed:
        topic.status = wf.Status.PUBLICITY
        topic.publicity_starts = now
        topic.publicity_ends = publicity_end(now)
        text = (
            f"表决通过（{summary}），结果公示至"
            f"{timezone.localtime(topic.publicity_ends):%Y-%m-%d %H:%M}"
        )
    else:
        topic.status = wf.Status.REJECTED
        reason = "未达到参与率要求" if not result.quorate else "同意票未达到要求"
        text = f"表决未通过（{reason}；{summary}）"
    topic.version += 1
    topic.save()
    log_step(topic, "close_vote", text, actor, changes={"passed": result.passed})
    return poll


def receipts(poll):
    """The published ballot list: receipt code and choice, no voter."""
    return (
        Ballot.objects.filter(poll=poll)
        .order_by("receipt")
        .values_list("receipt", "choice")
    )
