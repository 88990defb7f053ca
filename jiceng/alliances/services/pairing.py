"""包联: pairs, their visits (which can become a case or a task), and coverage:
which compounds, buildings and communities have no pair, and which pairs have
not visited within N days."""

from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from jiceng.core import audit
from jiceng.core.models import AuditAction
from jiceng.core.scope import can, path_prefix, place_prefixes, require_place_in_scope
from jiceng.places.models import Place

from ..errors import Code, bad_state
from ..models import PAIR_PLACE_KIND, VISIT_DAYS, Pair, PairKind, Visit
from .common import CHANGE, community_or_street

REPORT = "alliances.report"


@transaction.atomic
def create_pair(*, actor, kind, place, since, unit=None, cadre="", **fields):
    require_place_in_scope(place, actor, CHANGE)
    if place.kind != PAIR_PLACE_KIND[kind]:
        raise ValidationError(
            {"place": "包联对象的层级与包联类型不符"}, code=Code.INVALID
        )
    if kind == PairKind.UNIT_COMPOUND and unit is None:
        raise ValidationError({"unit": "请选择包联单位"}, code=Code.INVALID)
    if kind != PairKind.UNIT_COMPOUND and not cadre:
        raise ValidationError({"cadre": "请填写包联干部/领导"}, code=Code.INVALID)
    pair = Pair.objects.create(
        kind=kind, place=place, since=since, unit=unit, cadre=cadre, **fields
    )
    audit.record(actor=actor, action=AuditAction.CREATE, target=pair)
    return pair


@transaction.atomic
def log_visit(*, actor, pair, visited_on, findings, photo=None):
    if not (can(actor, pair, REPORT.split(".")[1]) or can(actor, pair, "change")):
        if pair.cadre_user_id != actor.pk:
            raise PermissionDenied("只有包联单位、包联干部或辖区可以记录走访")
    if visited_on > timezone.localdate():
        raise ValidationError({"visited_on": "走访日期不能晚于今天"}, code=Code.INVALID)
    if not (findings or "").strip():
        raise ValidationError({"findings": "请填写走访情况"}, code=Code.INVALID)
    visit = Visit.objects.create(
        pair=pair,
        visited_on=visited_on,
        findings=findings.strip(),
        by=actor,
        **({"photo": photo} if photo else {}),
    )
    if pair.last_visit_on is None or visited_on > pair.last_visit_on:
        Pair.objects.filter(pk=pair.pk).update(last_visit_on=visited_on)
        pair.last_visit_on = visited_on
    audit.record(actor=actor, action=AuditAction.CREATE, target=visit)
    return visit


def visit_to_case(*, actor, visit, category):
    """Turn what a visit found into a case (the cases app's intake service)."""
    from jiceng.cases.services import intake

    if visit.case_id:
        raise bad_state("该走访已转为事件")
    case = intake.report_case(
        actor=actor,
        category=category,
        description=f"【包联走访】{visit.findings}",
        place=visit.pair.place,
    )
    Visit.objects.filter(pk=visit.pk).update(case=case)
    audit.record(
        actor=actor, action=AuditAction.UPDATE, target=visit, changes={"case": case.pk}
    )
    return case


def visit_to_task(*, actor, visit, due_on):
    """Turn what a visit found into a task for the pair's unit (督办)."""
    from .meetings import create_task

    if visit.task_id:
        raise bad_state("该走访已转为督办事项")
    pair = visit.pair
    task = create_task(
        actor=actor,
        place=community_or_street(pair.place),
        title=f"走访发现：{visit.findings[:60]}",
        detail=visit.findings,
        due_on=due_on,
        owner_unit=pair.unit,
        owner_name=pair.cadre,
        owner_user=pair.cadre_user,
    )
    Visit.objects.filter(pk=visit.pk).update(task=task)
    audit.record(
        actor=actor, action=AuditAction.UPDATE, target=visit, changes={"task": task.pk}
    )
    return task


def _places_in_scope(user, kind):
    prefixes = place_prefixes(user, "alliances.view")
    if not prefixes:
        return Place.objects.none()
    within = Q()
    for prefix in prefixes:
        within |= path_prefix(prefix)
    return Place.objects.filter(within, kind=kind)


def coverage(user, *, days=VISIT_DAYS, today=None):
    """Per pairing kind: places in the user's scope, how many are paired, the
    unpaired ones and the pairs not visited within days."""
    today = today or timezone.localdate()
    cutoff = today - timedelta(days=days)
    out = []
    for kind, place_kind in PAIR_PLACE_KIND.items():
        places = _places_in_scope(user, place_kind)
        paired = Pair.objects.filter(kind=kind, active=True, place=OuterRef("pk"))
        annotated = places.annotate(paired=Exists(paired))
        total = places.count()
        unpaired = annotated.filter(paired=False).order_by("path")
        pairs = Pair.objects.visible_to(user).filter(kind=kind, active=True)
        stale = pairs.filter(
            Q(last_visit_on__lt=cutoff) | Q(last_visit_on__isnull=True)
        )
        unpaired_count = unpaired.count()
        out.append(
            {
                "kind": kind,
                "label": PairKind(kind).label,
                "total": total,
                "paired": total - unpaired_count,
                "unpaired_count": unpaired_count,
                "unpaired": unpaired,
                "stale_count": stale.count(),
                "stale": stale.select_related("place", "unit").order_by(
                    "last_visit_on", "pk"
                ),
            }
        )
    return out
