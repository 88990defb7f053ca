"""What the deliberation services share: the step check, the topic's history line,
telling the raiser, and where a place sits."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from jiceng.core import audit
from jiceng.core.models import AuditAction
from jiceng.core.scope import (
    can,
    grants_for,
)
from jiceng.notices.models import NoticeKind
from jiceng.notices.services import notify
from jiceng.places.models import PlaceKind

from ..errors import Code
from ..models import Topic, TopicEvent
from ..workflow import Step, allowed


def bad_state(message):
    return ValidationError(message, code=Code.BAD_STATE)


def community_of(place):
    if place is None:
        return None
    return place.ancestor_of_kind(PlaceKind.COMMUNITY)


def is_user(actor):
    return actor is not None and getattr(actor, "is_authenticated", False)


def locked(topic):
    return Topic.objects.select_for_update().get(pk=topic.pk)


def take_step(topic, step: Step, actor):
    """Lock the topic and check the step may be taken now, by this actor.

    Returns the locked row. The actor needs the step's permission over the topic
    (its Scope), and the topic must be in one of the step's source statuses for
    its grade; missing and forbidden topics look the same (PermissionDenied).
    """
    row = locked(topic)
    if not can(actor, row, step.permission):
        raise PermissionDenied("没有对该议题执行此操作的权限")
    if not allowed(step, row.status, row.grade):
        raise bad_state(f"议题当前为“{row.get_status_display()}”，不能{step.label}")
    return row


def log_step(topic, step_name, text, actor, *, changes=None, tell_raiser=True):
    """Write the history line and the audit row, and tell the raiser after commit."""
    TopicEvent.objects.create(
        topic=topic,
        step=step_name,
        text=text[:300],
        actor=actor if is_user(actor) else None,
    )
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE if step_name != "raise" else AuditAction.CREATE,
        target=topic,
        changes={"step": step_name, "status": topic.status, **(changes or {})},
    )
    if tell_raiser and topic.raised_by_id:
        raiser, url = topic.raised_by, topic.get_absolute_url()
        message = f"您提出的议题“{topic.title[:30]}”：{text[:120]}"
        transaction.on_commit(
            lambda: notify([raiser], message, url, exclude=actor, kind=NoticeKind.TOPIC)
        )


def unit_id_of(actor):
    for grant in grants_for(actor):
        if grant.unit_id:
            return grant.unit_id
    return None
