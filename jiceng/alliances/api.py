"""Co-governance under /api/v1/: venues and their bookings, agreements, tasks,
meetings. Thin: scoped reads (visible_to / get_visible_or_404), one POST per
step calling the same services as the pages. A booking whose slot is taken is a
409 with the structured error (code "slot_taken")."""

from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate

from jiceng.core.apiutils import filtered
from jiceng.core.scope import get_visible_or_404
from jiceng.volunteer.models import Activity

from .filters import AgreementFilter, BookingFilter, TaskFilter, VenueFilter
from .models import Agreement, Booking, Meeting, Task, Venue
from .schemas import (
    AgreementDetailOut,
    AgreementOut,
    BookingDecisionIn,
    BookingIn,
    BookingOut,
    MeetingOut,
    OptionalVersionIn,
    TaskOut,
    TaskProgressIn,
    VenueOut,
)
from .services import meetings as meeting_services
from .services import venues as venue_services

venues = Router(tags=["共享空间"])
agreements = Router(tags=["共建协议"])
tasks = Router(tags=["联席会议议定事项"])
meetings = Router(tags=["联席会议"])


class VenueQuery(Schema):
    kind: str | None = None
    q: str | None = None


class BookingQuery(Schema):
    status: str | None = None
    day: str | None = None


class AgreementQuery(Schema):
    status: str | None = None
    expiring: bool | None = None


class TaskQuery(Schema):
    status: str | None = None


def _bookings(user):
    return Booking.objects.visible_to(user).select_related(
        "booker_org", "booker_unit", "booker_place", "booked_by"
    )


@venues.get("", response=list[VenueOut], summary="共享场地目录")
@paginate
def list_venues(request, filters: Query[VenueQuery]):
    rows = Venue.objects.visible_to(request.user).select_related("place")
    return filtered(VenueFilter, filters, rows)


@venues.get("{int:pk}", response=VenueOut, summary="场地详情")
def get_venue(request, pk: int):
    return get_visible_or_404(
        Venue.objects.select_related("place"), request.user, pk=pk
    )


@venues.get("{int:pk}/bookings/", response=list[BookingOut], summary="场地的预约")
@paginate
def list_venue_bookings(request, pk: int, filters: Query[BookingQuery]):
    venue = get_visible_or_404(Venue.objects, request.user, pk=pk)
    rows = _bookings(request.user).filter(venue=venue)
    return filtered(BookingFilter, filters, rows)


@venues.post(
    "{int:pk}/bookings/",
    response={201: BookingOut},
    summary="预约场地（时段已被占用时返回409）",
)
def book(request, pk: int, payload: BookingIn):
    venue = get_visible_or_404(Venue.objects, request.user, pk=pk)
    meeting = activity = None
    if payload.meeting_id:
        meeting = get_visible_or_404(
            Meeting.objects, request.user, pk=payload.meeting_id
        )
    if payload.activity_id:
        activity = get_visible_or_404(
            Activity.objects, request.user, pk=payload.activity_id
        )
    booking = venue_services.book_venue(
        actor=request.user,
        venue=venue,
        starts_at=payload.starts_at,
        ends_at=payload.ends_at,
        purpose=payload.purpose,
        attendees=payload.attendees,
        meeting=meeting,
        activity=activity,
    )
    return Status(201, booking)


@venues.get("bookings/", response=list[BookingOut], summary="我可见的预约")
@paginate
def list_bookings(request, filters: Query[BookingQuery]):
    return filtered(BookingFilter, filters, _bookings(request.user))


@venues.get("bookings/{int:pk}", response=BookingOut, summary="预约详情")
def get_booking(request, pk: int):
    return get_visible_or_404(_bookings(request.user), request.user, pk=pk)


@venues.post("bookings/{int:pk}/decide", response=BookingOut, summary="场地方审批")
def decide_booking(request, pk: int, payload: BookingDecisionIn):
    booking = get_visible_or_404(_bookings(request.user), request.user, pk=pk)
    return venue_services.decide_booking(
        actor=request.user,
        booking=booking,
        approve=payload.approve,
        note=payload.note,
        version=payload.version,
    )


@venues.post("bookings/{int:pk}/cancel", response=BookingOut, summary="取消预约")
def cancel_booking(request, pk: int, payload: OptionalVersionIn):
    booking = get_visible_or_404(_bookings(request.user), request.user, pk=pk)
    return venue_services.cancel_booking(
        actor=request.user, booking=booking, version=payload.version
    )


@venues.post("bookings/{int:pk}/check-in", response=BookingOut, summary="签到")
def check_in(request, pk: int):
    booking = get_visible_or_404(_bookings(request.user), request.user, pk=pk)
    return venue_services.check_in(actor=request.user, booking=booking)


@agreements.get("", response=list[AgreementOut], summary="共建协议")
@paginate
def list_agreements(request, filters: Query[AgreementQuery]):
    rows = Agreement.objects.visible_to(request.user).select_related("place", "unit")
    return filtered(AgreementFilter, filters, rows)


@agreements.get("{int:pk}", response=AgreementDetailOut, summary="协议详情与承诺")
def get_agreement(request, pk: int):
    return get_visible_or_404(
        Agreement.objects.select_related("place", "unit"), request.user, pk=pk
    )


@tasks.get("", response=list[TaskOut], summary="议定事项（任务）")
@paginate
def list_tasks(request, filters: Query[TaskQuery]):
    return filtered(TaskFilter, filters, Task.objects.visible_to(request.user))


@tasks.get("{int:pk}", response=TaskOut, summary="事项详情")
def get_task(request, pk: int):
    return get_visible_or_404(Task.objects, request.user, pk=pk)


@tasks.post("{int:pk}/progress", response=TaskOut, summary="报告进展（100%即办结）")
def report_progress(request, pk: int, payload: TaskProgressIn):
    task = get_visible_or_404(Task.objects, request.user, pk=pk)
    return meeting_services.report_progress(
        actor=request.user,
        task=task,
        progress=payload.progress,
        note=payload.note,
        version=payload.version,
    )


@meetings.get("", response=list[MeetingOut], summary="会议")
@paginate
def list_meetings(request):
    return Meeting.objects.visible_to(request.user)


@meetings.get("{int:pk}", response=MeetingOut, summary="会议详情")
def get_meeting(request, pk: int):
    return get_visible_or_404(Meeting.objects, request.user, pk=pk)
