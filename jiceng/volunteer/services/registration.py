"""双报到: register, confirm or return; 双服务 unit records; 双报告 quarterly reports
and annual evaluations."""

from datetime import date, datetime, time
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone

from jiceng.core import audit
from jiceng.core.errors import check_version
from jiceng.core.models import AuditAction
from jiceng.core.scope import (
    grants_for,
    place_path_allowed,
    require_in_scope,
    require_permission,
    require_place_in_scope,
)
from jiceng.party.models import MemberStatus
from jiceng.places.models import PlaceKind

from ..errors import Code
from ..models import (
    ACTIVE_REGISTRATION,
    AnnualEvaluation,
    ClaimStatus,
    Grade,
    HoursStatus,
    MemberRegistration,
    QuarterlyReport,
    RegistrationStatus,
    ServiceHours,
    Signup,
    UnitRegistration,
    UnitServiceRecord,
    WishClaim,
)
from .common import (
    MANAGE,
    bad_state,
    community_of,
    require_all_in_scope,
    volunteer_of,
)

YEARLY_TARGET_HOURS = Decimal(25)  # 在职党员每年到社区服务不少于25小时


def acts_for_unit(actor, unit):
    """The actor is the unit's party organisation (a unit_org grant for it)."""
    if actor.is_superuser:
        return True
    return any(
        g.unit_id == unit.pk and g.allows("volunteer.join") for g in grants_for(actor)
    )


def _check_community(community):
    if community is None or community.kind != PlaceKind.COMMUNITY:
        raise ValidationError({"community": "请选择报到的社区"})


@transaction.atomic
def register_unit(
    *, actor, unit, community, commitments="", claimed_items="", compounds=()
):
    """A unit's party organisation registers to a community (or the community
    registers it on the unit's behalf)."""
    _check_community(community)
    if not acts_for_unit(actor, unit):
        require_place_in_scope(community, actor, MANAGE)
    if UnitRegistration.objects.filter(
        unit=unit, community=community, status__in=ACTIVE_REGISTRATION
    ).exists():
        raise ValidationError("该单位已向此社区报到", code=Code.DUPLICATE)
    for compound in compounds:
        if compound.kind != PlaceKind.COMPOUND or not place_path_allowed(
            compound.path, [community.path]
        ):
            raise ValidationError({"compounds": "结对小区须在报到社区内"})
    registration = UnitRegistration.objects.create(
        unit=unit,
        community=community,
        party_org_name=unit.party_org_name or f"{unit.name}党组织",
        commitments=commitments.strip(),
        claimed_items=claimed_items.strip(),
        registered_by=actor,
    )
    registration.compounds.set(compounds)
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        target=registration,
        changes={"unit": unit.pk, "community": community.pk},
    )
    require_in_scope(registration, actor, "view")
    return registration


@transaction.atomic
def register_member(
    *,
    actor,
    commitments="",
    claimed_items="",
    skills="",
    available="",
    community=None,
):
    """An in-service party member registers to the community where they live."""
    require_permission(actor, "volunteer.join")
    resident = getattr(actor, "resident", None)
    member = getattr(resident, "party_member", None) if resident else None
    if member is None:
        raise ValidationError("只有登记在册的党员可以办理双报到", code=Code.NOT_MEMBER)
    if member.status != MemberStatus.IN_SERVICE:
        raise ValidationError(
            "双报到面向在职党员；离退休党员请直接参加社区志愿服务",
            code=Code.NOT_IN_SERVICE,
        )
    home = community_of(resident.place)
    if community is not None and home is not None and community.pk != home.pk:
        raise ValidationError(
            f"在职党员应向居住地社区（{home.name}）报到", code=Code.NOT_HOME
        )
    if MemberRegistration.objects.filter(
        member=member, status__in=ACTIVE_REGISTRATION
    ).exists():
        raise ValidationError("您已报到，无需重复办理", code=Code.DUPLICATE)
    volunteer = volunteer_of(actor)
    volunteer.skills, volunteer.available = skills.strip(), available.strip()
    volunteer.unit = member.unit or volunteer.unit
    volunteer.save(update_fields=["skills", "available", "unit"])
    registration = MemberRegistration.objects.create(
        member=member,
        volunteer=volunteer,
        community=home,
        unit=member.unit,
        commitments=commitments.strip(),
        claimed_items=claimed_items.strip(),
    )
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        target=registration,
        changes={"community": home.pk},
    )
    require_in_scope(registration, actor, "view")
    return registration


@transaction.atomic
def decide_registration(*, actor, registration, approve, note="", version=None):
    """The community confirms a registration (报到确认) or returns it with a reason."""
    model = type(registration)
    registration = model.objects.select_for_update().get(pk=registration.pk)
    check_version(registration, version)
    require_in_scope(registration, actor, "manage")
    if registration.status != RegistrationStatus.PENDING:
        raise bad_state(f"该报到当前为“{registration.get_status_display()}”")
    note = (note or "").strip()
    if not approve and not note:
        raise ValidationError({"note": "退回时请填写原因"})
    registration.status = (
        RegistrationStatus.CONFIRMED if approve else RegistrationStatus.REJECTED
    )
    registration.decided_by, registration.decided_at = actor, timezone.now()
    registration.note = note[:300]
    registration.version += 1
    registration.save()
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=registration,
        changes={"status": registration.status},
    )
    require_in_scope(registration, actor, "manage")
    return registration


@transaction.atomic
def withdraw_registration(*, actor, registration):
    model = type(registration)
    registration = model.objects.select_for_update().get(pk=registration.pk)
    own = (
        isinstance(registration, MemberRegistration)
        and registration.volunteer.user_id == actor.pk
    ) or (
        isinstance(registration, UnitRegistration)
        and acts_for_unit(actor, registration.unit)
    )
    if not own:
        raise PermissionDenied("只能撤回本人或本单位的报到")
    if registration.status not in ACTIVE_REGISTRATION:
        raise bad_state("该报到已结束")
    registration.status = RegistrationStatus.WITHDRAWN
    registration.version += 1
    registration.save()
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=registration,
        changes={"status": "withdrawn"},
    )
    require_in_scope(registration, actor, "view")
    return registration


@transaction.atomic
def record_unit_service(
    *, actor, registration, served_on, title, participants, hours, funds=0
):
    """双服务 (unit side): the unit or the community records what the unit did."""
    if not acts_for_unit(actor, registration.unit):
        require_in_scope(registration, actor, "manage")
    if registration.status != RegistrationStatus.CONFIRMED:
        raise bad_state("报到经社区确认后才能记录服务")
    if served_on > timezone.localdate():
        raise ValidationError({"served_on": "服务日期不能晚于今天"})
    if not title.strip():
        raise ValidationError({"title": "请填写服务内容"})
    record = UnitServiceRecord.objects.create(
        registration=registration,
        served_on=served_on,
        title=title.strip(),
        participants=participants,
        hours=hours,
        funds=funds or 0,
        recorded_by=actor,
    )
    audit.record(actor=actor, action=AuditAction.CREATE, target=record)
    require_in_scope(record, actor, "view")
    return record


# --- 双报告 ---------------------------------------------------------------------------


def quarter_bounds(year, quarter):
    """[start, end) of a quarter as aware datetimes in Asia/Shanghai."""
    if quarter not in (1, 2, 3, 4):
        raise ValidationError({"quarter": "季度为1至4"})
    start = date(year, 3 * quarter - 2, 1)
    end = date(year + 1, 1, 1) if quarter == 4 else date(year, 3 * quarter + 1, 1)
    return _aware(start), _aware(end)


def year_bounds(year):
    return _aware(date(year, 1, 1)), _aware(date(year + 1, 1, 1))


def _aware(day):
    return timezone.make_aware(datetime.combine(day, time.min))


def current_quarter(today=None):
    today = today or timezone.localdate()
    return today.year, (today.month - 1) // 3 + 1


def service_summary(volunteer_ids, start, end):
    """Per volunteer: confirmed hours, activities attended, wishes fulfilled."""
    hours = dict(
        ServiceHours.objects.filter(
            volunteer_id__in=volunteer_ids,
            status=HoursStatus.CONFIRMED,
            started_at__gte=start,
            started_at__lt=end,
        )
        .values("volunteer")
        .annotate(h=Sum("hours"))
        .values_list("volunteer", "h")
    )
    activities = dict(
        Signup.objects.filter(
            volunteer_id__in=volunteer_ids,
            checked_in_at__gte=start,
            checked_in_at__lt=end,
        )
        .values("volunteer")
        .annotate(n=Count("pk"))
        .values_list("volunteer", "n")
    )
    wishes = dict(
        WishClaim.objects.filter(
            volunteer_id__in=volunteer_ids,
            status=ClaimStatus.FULFILLED,
            fulfilled_at__gte=start,
            fulfilled_at__lt=end,
        )
        .values("volunteer")
        .annotate(n=Count("pk"))
        .values_list("volunteer", "n")
    )
    return {
        v: {
            "hours": hours.get(v) or Decimal(0),
            "activities": activities.get(v, 0),
            "wishes": wishes.get(v, 0),
        }
        for v in volunteer_ids
    }


def _evaluation_text(hours, quarter_target):
    if hours >= quarter_target:
        return f"本季度服务{hours}小时，达到季度目标，表现积极"
    if hours > 0:
        return f"本季度服务{hours}小时，未达到季度目标（{quarter_target}小时）"
    return "本季度未参加社区服务，请所在单位督促"


@transaction.atomic
def send_quarterly_reports(*, actor, registrations, year, quarter):
    """Generate and send (报送) the quarter's report of each confirmed registration to
    the member's unit. Re-sending refreshes the figures."""
    require_permission(actor, MANAGE)
    start, end = quarter_bounds(year, quarter)
    registrations = [
        r
        for r in registrations.select_related("community")
        if r.status == RegistrationStatus.CONFIRMED
    ]
    for registration in {r.community_id: r for r in registrations}.values():
        require_in_scope(registration, actor, "manage")
    summary = service_summary([r.volunteer_id for r in registrations], start, end)
    target = (YEARLY_TARGET_HOURS / 4).quantize(Decimal("0.1"))
    now, reports = timezone.now(), []
    for registration in registrations:
        figures = summary[registration.volunteer_id]
        report, _ = QuarterlyReport.objects.update_or_create(
            registration=registration,
            year=year,
            quarter=quarter,
            defaults={
                "hours": figures["hours"],
                "activities": figures["activities"],
                "wishes": figures["wishes"],
                "evaluation": _evaluation_text(figures["hours"], target),
                "sent_at": now,
            },
        )
        reports.append(report)
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        target_type="volunteer.quarterlyreport",
        target_repr=f"{year}年第{quarter}季度双报告 {len(reports)} 份",
        changes={"year": year, "quarter": quarter, "count": len(reports)},
    )
    require_all_in_scope(reports, actor, "manage")
    return reports


def idle_members(registrations, year, quarter):
    """Confirmed registrations whose member did not serve in the quarter."""
    start, end = quarter_bounds(year, quarter)
    served = ServiceHours.objects.filter(
        status=HoursStatus.CONFIRMED, started_at__gte=start, started_at__lt=end
    ).values("volunteer")
    return (
        registrations.filter(status=RegistrationStatus.CONFIRMED)
        .exclude(volunteer__in=served)
        .select_related("volunteer", "unit", "community")
    )


@transaction.atomic
def evaluate_member(*, actor, registration, year, grade, comment=""):
    """The community's annual evaluation (优秀/合格/不合格) of a registered member."""
    require_in_scope(registration, actor, "manage")
    if grade not in Grade.values:
        raise ValidationError({"grade": "请选择评定等次"})
    if registration.status != RegistrationStatus.CONFIRMED:
        raise bad_state("只能评定已报到的党员")
    start, end = year_bounds(year)
    hours = service_summary([registration.volunteer_id], start, end)[
        registration.volunteer_id
    ]["hours"]
    evaluation, _ = AnnualEvaluation.objects.update_or_create(
        registration=registration,
        year=year,
        defaults={
            "grade": grade,
            "hours": hours,
            "comment": comment.strip()[:300],
            "evaluated_by": actor,
        },
    )
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=evaluation,
        changes={"year": year, "grade": grade},
    )
    require_in_scope(evaluation, actor, "manage")
    return evaluation


def suggested_grade(hours):
    if hours >= YEARLY_TARGET_HOURS * 2:
        return Grade.EXCELLENT
    if hours >= YEARLY_TARGET_HOURS:
        return Grade.QUALIFIED
    return Grade.UNQUALIFIED


def registrations_for(actor):
    return MemberRegistration.objects.visible_to(actor).filter(
        ~Q(status=RegistrationStatus.WITHDRAWN)
    )
