"""Appointment slots and bookings, reminders and no-shows.

No overbooking, on both engines: a booking takes its place with one conditional
UPDATE (booked = booked + 1 WHERE booked < capacity), which PostgreSQL re-checks
after waiting for a concurrent writer's row lock and SQLite runs under its single
writer lock; the check constraint slot_not_overbooked is the last word either way.
"""

from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from jiceng.core import audit
from jiceng.core.models import AuditAction
from jiceng.core.scope import require_in_scope, require_permission
from jiceng.notices.models import NoticeKind
from jiceng.notices.services import notify

from ..errors import Code
from ..models import Appointment, AppointmentStatus, Slot
from .common import bad_state

REMIND_AHEAD = timedelta(hours=24)


@transaction.atomic
def open_slots(*, actor, point, item, day, start, end, minutes=30, capacity=5):
    """Open the day's slots from start to end (times of day), each `minutes` long."""
    require_in_scope(point, actor, "manage")
    if not point.items.filter(pk=item.pk).exists():
        point.items.add(item)
    if capacity < 1:
        raise ValidationError({"capacity": "可约人数至少为1"})
    moment = timezone.make_aware(datetime.combine(day, start))
    last = timezone.make_aware(datetime.combine(day, end))
    made = []
    while moment + timedelta(minutes=minutes) <= last:
        slot, created = Slot.objects.get_or_create(
            point=point,
            item=item,
            starts_at=moment,
            defaults={
                "ends_at": moment + timedelta(minutes=minutes),
                "capacity": capacity,
            },
        )
        if created:
            made.append(slot)
        moment += timedelta(minutes=minutes)
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        target=point,
        changes={"slots": len(made), "item": item.pk, "day": day.isoformat()},
    )
    return made


def slot_for(point, item_id, starts_at):
    """The slot of a point for an item starting at starts_at (naive = Shanghai)."""
    if timezone.is_naive(starts_at):
        starts_at = timezone.make_aware(starts_at)
    return Slot.objects.filter(
        point=point, item_id=item_id, starts_at=starts_at
    ).first()


@transaction.atomic
def book(*, actor, slot, now=None):
    """Book a place in a slot, or say it is full (code FULL: the API's 409)."""
    require_permission(actor, "onewindow.book")
    now = now or timezone.now()
    if slot.starts_at <= now:
        raise ValidationError("该时段已过，请选择其他时间", code=Code.PAST)
    if Appointment.objects.filter(
        slot=slot, user=actor, status=AppointmentStatus.BOOKED
    ).exists():
        raise ValidationError("您已预约该时段", code=Code.DUPLICATE)
    taken = Slot.objects.filter(pk=slot.pk, booked__lt=F("capacity")).update(
        booked=F("booked") + 1
    )
    if not taken:
        raise ValidationError("该时段已约满，请选择其他时间", code=Code.FULL)
    resident = getattr(actor, "resident", None)
    try:
        with transaction.atomic():
            appointment = Appointment.objects.create(
                slot=slot,
                user=actor,
                name=resident.name if resident is not None else str(actor),
            )
    except IntegrityError as exc:
        raise ValidationError("您已预约该时段", code=Code.DUPLICATE) from exc
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        target=appointment,
        changes={"slot": slot.pk},
    )
    local = timezone.localtime(slot.starts_at)
    notify(
        [actor],
        f"预约成功：{local:%m月%d日 %H:%M} {slot.point.name}办理{slot.item.name}",
        "/onewindow/my/",
        kind=NoticeKind.APPOINTMENT,
    )
    return appointment


@transaction.atomic
def cancel(*, actor, appointment):
    row = Appointment.objects.select_for_update().get(pk=appointment.pk)
    if row.user_id != actor.pk:
        require_in_scope(row, actor, "manage")
    if row.status != AppointmentStatus.BOOKED:
        raise bad_state("该预约不能取消")
    row.status = AppointmentStatus.CANCELLED
    row.save(update_fields=["status"])
    Slot.objects.filter(pk=row.slot_id, booked__gt=0).update(booked=F("booked") - 1)
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=row,
        changes={"status": row.status},
    )
    return row


@transaction.atomic
def record_attendance(*, actor, appointment, attended):
    """The window marks who came (到场) and who did not (爽约)."""
    row = Appointment.objects.select_for_update().get(pk=appointment.pk)
    require_in_scope(row, actor, "manage")
    if row.status not in (AppointmentStatus.BOOKED, AppointmentStatus.NO_SHOW):
        raise bad_state("该预约已取消或已登记到场")
    row.status = AppointmentStatus.ATTENDED if attended else AppointmentStatus.NO_SHOW
    row.save(update_fields=["status"])
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=row,
        changes={"status": row.status},
    )
    return row


def send_reminders(*, now=None):
    """Remind, once, everyone booked for a slot starting within the next day."""
    now = now or timezone.now()
    due = Appointment.objects.filter(
        status=AppointmentStatus.BOOKED,
        reminded_at__isnull=True,
        slot__starts_at__gt=now,
        slot__starts_at__lte=now + REMIND_AHEAD,
    ).select_related("slot__point", "slot__item", "user")
    sent = 0
    for appointment in due:
        with transaction.atomic():
            claimed = Appointment.objects.filter(
                pk=appointment.pk, reminded_at__isnull=True
            ).update(reminded_at=now)
            if not claimed:
                continue
            slot = appointment.slot
            local = timezone.localtime(slot.starts_at)
            notify(
                [appointment.user],
                f"预约提醒：{local:%m月%d日 %H:%M}请到{slot.point.name}"
                f"办理{slot.item.name}，请带齐材料",
                "/onewindow/my/",
                kind=NoticeKind.APPOINTMENT,
            )
            audit.record(
                actor=None,
                action=AuditAction.UPDATE,
                target=appointment,
                changes={"reminded_at": now.isoformat()},
            )
            sent += 1
    return sent


def sweep_no_shows(*, now=None):
    """Bookings still open an hour after their slot ended are no-shows."""
    now = now or timezone.now()
    late = Appointment.objects.filter(
        status=AppointmentStatus.BOOKED, slot__ends_at__lt=now - timedelta(hours=1)
    )
    marked = 0
    for appointment in late:
        with transaction.atomic():
            if Appointment.objects.filter(
                pk=appointment.pk, status=AppointmentStatus.BOOKED
            ).update(status=AppointmentStatus.NO_SHOW):
                audit.record(
                    actor=None,
                    action=AuditAction.UPDATE,
                    target=appointment,
                    changes={"status": AppointmentStatus.NO_SHOW},
                )
                marked += 1
    return marked


def no_show_count(user) -> int:
    return Appointment.objects.filter(
        user=user, status=AppointmentStatus.NO_SHOW
    ).count()


def require_self(actor, appointment):
    if appointment.user_id != getattr(actor, "pk", None):
        raise PermissionDenied
