"""Activities, sign-up with a waiting list, QR check-in/out, hours and their approval.

No hour is counted twice: a volunteer's pending or confirmed hours may not overlap,
and one cannot be checked in at two activities at once.
"""

from datetime import datetime, timedelta
from decimal import ROUND_DOWN, Decimal

from dateutil.rrule import MONTHLY, WEEKLY, rrule
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from jiceng.cases import photos
from jiceng.core import audit
from jiceng.core.errors import check_version
from jiceng.core.geo import distance_metres
from jiceng.core.models import AuditAction
from jiceng.core.scope import (
    require_in_scope,
    require_permission,
    require_place_in_scope,
)
from jiceng.notices.models import NoticeKind
from jiceng.notices.services import notify

from ..errors import Code
from ..models import (
    Activity,
    ActivityKind,
    ActivitySeries,
    ActivityStatus,
    EntryKind,
    HoursSource,
    HoursStatus,
    Recurrence,
    ServiceHours,
    Signup,
    SignupStatus,
    Volunteer,
)
from . import points as ledger
from .common import MANAGE, bad_state, volunteer_of

CHECKIN_EARLY = timedelta(minutes=30)  # check-in opens before the start
CHECKOUT_LATE = timedelta(minutes=60)  # check-out stays open after the end
MAX_SELF_HOURS = Decimal(12)


@transaction.atomic
def publish_activity(
    *, actor, community, title, venue, starts_at, ends_at, capacity, **fields
):
    require_place_in_scope(community, actor, MANAGE)
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": "结束时间须晚于开始时间"})
    if ends_at - starts_at > timedelta(hours=24):
        raise ValidationError({"ends_at": "单次活动不超过24小时"})
    if not capacity or capacity < 1:
        raise ValidationError({"capacity": "招募人数至少为1"})
    if (fields.get("checkin_radius") or 0) and (
        fields.get("lat") is None or fields.get("lng") is None
    ):
        raise ValidationError({"checkin_radius": "核对位置需要填写活动地点的经纬度"})
    activity = Activity.objects.create(
        community=community,
        title=title.strip(),
        venue=venue.strip(),
        starts_at=starts_at,
        ends_at=ends_at,
        capacity=capacity,
        organiser=actor,
        **fields,
    )
    audit.record(actor=actor, action=AuditAction.CREATE, target=activity)
    require_in_scope(activity, actor, "manage")
    return activity


MAX_OCCURRENCES = 60  # one series: at most this many dates (逢六 for ~20 months)
SIXES = (6, 16, 26)  # 逢六上街: the 6th, 16th and 26th of every month


def occurrence_days(recurrence, first_day, last_day):
    """The dates a series meets on, from first_day to last_day (both included):
    逢六 the 6th/16th/26th of each month, weekly the weekday of first_day."""
    rules = {
        Recurrence.MONTHLY_SIXES: {"freq": MONTHLY, "bymonthday": SIXES},
        Recurrence.WEEKLY: {"freq": WEEKLY, "byweekday": first_day.weekday()},
    }
    if recurrence not in rules:
        raise ValidationError({"recurrence": "请选择重复方式"})
    start = datetime.combine(first_day, datetime.min.time())
    until = datetime.combine(last_day, datetime.min.time())
    return [
        moment.date()
        for moment in rrule(dtstart=start, until=until, **rules[recurrence])
    ]


@transaction.atomic
def publish_series(
    *,
    actor,
    community,
    title,
    venue,
    starts_at,
    ends_at,
    capacity,
    recurrence,
    repeat_until,
    **fields,
):
    """A recurring activity (逢六上街, a weekly patrol): one Activity per date, each
    with its own sign-up, check-in and hours, at the times of the first one."""
    require_place_in_scope(community, actor, MANAGE)
    first_day = timezone.localtime(starts_at).date()
    if repeat_until is None or repeat_until < first_day:
        raise ValidationError({"repeat_until": "重复截止日期须不早于开始日期"})
    days = occurrence_days(recurrence, first_day, repeat_until)
    if not days:
        raise ValidationError({"repeat_until": "该时段内没有符合重复规则的日期"})
    if len(days) > MAX_OCCURRENCES:
        raise ValidationError(
            {"repeat_until": f"一个系列最多{MAX_OCCURRENCES}场，请缩短重复时段"}
        )
    series = ActivitySeries.objects.create(
        community=community,
        title=title.strip(),
        recurrence=recurrence,
        first_day=days[0],
        last_day=repeat_until,
        created_by=actor,
    )
    start, end = timezone.localtime(starts_at), timezone.localtime(ends_at)
    for day in days:
        shift = timedelta(days=(day - first_day).days)
        publish_activity(
            actor=actor,
            community=community,
            title=title,
            venue=venue,
            starts_at=start + shift,
            ends_at=end + shift,
            capacity=capacity,
            series=series,
            **fields,
        )
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        target=series,
        changes={"recurrence": recurrence, "count": len(days)},
    )
    return series


@transaction.atomic
def set_activity_status(*, actor, activity, status):
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    require_in_scope(activity, actor, "manage")
    if activity.status != ActivityStatus.PUBLISHED:
        raise bad_state("活动已取消或已结束")
    activity.status = status
    activity.version += 1
    activity.save(update_fields=["status", "version"])
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=activity,
        changes={"status": status},
    )
    require_in_scope(activity, actor, "manage")
    return activity


@transaction.atomic
def sign_up(*, actor, activity, now=None):
    """Sign up; past the capacity the volunteer waits in line (候补)."""
    require_permission(actor, "volunteer.join")
    now = now or timezone.now()
    volunteer = volunteer_of(actor)
    # the activity row is the lock that serialises sign-ups for its places
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    if activity.status != ActivityStatus.PUBLISHED or activity.ends_at <= now:
        raise bad_state("活动已结束或已取消，不能报名")
    signup = Signup.objects.filter(activity=activity, volunteer=volunteer).first()
    if signup is not None and signup.status != SignupStatus.CANCELLED:
        raise ValidationError("您已报名该活动", code=Code.DUPLICATE)
    taken = activity.signups.filter(status=SignupStatus.SIGNED).count()
    status = SignupStatus.SIGNED if taken < activity.capacity else SignupStatus.WAITING
    if signup is None:
        signup = Signup.objects.create(
            activity=activity, volunteer=volunteer, status=status
        )
    else:
        signup.status, signup.signed_at = status, now
        signup.save(update_fields=["status", "signed_at"])
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        target=signup,
        changes={"activity": activity.pk, "status": status},
    )
    require_in_scope(signup, actor, "view")
    return signup


@transaction.atomic
def cancel_signup(*, actor, signup):
    activity = Activity.objects.select_for_update().get(pk=signup.activity_id)
    signup = Signup.objects.select_for_update().get(pk=signup.pk)
    if signup.volunteer.user_id != actor.pk:
        require_in_scope(signup, actor, "manage")
    if signup.status == SignupStatus.CANCELLED or signup.checked_in_at:
        raise bad_state("已签到或已取消的报名不能取消")
    was_signed = signup.status == SignupStatus.SIGNED
    signup.status = SignupStatus.CANCELLED
    signup.save(update_fields=["status"])
    if was_signed:  # the first in line moves up
        first = (
            activity.signups.filter(status=SignupStatus.WAITING)
            .order_by("signed_at", "pk")
            .first()
        )
        if first is not None:
            first.status = SignupStatus.SIGNED
            first.save(update_fields=["status"])
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=signup,
        changes={
            "status": SignupStatus.CANCELLED,
            "moved_up": first.pk if was_signed and first is not None else None,
        },
    )
    require_in_scope(signup, actor, "view")
    return signup


def _check_location(activity, lat, lng):
    if not activity.checkin_radius or activity.lat is None or activity.lng is None:
        return
    if lat is None or lng is None:
        raise ValidationError(
            "该活动需核对位置，请允许浏览器获取定位后重试", code=Code.LOCATION
        )
    far = distance_metres(lat, lng, activity.lat, activity.lng)
    if far > activity.checkin_radius:
        raise ValidationError(
            f"您距活动地点约{far:.0f}米，超出签到范围（{activity.checkin_radius}米）",
            code=Code.LOCATION,
        )


def activity_for_token(token):
    return (
        Activity.objects.select_related("community").filter(checkin_token=token).first()
    )


def _overlapping(volunteer, start, end, exclude=None):
    found = ServiceHours.objects.filter(
        volunteer=volunteer,
        status__in=[HoursStatus.PENDING, HoursStatus.CONFIRMED],
        started_at__lt=end,
        ended_at__gt=start,
    )
    if exclude is not None:
        found = found.exclude(pk=exclude.pk)
    return found.first()


def _refuse_overlap(volunteer, start, end, exclude=None):
    other = _overlapping(volunteer, start, end, exclude)
    if other is not None:
        raise ValidationError(
            f"与已记录的服务“{other.title}”"
            f"（{timezone.localtime(other.started_at):%m-%d %H:%M}起）时段重叠，"
            "同一时段不能重复计算时长",
            code=Code.OVERLAP,
        )


def _locked_signup(actor, activity):
    """The actor's volunteer profile and sign-up, both locked for a check-in/out.

    The volunteer row is locked first so that one person's check-ins at two
    activities cannot both pass the overlap test.
    """
    volunteer = volunteer_of(actor)
    Volunteer.objects.select_for_update().filter(pk=volunteer.pk).get()
    signup = (
        Signup.objects.select_for_update()
        .filter(activity=activity, volunteer=volunteer)
        .first()
    )
    return volunteer, signup


@transaction.atomic
def check_in(*, actor, activity, lat=None, lng=None, now=None):
    """Check in on site by the organiser's QR code, within the time window."""
    now = now or timezone.now()
    volunteer, signup = _locked_signup(actor, activity)
    if signup is None or signup.status != SignupStatus.SIGNED:
        raise ValidationError(
            "请先报名（候补人员递补后才能签到）", code=Code.NOT_SIGNED
        )
    if activity.status != ActivityStatus.PUBLISHED:
        raise bad_state("活动已取消或已结束")
    if signup.checked_in_at:
        raise ValidationError("您已签到，请勿重复签到", code=Code.DUPLICATE)
    if not (activity.starts_at - CHECKIN_EARLY <= now <= activity.ends_at):
        raise ValidationError(
            "不在签到时间内（活动开始前30分钟至活动结束）", code=Code.WINDOW
        )
    _check_location(activity, lat, lng)
    elsewhere = (
        Signup.objects.filter(
            volunteer=volunteer,
            checked_in_at__isnull=False,
            checked_out_at__isnull=True,
            activity__ends_at__gt=now - CHECKOUT_LATE,
        )
        .exclude(pk=signup.pk)
        .select_related("activity")
        .first()
    )
    if elsewhere is not None:
        raise ValidationError(
            f"您正在参加“{elsewhere.activity.title}”，请先签退", code=Code.OVERLAP
        )
    _refuse_overlap(volunteer, max(now, activity.starts_at), activity.ends_at)
    signup.checked_in_at = now
    signup.save(update_fields=["checked_in_at"])
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=signup,
        changes={"checked_in_at": now.isoformat(), "lat": lat, "lng": lng},
    )
    require_in_scope(signup, actor, "view")
    return signup


def hours_between(start, end):
    """Whole half hours of service between two times."""
    seconds = max((end - start).total_seconds(), 0)
    halves = Decimal(seconds / 1800).quantize(Decimal(1), rounding=ROUND_DOWN)
    return halves / 2


@transaction.atomic
def check_out(*, actor, activity, lat=None, lng=None, now=None):
    """Check out; the hours between check-in and check-out (within the activity's
    time) wait for the organiser's confirmation."""
    now = now or timezone.now()
    volunteer, signup = _locked_signup(actor, activity)
    if signup is None or not signup.checked_in_at:
        raise ValidationError("请先签到", code=Code.NOT_SIGNED)
    if signup.checked_out_at:
        raise ValidationError("您已签退", code=Code.DUPLICATE)
    if now > activity.ends_at + CHECKOUT_LATE:
        raise ValidationError("签退时间已过（活动结束后1小时内）", code=Code.WINDOW)
    _check_location(activity, lat, lng)
    signup.checked_out_at = now
    start = max(signup.checked_in_at, activity.starts_at)
    end = min(now, activity.ends_at)
    hours = hours_between(start, end)
    if hours > 0:
        _refuse_overlap(volunteer, start, end)
        signup.hours = ServiceHours.objects.create(
            volunteer=volunteer,
            community=activity.community,
            source=HoursSource.ACTIVITY,
            activity=activity,
            title=activity.title,
            started_at=start,
            ended_at=end,
            hours=hours,
        )
    signup.save(update_fields=["checked_out_at", "hours"])
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=signup,
        changes={
            "checked_out_at": now.isoformat(),
            "hours": str(hours),
            "service_hours": signup.hours_id,
        },
    )
    require_in_scope(signup, actor, "view")
    return signup


@transaction.atomic
def log_hours(
    *,
    actor,
    community,
    title,
    started_at,
    ended_at,
    evidence=None,
    evidence_note="",
    now=None,
):
    """Self-logged service with evidence (photo or a description of who can vouch),
    approved later by the community."""
    require_permission(actor, "volunteer.join")
    now = now or timezone.now()
    if ended_at <= started_at:
        raise ValidationError({"ended_at": "结束时间须晚于开始时间"})
    if ended_at > now:
        raise ValidationError({"ended_at": "不能申报尚未发生的服务"})
    hours = hours_between(started_at, ended_at)
    if hours <= 0 or hours > MAX_SELF_HOURS:
        raise ValidationError({"ended_at": "单次申报时长为0.5至12小时"})
    if evidence is None and not (evidence_note or "").strip():
        raise ValidationError(
            "请上传现场照片或填写佐证说明（如服务对象、证明人）", code=Code.NO_EVIDENCE
        )
    # the photo is re-encoded before the volunteer's row is locked
    image = photos.prepare(evidence)[0] if evidence is not None else None
    volunteer = volunteer_of(actor)
    Volunteer.objects.select_for_update().filter(pk=volunteer.pk).get()
    _refuse_overlap(volunteer, started_at, ended_at)
    record = ServiceHours(
        volunteer=volunteer,
        community=community,
        source=HoursSource.SELF,
        title=title.strip(),
        started_at=started_at,
        ended_at=ended_at,
        hours=hours,
        evidence_note=(evidence_note or "").strip()[:300],
    )
    if image is not None:
        record.evidence.save(image.name, image, save=False)
    record.save()
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        target=record,
        changes={"hours": str(hours), "community": community.pk},
    )
    require_in_scope(record, actor, "view")
    return record


@transaction.atomic
def decide_hours(*, actor, record, approve, note="", version=None):
    """Confirm (points follow in the same transaction) or reject a stretch of hours."""
    record = ServiceHours.objects.select_for_update().get(pk=record.pk)
    check_version(record, version)
    require_in_scope(record, actor, "manage")
    if record.status != HoursStatus.PENDING:
        raise bad_state(f"该记录当前为“{record.get_status_display()}”")
    note = (note or "").strip()
    if not approve and not note:
        raise ValidationError({"note": "不通过时请填写原因"})
    record.decided_by, record.decided_at = actor, timezone.now()
    record.decision_note = note[:300]
    record.version += 1
    if approve:
        _refuse_overlap(record.volunteer, record.started_at, record.ended_at, record)
        record.status = HoursStatus.CONFIRMED
        record.save()
        Volunteer.objects.filter(pk=record.volunteer_id).update(
            hours_total=F("hours_total") + record.hours
        )
        rate = record.activity.points_per_hour if record.activity_id else 10
        earned = int(record.hours * rate)
        if earned:
            ledger.append_entry(
                volunteer=record.volunteer,
                kind=EntryKind.EARN,
                points=earned,
                reason=f"服务时长 {record.hours} 小时：{record.title}"[:200],
                actor=actor,
                hours=record,
            )
        if record.activity_id and record.activity.kind == ActivityKind.THEME_DAY:
            ledger.award_rule(
                volunteer=record.volunteer,
                code="theme_day",
                reason=record.title,
                actor=actor,
            )
    else:
        record.status = HoursStatus.REJECTED
        record.save()
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=record,
        changes={"status": record.status, "hours": str(record.hours)},
    )
    require_in_scope(record, actor, "manage")
    _tell_volunteer(record, actor)
    return record


def _tell_volunteer(record, actor):
    """The volunteer hears of the decision on their hours (after commit)."""
    user = record.volunteer.user if record.volunteer.user_id else None
    if user is None:
        return
    outcome = (
        "已确认，计入服务时长"
        if record.status == HoursStatus.CONFIRMED
        else "未通过审核，可在“我的志愿服务”查看原因"
    )
    message = f"您的服务时长（{record.hours}小时，{record.title[:20]}）{outcome}"
    transaction.on_commit(
        lambda: notify(
            [user],
            message,
            reverse("volunteer:me"),
            kind=NoticeKind.HOURS_DECIDED,
            exclude=actor,
        )
    )


@transaction.atomic
def confirm_activity_hours(*, actor, activity):
    """The organiser confirms every pending stretch of an activity at once (each
    one audited by decide_hours); all of them or none."""
    require_in_scope(activity, actor, "manage")
    done = 0
    for record in ServiceHours.objects.filter(
        activity=activity, status=HoursStatus.PENDING
    ):
        decide_hours(actor=actor, record=record, approve=True)
        done += 1
    return done
