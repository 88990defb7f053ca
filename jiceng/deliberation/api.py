"""议事协商 under /api/v1/: topics (a collection), a vote per household, disputes.

`POST /api/v1/topics/{id}/votes/` answers 201 with the ballot's receipt code, 409
for a second vote by the same household (or person), 403 outside the voting
window or the electorate, 404 for a topic the caller cannot see.
"""

from django.core.exceptions import PermissionDenied
from ninja import Query, Router, Status
from ninja.pagination import paginate

from jiceng.core.apiutils import filtered
from jiceng.core.scope import get_visible_or_404
from jiceng.places.models import Place

from . import services
from .filters import DisputeFilter, TopicFilter
from .models import Dispute, Poll, PollStatus, Topic
from .schemas import (
    DisputeOut,
    DisputeQuery,
    ResultOut,
    TopicIn,
    TopicOut,
    TopicQuery,
    VoteIn,
    VoteOut,
)

topics = Router(tags=["议事协商"])
disputes = Router(tags=["矛盾纠纷调解"])


@topics.get("", response=list[TopicOut], summary="议题")
@paginate
def list_topics(request, filters: Query[TopicQuery]):
    rows = Topic.objects.visible_to(request.user)
    return filtered(TopicFilter, filters, rows)


@topics.post("", response={201: TopicOut}, summary="提出议题（手机）")
def raise_topic(request, payload: TopicIn):
    place = Place.objects.filter(pk=payload.place_id).first()
    if place is None:
        raise PermissionDenied("地点不存在或不在您的范围内")
    topic = services.raise_topic(
        actor=request.user,
        place=place,
        title=payload.title,
        description=payload.description,
    )
    return Status(201, topic)


@topics.get("{int:pk}", response=TopicOut, summary="议题详情")
def get_topic(request, pk: int):
    return get_visible_or_404(Topic.objects, request.user, pk=pk)


@topics.post(
    "{int:pk}/votes/",
    response={201: VoteOut},
    summary="投票（一户一票或一人一票）",
    description="201：已计票，返回回执码；409：本户（本人）已投过票；"
    "403：不在投票时间内或不在表决范围内。",
)
def vote(request, pk: int, payload: VoteIn):
    topic = get_visible_or_404(Topic.objects, request.user, pk=pk)
    ballot = services.cast_vote(actor=request.user, topic=topic, choice=payload.choice)
    return Status(201, {"receipt": ballot.receipt, "choice": ballot.choice})


@topics.get("{int:pk}/result", response=ResultOut, summary="表决结果与选票回执清单")
def result(request, pk: int):
    topic = get_visible_or_404(Topic.objects, request.user, pk=pk)
    poll = Poll.objects.filter(topic=topic).first()
    if poll is None:
        from django.http import Http404

        raise Http404
    current = services.tally(poll)
    closed = poll.status == PollStatus.CLOSED
    return {
        "status": poll.status,
        "unit": poll.unit,
        "rule": poll.rule,
        "secret": poll.secret,
        "opens_at": poll.opens_at,
        "closes_at": poll.closes_at,
        "electorate": poll.electorate,
        # counts only once closed, so the running tally cannot sway the vote
        "counts": current.counts if closed else {},
        "passed": poll.passed,
        "receipts": [{"receipt": r, "choice": c} for r, c in services.receipts(poll)]
        if closed
        else [],
    }


@disputes.get("", response=list[DisputeOut], summary="矛盾纠纷台账")
@paginate
def list_disputes(request, filters: Query[DisputeQuery]):
    rows = Dispute.objects.visible_to(request.user)
    return filtered(DisputeFilter, filters, rows)


@disputes.get("{int:pk}", response=DisputeOut, summary="纠纷详情")
def get_dispute(request, pk: int):
    return get_visible_or_404(Dispute.objects, request.user, pk=pk)
