"""Alliances and 大党委/大工委: members, the rotating chair with hand-over and term
report, the annual plan and its 四共 items."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from jiceng.core import audit
from jiceng.core.models import AuditAction
from jiceng.core.months import add_months
from jiceng.core.scope import require_in_scope, require_place_in_scope
from jiceng.people.models import Unit

from ..errors import Code, bad_state
from ..models import (
    Alliance,
    AllianceMember,
    AnnualPlan,
    ChairTerm,
    PlanItem,
    TermStatus,
)
from .common import CHANGE


@transaction.atomic
def create_alliance(*, actor, place, name, kind, **fields):
    require_place_in_scope(place, actor, CHANGE)
    alliance = Alliance.objects.create(place=place, name=name, kind=kind, **fields)
    audit.record(actor=actor, action=AuditAction.CREATE, target=alliance)
    return alliance


@transaction.atomic
def add_member(
    *, actor, alliance, unit=None, party_org=None, organisation=None, **fields
):
    require_in_scope(alliance, actor, "change")
    if sum(x is not None for x in (unit, party_org, organisation)) != 1:
        raise ValidationError(
            "请选择一个成员（单位、党组织或社会组织）", code=Code.INVALID
        )
    if (
        unit is not None
        and AllianceMember.objects.filter(
            alliance=alliance, unit=unit, active=True
        ).exists()
    ):
        raise ValidationError("该单位已是成员", code=Code.DUPLICATE)
    member = AllianceMember.objects.create(
        alliance=alliance,
        unit=unit,
        party_org=party_org,
        organisation=organisation,
        **fields,
    )
    audit.record(actor=actor, action=AuditAction.CREATE, target=member)
    return member


def committee_units(alliance):
    """The units of the 大党委/大工委 the alliance stands for (party app's rows)."""
    if alliance.committee_id is None:
        return Unit.objects.none()
    return Unit.objects.filter(joint_committees__committee=alliance.committee_id)


@transaction.atomic
def plan_rotation(*, actor, alliance, members, first_on):
    """Lay out the rotating chair: each member in turn for the alliance's term."""
    require_in_scope(alliance, actor, "change")
    if not members:
        raise ValidationError("请至少选择一个轮值成员", code=Code.INVALID)
    last = alliance.terms.order_by("-ends_on").first()
    start = max(first_on, last.ends_on) if last else first_on
    terms = []
    for member in members:
        end = add_months(start, alliance.term_months)
        terms.append(
            ChairTerm.objects.create(
                alliance=alliance, member=member, starts_on=start, ends_on=end
            )
        )
        start = end
    if not alliance.terms.filter(status=TermStatus.CURRENT).exists():
        first = terms[0]
        first.status = TermStatus.CURRENT
        first.save(update_fields=["status"])
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        target=alliance,
        changes={"rotation": [str(t) for t in terms]},
    )
    return terms


@transaction.atomic
def hand_over(*, actor, alliance, report, handover_note=""):
    """The current chair hands over: its term report is filed, the next takes up."""
    require_in_scope(alliance, actor, "change")
    current = (
        ChairTerm.objects.select_for_update()
        .filter(alliance=alliance, status=TermStatus.CURRENT)
        .first()
    )
    if current is None:
        raise bad_state("当前没有轮值主席")
    if not (report or "").strip():
        raise ValidationError({"report": "请填写任期工作报告"}, code=Code.INVALID)
    current.status, current.report = TermStatus.DONE, report.strip()
    current.handover_note = handover_note
    current.handed_over_at, current.handed_over_by = timezone.now(), actor
    current.save()
    following = (
        alliance.terms.filter(status=TermStatus.PLANNED).order_by("starts_on").first()
    )
    if following is not None:
        following.status = TermStatus.CURRENT
        following.save(update_fields=["status"])
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=current,
        changes={"status": "done", "next": str(following or "")},
    )
    return following


@transaction.atomic
def save_plan(*, actor, alliance, year, title, summary=""):
    require_in_scope(alliance, actor, "change")
    plan, created = AnnualPlan.objects.update_or_create(
        alliance=alliance, year=year, defaults={"title": title, "summary": summary}
    )
    audit.record(
        actor=actor,
        action=AuditAction.CREATE if created else AuditAction.UPDATE,
        target=plan,
    )
    return plan


@transaction.atomic
def add_plan_item(*, actor, plan, title, tag, **fields):
    require_in_scope(plan, actor, "change")
    item = PlanItem.objects.create(plan=plan, title=title, tag=tag, **fields)
    audit.record(actor=actor, action=AuditAction.CREATE, target=item)
    return item


@transaction.atomic
def update_plan_item(*, actor, item, status, result=""):
    require_in_scope(item.plan, actor, "change")
    item.status, item.result = status, result[:300]
    item.save(update_fields=["status", "result"])
    audit.record(
        actor=actor, action=AuditAction.UPDATE, target=item, changes={"status": status}
    )
    return item
