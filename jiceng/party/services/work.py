"""Members at work (设岗定责, 先锋岗), non-territorial organisations (临时党支部,
行业党委, 产业链党委, 商圈) and 两个覆盖 of the 两新组织."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone

from jiceng.core import audit
from jiceng.core.errors import Conflict, check_version
from jiceng.core.models import AuditAction
from jiceng.core.scope import path_prefix, require_in_scope
from jiceng.people.models import Unit
from jiceng.places.models import Place

from ..models import (
    FlexKind,
    FlexMembership,
    FlexOrg,
    Industry,
    MemberPost,
    OrgForm,
    UnitCoverage,
)

# the 两新组织: 非公企业 and 社会组织 (个体工商户 in a 商圈 count too)
NEW_KINDS = ("private", "social_org", "individual")


@transaction.atomic
def assign_post(*, actor, member, kind, place, since, title="", duties="", unit=None):
    """设岗定责: give a member a post serving a compound or building."""
    require_in_scope(member, actor, "change")
    require_in_scope(place, actor, "view")
    if place.kind not in ("compound", "building", "community", "grid"):
        raise ValidationError({"place": "责任区应为小区、楼栋、网格或社区"})
    post = MemberPost.objects.create(
        member=member,
        kind=kind,
        title=title.strip(),
        place=place,
        unit=unit,
        duties=duties.strip(),
        since=since,
    )
    audit.record(actor=actor, action=AuditAction.CREATE, target=post)
    return post


@transaction.atomic
def create_flex_org(
    *,
    actor,
    name,
    kind,
    place,
    starts_on,
    parent=None,
    industry="",
    lead_unit=None,
    purpose="",
    ends_on=None,
):
    require_in_scope(place, actor, "change")
    if parent is not None:
        require_in_scope(parent, actor, "change")
    errors = {}
    if not (name or "").strip():
        errors["name"] = "请填写组织名称"
    if kind == FlexKind.TEMPORARY and not purpose.strip():
        errors["purpose"] = "临时党支部请填写所承担的项目或任务"
    if kind == FlexKind.CHAIN and lead_unit is None:
        errors["lead_unit"] = "产业链党委请选择链长单位"
    if ends_on and starts_on and ends_on < starts_on:
        errors["ends_on"] = "结束日期不能早于成立日期"
    if errors:
        raise ValidationError(errors)
    org = FlexOrg.objects.create(
        name=name.strip(),
        kind=kind,
        place=place,
        parent=parent,
        industry=industry,
        lead_unit=lead_unit,
        purpose=purpose.strip(),
        starts_on=starts_on,
        ends_on=ends_on,
    )
    audit.record(actor=actor, action=AuditAction.CREATE, target=org)
    return org


@transaction.atomic
def attach_member(*, actor, org, member, role="", on=None):
    """Attach a member to a flexible organisation. Their formal relation (org,
    place) is left as it is."""
    require_in_scope(org, actor, "change")
    require_in_scope(member, actor, "view")
    if org.dissolved_on:
        raise ValidationError("该组织已撤销")
    try:
        with transaction.atomic():
            link = FlexMembership.objects.create(
                org=org,
                member=member,
                role=role.strip(),
                joined_on=on or timezone.localdate(),
            )
    except IntegrityError as exc:
        raise Conflict("该党员已在本组织") from exc
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        target=link,
        changes={"formal_org": str(member.org or "")},
    )
    return link


@transaction.atomic
def dissolve_flex_org(*, actor, org, on, note, version=None):
    """撤销 (a 临时党支部 once its task is done): members leave, the record stays."""
    org = FlexOrg.objects.select_for_update().get(pk=org.pk)
    require_in_scope(org, actor, "change")
    check_version(org, version)
    if org.dissolved_on:
        raise Conflict("该组织已撤销")
    if not (note or "").strip():
        raise ValidationError({"note": "请填写撤销说明（任务完成情况）"})
    if on is None or on < org.starts_on:
        raise ValidationError({"on": "撤销日期不能早于成立日期"})
    org.dissolved_on, org.dissolution_note = on, note.strip()
    org.version += 1
    org.save()
    left = org.members.filter(left_on__isnull=True).update(left_on=on)
    audit.record(
        actor=actor,
        action=AuditAction.DELETE,
        target=org,
        changes={"members_left": left, "note": org.dissolution_note},
    )
    return org


@transaction.atomic
def set_coverage(
    *,
    actor,
    unit,
    org_form,
    work_covered,
    assignee="",
    industry="",
    commercial=None,
    version=None,
):
    require_in_scope(unit, actor, "view")
    require_in_scope(unit.place, actor, "change")
    if org_form not in OrgForm.values:
        raise ValidationError({"org_form": "请选择组织覆盖方式"})
    if org_form == OrgForm.NONE and not work_covered and not assignee.strip():
        raise ValidationError({"assignee": "未覆盖的单位请指定包联责任人"})
    coverage, created = UnitCoverage.objects.select_for_update().get_or_create(
        unit=unit
    )
    if not created:
        check_version(coverage, version)
    before = {
        "org_form": coverage.org_form,
        "work_covered": coverage.work_covered,
        "assignee": coverage.assignee,
    }
    coverage.org_form, coverage.work_covered = org_form, bool(work_covered)
    coverage.assignee, coverage.industry = assignee.strip(), industry
    coverage.commercial = commercial
    coverage.checked_on = timezone.localdate()
    coverage.version += 1
    coverage.save()
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=coverage,
        changes=audit.diff(
            before,
            {
                "org_form": coverage.org_form,
                "work_covered": coverage.work_covered,
                "assignee": coverage.assignee,
            },
        ),
    )
    return coverage


@dataclass
class Rate:
    key: str
    label: str
    units: int
    org_covered: int
    work_covered: int

    @property
    def org_rate(self):
        return round(100 * self.org_covered / self.units, 1) if self.units else None

    @property
    def work_rate(self):
        return round(100 * self.work_covered / self.units, 1) if self.units else None


def new_units(user, place=None):
    """两新组织 in the registry the user may see (in place's subtree)."""
    units = Unit.objects.visible_to(user).filter(kind__in=NEW_KINDS)
    if place is not None:
        units = units.filter(path_prefix(place.path, "place__path"))
    return units


ORG_COVERED = Q(coverage__isnull=False) & ~Q(coverage__org_form=OrgForm.NONE)
WORK_COVERED = Q(coverage__work_covered=True)
TALLY = {
    "n": Count("id"),
    "org": Count("id", filter=ORG_COVERED),
    "work": Count("id", filter=WORK_COVERED),
}


def _counts(units, group):
    return units.values(group).annotate(**TALLY).order_by(group)


def coverage_rates(units) -> dict:
    """Rates overall, per street, per industry and per 商圈, and the uncovered units."""
    total = units.aggregate(**TALLY)
    overall = Rate("all", "全部", total["n"], total["org"], total["work"])
    by_street = {}
    streets = {
        p.path: p for p in Place.objects.filter(kind="street").only("path", "name")
    }
    for row in _counts(units, "place__path"):
        path = row["place__path"]
        street = next((s for p, s in streets.items() if path.startswith(p)), None)
        key = street.path if street else ""
        rate = by_street.setdefault(
            key, Rate(key, street.name if street else "未归属街道", 0, 0, 0)
        )
        rate.units += row["n"]
        rate.org_covered += row["org"]
        rate.work_covered += row["work"]
    labels = dict(Industry.choices)
    by_industry = [
        Rate(
            r["coverage__industry"] or "",
            str(labels.get(r["coverage__industry"], "未分类")),
            r["n"],
            r["org"],
            r["work"],
        )
        for r in _counts(units, "coverage__industry")
    ]
    names = dict(FlexOrg.objects.values_list("pk", "name"))
    by_commercial = [
        Rate(
            str(r["coverage__commercial"]),
            names[r["coverage__commercial"]],
            r["n"],
            r["org"],
            r["work"],
        )
        for r in _counts(units, "coverage__commercial")
        if r["coverage__commercial"]
    ]
    uncovered = (
        units.filter(Q(coverage__isnull=True) | Q(coverage__org_form=OrgForm.NONE))
        .select_related("place", "coverage")
        .order_by("place__path", "name")
    )
    return {
        "overall": overall,
        "by_street": sorted(by_street.values(), key=lambda r: r.key),
        "by_industry": by_industry,
        "by_commercial": by_commercial,
        "uncovered": uncovered,
    }
