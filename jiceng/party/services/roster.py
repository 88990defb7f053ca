"""双向核查: compare a unit's roster of in-service members with the community's register.

start_check reads the uploaded roster, matches it (jiceng.party.matching) against
the in-service members the community has registered, and stores every outcome;
decide() settles a doubtful pair. Both are audited and scope-checked.
"""

import os
import tempfile

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from jiceng.core import audit
from jiceng.core.errors import Conflict
from jiceng.core.models import AuditAction
from jiceng.core.scope import (
    grants_for,
    path_prefix,
    require_in_scope,
    require_place_in_scope,
)
from jiceng.core.tabular import TabularError, cell_text, read_rows
from jiceng.places.errors import PlaceError

from ..errors import PartyError
from ..models import (
    MemberStatus,
    PairKind,
    PartyMember,
    RosterCheck,
    RosterEntry,
    RosterPair,
)

COLUMNS = ["姓名", "身份证号", "工作单位"]
ALIASES = {
    "身份证号码": "身份证号",
    "公民身份号码": "身份证号",
    "证件号码": "身份证号",
    "单位": "工作单位",
    "所在单位": "工作单位",
}


def _read_roster(upload):
    """Yield (row number, name, ID number) from the uploaded roster."""
    from .. import matching  # with rapidfuzz: loaded by the processes that match

    suffix = os.path.splitext(upload.name)[1].lower()
    with tempfile.NamedTemporaryFile(suffix=suffix) as handle:
        for chunk in upload.chunks():
            handle.write(chunk)
        handle.flush()
        try:
            for row in read_rows(
                handle.name, upload.name, required={"姓名"}, aliases=ALIASES
            ):
                name = cell_text(row.values.get("姓名"))
                number = matching.normalize_id(cell_text(row.values.get("身份证号")))
                if name or number:
                    yield row.number, name[:50], number[:24]
        except TabularError as exc:
            raise ValidationError(str(exc), code=PartyError.ROSTER_UNREADABLE) from exc


def community_members(community, unit, *, own_unit_only=False):
    """The in-service members the community registered who may be on this roster.

    A community also compares members with no unit on record; a unit checking its
    own roster sees only the members the community has down as its own.
    """
    members = (
        PartyMember.objects.filter(path_prefix(community.path, "place__path"))
        .filter(status=MemberStatus.IN_SERVICE)
        .select_related("resident", "unit")
    )
    if own_unit_only:
        return members.filter(unit=unit)
    if unit is not None:
        members = members.filter(Q(unit=unit) | Q(unit__isnull=True))
    return members


def checks_as_unit(actor, community, unit) -> bool:
    """Whether the actor checks as the unit itself (双向: units upload their own).

    Raises PermissionDenied when the actor may do neither.
    """
    try:
        require_place_in_scope(community, actor, "party.change")
        return False
    except PermissionDenied:
        if unit is not None and unit.pk in unit_ids(actor):
            return True
        raise


def unit_ids(actor):
    return {
        g.unit_id for g in grants_for(actor) if g.unit_id and g.allows("party.view")
    }


@transaction.atomic
def start_check(*, actor, community, unit, upload) -> RosterCheck:
    from .. import matching

    if community.kind != "community":
        raise ValidationError("请选择社区", code=PlaceError.WRONG_KIND)
    as_unit = checks_as_unit(actor, community, unit)
    check = RosterCheck.objects.create(
        community=community,
        unit=unit,
        filename=os.path.basename(upload.name)[:255],
        created_by=actor,
    )
    entries = RosterEntry.objects.bulk_create(
        [
            RosterEntry(roster_check=check, row_number=n, name=name, id_number=number)
            for n, name, number in _read_roster(upload)
        ],
        batch_size=1000,
    )
    if not entries:
        raise ValidationError("名单中没有人员", code=PartyError.ROSTER_EMPTY)
    members = list(community_members(community, unit, own_unit_only=as_unit))
    left = [matching.Person(e, e.name, e.id_number) for e in entries]
    right = [matching.Person(m, m.resident.name, m.resident.id_number) for m in members]
    result = matching.match(left, right)
    # matched pairs are settled (same, or same with differences); review pairs wait
    paired = [(p, False) for p in result.matched] + [(p, True) for p in result.review]
    pairs = [
        RosterPair(
            roster_check=check,
            entry=p.left.key,
            member=p.right.key,
            score=p.score,
            differences=p.differences,
            kind=PairKind.REVIEW
            if doubtful
            else (PairKind.CONFLICT if p.differences else PairKind.MATCHED),
        )
        for p, doubtful in paired
    ]
    pairs += [
        RosterPair(roster_check=check, entry=p.key, kind=PairKind.ONLY_UNIT)
        for p in result.only_left
    ]
    # Members with no unit on record may simply work elsewhere: only those the
    # community has down as this unit's are missing from its roster.
    pairs += [
        RosterPair(roster_check=check, member=p.key, kind=PairKind.ONLY_COMMUNITY)
        for p in result.only_right
        if unit is None or p.key.unit_id == unit.pk
    ]
    RosterPair.objects.bulk_create(pairs, batch_size=1000)
    check.roster_size, check.community_size = len(entries), len(members)
    check.save(update_fields=["roster_size", "community_size"])
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        target=check,
        changes={"roster": len(entries), "community": len(members)},
    )
    require_in_scope(check, actor, "view")  # a unit's own check is theirs to read
    return check


@transaction.atomic
def decide(*, actor, pair, same_person: bool, version: int) -> RosterPair:
    """Settle a doubtful pair; two people deciding at once: the second is told."""
    pair = (
        RosterPair.objects.select_for_update(of=("self",))
        .select_related("roster_check")
        .get(pk=pair.pk)
    )
    require_in_scope(pair.roster_check, actor, "change")
    if pair.kind != PairKind.REVIEW or pair.version != version:
        raise Conflict("该记录已被他人处理，请刷新后查看")
    pair.decided_by, pair.decided_at = actor, timezone.now()
    pair.version += 1
    if same_person:
        pair.kind = PairKind.CONFLICT if pair.differences else PairKind.MATCHED
        pair.save()
    else:
        member = pair.member
        pair.kind, pair.member, pair.score, pair.differences = (
            PairKind.ONLY_UNIT,
            None,
            0,
            [],
        )
        pair.save()
        RosterPair.objects.create(
            roster_check=pair.roster_check,
            member=member,
            kind=PairKind.ONLY_COMMUNITY,
            decided_by=actor,
            decided_at=pair.decided_at,
        )
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=pair.roster_check,
        changes={"pair": pair.pk, "same_person": same_person},
    )
    return pair


def counts(check) -> dict:
    found = dict(check.pairs.order_by().values_list("kind").annotate(n=Count("pk")))
    return {kind: found.get(kind, 0) for kind in PairKind.values}
