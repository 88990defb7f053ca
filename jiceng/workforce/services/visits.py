"""Home visits (入户走访) per household: who was seen, the registry record confirmed
or corrected in place (through people's update_resident, audited there and on the
visit), and the needs found sent where they belong: a 微心愿 (volunteer), a need on
the 三张清单, a case (cases' intake), or a key-population review (people's tags)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from jiceng.cases.models import Channel
from jiceng.cases.services import report_case
from jiceng.core import audit
from jiceng.core.models import AuditAction
from jiceng.core.scope import can, covers
from jiceng.people.models import Resident, ResidentTag
from jiceng.people.services import review_tag, update_resident
from jiceng.volunteer.models import WishCategory
from jiceng.volunteer.services import add_need, collect_wish

from ..models import NeedKind, Visit, VisitKind, VisitNeed
from .common import PATROL, community_of, grid_of

# What a visit may correct in place (the rest is the community's registry work).
CORRECTABLE = ("phone", "name", "ethnicity", "residence_type", "note")


@transaction.atomic
def record_visit(
    *, actor, household, kind, notes="", seen=(), confirmed=False, at=None, needs=()
):
    grid = grid_of(household.place)
    if grid is None or not covers(actor, grid, PATROL):
        raise PermissionDenied("该户不在您的网格内")
    if kind not in VisitKind.values:
        raise ValidationError(
            {"kind": "走访类别须为信息员、宣传员、调解员或服务员之一"}
        )
    members = list(Resident.objects.filter(household=household, pk__in=list(seen)))
    if len(members) != len(set(seen)):
        raise ValidationError({"seen": "见到的人须为本户成员"})
    visit = Visit.objects.create(
        user=actor,
        household=household,
        grid=grid,
        kind=kind,
        notes=(notes or "").strip(),
        confirmed=bool(confirmed),
        at=at or timezone.now(),
    )
    visit.seen.set(members)
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        target=visit,
        changes={"kind": [None, kind], "seen": [None, len(members)]},
    )
    for need in needs:
        add_visit_need(actor=actor, visit=visit, **need)
    return visit


def _own(visit, actor):
    if visit.user_id != actor.pk and not can(actor, visit, "manage"):
        raise PermissionDenied("只能操作自己的走访记录")


@transaction.atomic
def correct_resident(*, actor, visit, resident, **fields):
    """Correct a household member's record on the spot; audited on the resident
    (people) and on the visit (what was corrected, protected values masked)."""
    _own(visit, actor)
    if resident.household_id != visit.household_id:
        raise ValidationError("只能更正本户成员的信息")
    unknown = set(fields) - set(CORRECTABLE)
    if unknown:
        raise ValidationError(f"走访中不能修改：{'、'.join(sorted(unknown))}")
    if not any(str(v).strip() for v in fields.values()):
        raise ValidationError("请填写要更正的内容")
    update_resident(actor=actor, resident=resident, **fields)
    Visit.objects.filter(pk=visit.pk).update(
        confirmed=True, corrections=visit.corrections + len(fields)
    )
    changes = {
        f"{resident.name}.{name}": ["***", "***"] if name == "phone" else [None, value]
        for name, value in fields.items()
    }
    audit.record(actor=actor, action=AuditAction.UPDATE, target=visit, changes=changes)
    visit.refresh_from_db()
    return visit


@transaction.atomic
def add_visit_need(
    *, actor, visit, kind, text, category=None, resident=None, tag=None, kept=True
):
    """Send one need found on the visit where it belongs and note where it went."""
    _own(visit, actor)
    text = (text or "").strip()
    if len(text) < 2:
        raise ValidationError({"text": "请填写需求内容"})
    target = None
    household = visit.household
    if kind == NeedKind.WISH:
        target = collect_wish(
            actor=actor,
            place=household.place,
            title=text[:100],
            category=category or WishCategory.OTHER,
            alias=(resident.name[:1] + "先生/女士") if resident else "居民",
            consent=True,
            beneficiary=resident,
        )
    elif kind == NeedKind.NEED:
        community = community_of(household.place)
        if covers(actor, community, "volunteer.manage"):
            target = add_need(
                actor=actor,
                community=community,
                title=text[:100],
                place=household.place,
            )
    elif kind == NeedKind.CASE:
        if category is None:
            raise ValidationError({"category": "请选择事件类别"})
        target = report_case(
            actor=actor,
            category=category,
            description=text,
            channel=Channel.PATROL,
            place=visit.grid,
        )
    elif kind == NeedKind.REVIEW:
        if (
            not isinstance(tag, ResidentTag)
            or tag.resident.household_id != household.pk
        ):
            raise ValidationError({"tag": "请选择本户成员的重点人群标签"})
        review_tag(actor=actor, tag=tag, kept=kept, note=text)
        target = tag
    else:
        raise ValidationError({"kind": "未知的去向"})
    need = VisitNeed.objects.create(
        visit=visit,
        kind=kind,
        text=text[:300],
        target_type=target._meta.label_lower if target is not None else "",
        target_id=target.pk if target is not None else None,
    )
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        target=visit,
        changes={"need": [None, f"{NeedKind(kind).label}：{text[:80]}"]},
    )
    return need
