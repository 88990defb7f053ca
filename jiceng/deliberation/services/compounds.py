"""Compound governance records: type, committee and its terms, property contract,
party branch and 交叉任职, 三无小区 coverage; owners' floor areas for votes."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from jiceng.core import audit
from jiceng.core.audit import diff
from jiceng.core.errors import check_version
from jiceng.core.models import AuditAction
from jiceng.core.scope import covers, require_in_scope
from jiceng.places.models import PlaceKind

from ..models import CommitteeMember, CompoundKind, CompoundProfile, HouseholdArea
from .common import community_of

MANAGE = "deliberation.compounds"
FIELDS = (
    "kind",
    "committee_kind",
    "property_company",
    "contract_start",
    "contract_end",
    "party_branch",
    "branch_secretary",
    "covered",
    "coverage",
    "coverage_note",
)


def _check(data):
    if data.get("contract_start") and data.get("contract_end"):
        if data["contract_end"] < data["contract_start"]:
            raise ValidationError({"contract_end": "合同到期不能早于开始"})
    if data.get("kind") == CompoundKind.FORMED and not data.get("property_company"):
        raise ValidationError({"property_company": "成形物业小区请填写物业公司"})
    if data.get("covered") and not data.get("coverage"):
        raise ValidationError({"coverage": "已覆盖时请选择覆盖方式"})


@transaction.atomic
def save_profile(*, actor, compound, version=None, **data):
    """Create or update a compound's governance record."""
    if compound.kind != PlaceKind.COMPOUND:
        raise ValidationError({"compound": "请选择小区"})
    if not covers(actor, compound, MANAGE):
        raise PermissionDenied("该小区不在您的权限范围内")
    data = {k: v for k, v in data.items() if k in FIELDS}
    _check(data)
    if data.get("kind") != CompoundKind.THREE_NO and "covered" not in data:
        data["covered"] = True
    profile = (
        CompoundProfile.objects.select_for_update().filter(compound=compound).first()
    )
    if profile is None:
        profile = CompoundProfile.objects.create(
            compound=compound, community=community_of(compound), **data
        )
        audit.record(actor=actor, action=AuditAction.CREATE, target=profile)
        return profile
    check_version(profile, version)
    before = {k: getattr(profile, k) for k in FIELDS}
    for key, value in data.items():
        setattr(profile, key, value)
    profile.version += 1
    profile.save()
    after = {k: getattr(profile, k) for k in FIELDS}
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=profile,
        changes=diff(before, after),
    )
    require_in_scope(profile, actor, "compounds")
    return profile


@transaction.atomic
def add_committee_member(
    *,
    actor,
    profile,
    name,
    term_start,
    position="委员",
    term_end=None,
    is_party_member=False,
):
    require_in_scope(profile, actor, "compounds")
    if not (name or "").strip():
        raise ValidationError({"name": "请填写姓名"})
    if term_end is not None and term_end < term_start:
        raise ValidationError({"term_end": "任期结束不能早于开始"})
    member = CommitteeMember.objects.create(
        profile=profile,
        name=name.strip()[:50],
        position=(position or "委员").strip()[:20],
        term_start=term_start,
        term_end=term_end,
        is_party_member=bool(is_party_member),
    )
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=profile,
        changes={"committee_added": member.name, "position": member.position},
    )
    return member


@transaction.atomic
def set_areas(*, actor, compound, areas):
    """Record households' 专有部分面积 ({household_id: Decimal}) in a compound."""
    if not covers(actor, compound, MANAGE):
        raise PermissionDenied("该小区不在您的权限范围内")
    from jiceng.core.scope import path_prefix
    from jiceng.people.models import Household

    inside = set(
        Household.objects.filter(
            path_prefix(compound.path, "place__path"), pk__in=list(areas)
        ).values_list("pk", flat=True)
    )
    if inside != set(areas):
        raise PermissionDenied("有的户不在该小区内")
    for household_id, area in areas.items():
        if area <= 0:
            raise ValidationError("面积须大于0")
        HouseholdArea.objects.update_or_create(
            household_id=household_id, defaults={"area": area}
        )
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=compound,
        changes={"areas_set": len(areas)},
    )
    return len(areas)
