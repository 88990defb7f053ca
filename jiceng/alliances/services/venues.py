"""Shared venues: the catalogue, conflict-free booking, approval by the venue's
manager, check-in by QR, cancellation and usage figures.

No two live bookings of a venue overlap. book_venue locks the venue row and looks
for an overlap inside one transaction: on SQLite that transaction begins
IMMEDIATE (settings), so bookings are checked one after another; on PostgreSQL
the row lock serialises them and the exclusion constraint booking_no_overlap
refuses anything that slips past (a violation is the same 409 SlotTaken).
"""

from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, DurationField, ExpressionWrapper, F, Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from jiceng.core import audit
from jiceng.core.errors import check_version
from jiceng.core.models import AuditAction
from jiceng.core.scope import (
    can,
    grants_for,
    require_in_scope,
    require_permission,
    require_place_in_scope,
)
from jiceng.notices.models import NoticeKind
from jiceng.notices.services import notify

from ..errors import Code, SlotTaken, bad_state
from ..models import LIVE_BOOKING, Booking, BookingStatus, Venue
from .common import CHANGE, aware, community_or_street

BOOK = "alliances.book"
APPROVE = "alliances.approve"
BOOK_AHEAD = timedelta(days=180)  # how far ahead a venue can be booked
CHECKIN_EARLY = timedelta(minutes=30)


@transaction.atomic
def save_venue(*, actor, venue=None, place, **fields):
    """Add a venue to the catalogue (the community/street registers it, also a
    unit's room with the unit as its owner), or change one the actor manages (a
    unit its own rooms, a community/street the others)."""
    if fields.get("opens_at") and fields.get("closes_at"):
        if fields["closes_at"] <= fields["opens_at"]:
            raise ValidationError({"closes_at": "关闭时间须晚于开放时间"})
    created = venue is None
    if created:
        require_place_in_scope(place, actor, CHANGE)
        venue = Venue(place=place, **fields)
    else:
        require_in_scope(venue, actor, "approve")
        if place.pk != venue.place_id:
            require_place_in_scope(place, actor, CHANGE)
        venue.place = place
        for name, value in fields.items():
            setattr(venue, name, value)
    venue.save()
    audit.record(
        actor=actor,
        action=AuditAction.CREATE if created else AuditAction.UPDATE,
        target=venue,
        changes={k: str(v) for k, v in fields.items()},
    )
    return venue


def _booker_of(actor):
    """The community/street and unit a booking is made for, from the actor's grants."""
    place = unit = None
    for grant in grants_for(actor):
        if grant.allows(BOOK):
            if grant.unit_id and unit is None:
                unit = grant.unit_id
            if grant.place_path and place is None:
                place = grant.place_path
    return place, unit


def _check_times(venue, starts_at, ends_at, now):
    starts_at, ends_at = aware(starts_at, "starts_at"), aware(ends_at, "ends_at")
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": "结束时间须晚于开始时间"}, code=Code.INVALID)
    if starts_at < now - timedelta(minutes=5) or starts_at > now + BOOK_AHEAD:
        raise ValidationError(
            {"starts_at": "只能预约今后180天内的时段"}, code=Code.OUT_OF_RANGE
        )
    if ends_at - starts_at > timedelta(hours=venue.max_hours):
        raise ValidationError(
            {"ends_at": f"单次预约不超过{venue.max_hours}小时"}, code=Code.TOO_LONG
        )
    local_start, local_end = timezone.localtime(starts_at), timezone.localtime(ends_at)
    if (
        local_start.date() != local_end.date()
        or local_start.time() < venue.opens_at
        or local_end.time() > venue.closes_at
    ):
        raise ValidationError(
            {
                "starts_at": f"请在开放时间"
                f"{venue.opens_at:%H:%M}–{venue.closes_at:%H:%M}内预约"
            },
            code=Code.CLOSED,
        )
    return starts_at, ends_at


def book_venue(
    *,
    actor,
    venue,
    starts_at,
    ends_at,
    purpose,
    attendees=10,
    meeting=None,
    activity=None,
    booker_org=None,
    now=None,
):
    """Book a slot; SlotTaken (409) when a live booking of the venue overlaps it."""
    require_permission(actor, BOOK)
    now = now or timezone.now()
    if not can(actor, venue, "view") or not venue.active:
        raise PermissionDenied("该场地不在可预约范围内")
    purpose = (purpose or "").strip()
    if not purpose:
        raise ValidationError({"purpose": "请填写用途"}, code=Code.INVALID)
    starts_at, ends_at = _check_times(venue, starts_at, ends_at, now)
    if attendees and attendees > venue.capacity:
        raise ValidationError(
            {"attendees": f"该场地最多容纳{venue.capacity}人"}, code=Code.CAPACITY
        )
    if meeting is not None and not can(actor, meeting, "change"):
        raise PermissionDenied("不能关联该会议")
    if activity is not None and not can(actor, activity, "manage"):
        raise PermissionDenied("不能关联该志愿活动")
    place_path, unit_id = _booker_of(actor)
    booker_place = None
    if place_path:
        from jiceng.places.models import Place

        booker_place = community_or_street(Place.objects.get(path=place_path))
    try:
        with transaction.atomic():
            # the venue row is the lock that queues bookings of this venue
            Venue.objects.select_for_update().get(pk=venue.pk)
            if Booking.objects.overlapping(venue, starts_at, ends_at).exists():
                raise SlotTaken()
            booking = Booking.objects.create(
                venue=venue,
                starts_at=starts_at,
                ends_at=ends_at,
                purpose=purpose[:200],
                attendees=attendees or 1,
                booked_by=actor,
                booker_place=booker_place,
                booker_unit_id=unit_id,
                booker_org=booker_org,
                meeting=meeting,
                activity=activity,
                status=(
                    BookingStatus.PENDING
                    if venue.needs_approval
                    else BookingStatus.APPROVED
                ),
            )
            audit.record(
                actor=actor,
                action=AuditAction.CREATE,
                target=booking,
                changes={
                    "starts_at": starts_at.isoformat(),
                    "ends_at": ends_at.isoformat(),
                    "status": booking.status,
                },
            )
    except IntegrityError as exc:  # the exclusion constraint (PostgreSQL)
        if "booking_no_overlap" in str(exc):
            raise SlotTaken() from exc
        raise
    return booking


def _locked(booking):
    return (
        Booking.objects.select_for_update().select_related("venue").get(pk=booking.pk)
    )


def may_decide(actor, booking):
    """Whether the actor manages the booking's venue (its community/street or owner)."""
    return can(actor, booking.venue, "approve")


@transaction.atomic
def decide_booking(*, actor, booking, approve, note="", version=None):
    """The venue's manager approves or turns down a pending booking."""
    booking = _locked(booking)
    if not may_decide(actor, booking):
        raise PermissionDenied("只有场地管理方可以审批")
    check_version(booking, version)
    if booking.status != BookingStatus.PENDING:
        raise bad_state("该预约已处理")
    booking.status = BookingStatus.APPROVED if approve else BookingStatus.REJECTED
    booking.decided_by, booking.decided_at = actor, timezone.now()
    booking.decision_note = (note or "")[:200]
    booking.version += 1
    booking.save()
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=booking,
        changes={"status": booking.status, "note": booking.decision_note},
    )
    _tell_booker(booking, actor)
    return booking


def _tell_booker(booking, actor):
    """The person who booked hears the decision once it is saved."""
    if not booking.booked_by_id:
        return
    local = timezone.localtime(booking.starts_at)
    outcome = "已通过" if booking.status == BookingStatus.APPROVED else "未通过"
    message = f"您预约的{booking.venue.name}（{local:%m月%d日 %H:%M}）{outcome}审批"
    users, url = [booking.booked_by], booking.get_absolute_url()
    transaction.on_commit(
        lambda: notify(
            users, message, url, kind=NoticeKind.BOOKING_DECIDED, exclude=actor
        )
    )


@transaction.atomic
def cancel_booking(*, actor, booking, version=None, now=None):
    """The booker (or the venue's manager) cancels a booking before it starts."""
    now = now or timezone.now()
    booking = _locked(booking)
    if booking.booked_by_id != actor.pk and not may_decide(actor, booking):
        raise PermissionDenied("只能取消自己的预约")
    check_version(booking, version)
    if booking.status not in (BookingStatus.PENDING, BookingStatus.APPROVED):
        raise bad_state("该预约已签到、已取消或未获批准")
    if booking.ends_at <= now:
        raise bad_state("预约时段已结束，不能取消")
    booking.status = BookingStatus.CANCELLED
    booking.version += 1
    booking.save()
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=booking,
        changes={"status": booking.status},
    )
    return booking


def booking_for_token(token):
    return (
        Booking.objects.select_related("venue", "booked_by")
        .filter(checkin_token=token)
        .first()
    )


@transaction.atomic
def check_in(*, actor, booking, now=None):
    """Check in by the QR code the booking carries: the booker, on the day, at the
    venue (opens 30 minutes before the start)."""
    now = now or timezone.now()
    booking = _locked(booking)
    if booking.booked_by_id != actor.pk and not may_decide(actor, booking):
        raise PermissionDenied("只有预约人或场地管理方可以签到")
    if booking.status == BookingStatus.CHECKED_IN:
        return booking
    if booking.status != BookingStatus.APPROVED:
        raise bad_state("预约尚未获批准，不能签到")
    if not booking.starts_at - CHECKIN_EARLY <= now <= booking.ends_at:
        raise ValidationError("不在签到时间内（开始前30分钟至结束）", code=Code.WINDOW)
    booking.status, booking.checked_in_at = BookingStatus.CHECKED_IN, now
    booking.version += 1
    booking.save()
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=booking,
        changes={"status": booking.status},
    )
    return booking


def week_of(venue, monday):
    """The venue's live bookings in the week starting monday (local), by day."""
    from .common import day_start

    start = day_start(monday)
    rows = list(
        Booking.objects.live()
        .filter(venue=venue, starts_at__lt=start + timedelta(days=7))
        .filter(ends_at__gt=start)
        .select_related("booker_place", "booker_unit", "booker_org", "booked_by")
    )
    days = []
    for n in range(7):
        day = monday + timedelta(days=n)
        days.append(
            {
                "day": day,
                "bookings": [
                    b for b in rows if timezone.localtime(b.starts_at).date() == day
                ],
            }
        )
    return days


HOURS = ExpressionWrapper(F("ends_at") - F("starts_at"), output_field=DurationField())


def _figures(rows, key):
    used = Q(status__in=[BookingStatus.APPROVED, BookingStatus.CHECKED_IN])
    out = []
    for row in (
        rows.values(key)
        .annotate(
            bookings=Count("pk", filter=Q(status__in=LIVE_BOOKING)),
            checked_in=Count("pk", filter=Q(status=BookingStatus.CHECKED_IN)),
            cancelled=Count("pk", filter=Q(status=BookingStatus.CANCELLED)),
            duration=Sum(HOURS, filter=used),
        )
        .order_by("-bookings", key)
    ):
        duration = row["duration"] or timedelta()
        row["hours"] = round(duration.total_seconds() / 3600, 1)
        out.append(row)
    return out


def usage(bookings):
    """Usage per venue and per booking unit/community over a set of bookings."""
    by_venue = _figures(bookings, "venue__name")
    by_booker = _figures(
        bookings.annotate(
            booker_name=Coalesce(
                "booker_org__name", "booker_unit__name", "booker_place__name"
            )
        ),
        "booker_name",
    )
    return {"venues": by_venue, "bookers": by_booker}
