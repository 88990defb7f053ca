"""Shared venues: catalogue, week calendar, booking, approval, QR check-in, usage."""

import io
from datetime import date, timedelta

import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from jiceng.core.forms import add_service_errors
from jiceng.core.htmx import paginate, query_without_page, render_page
from jiceng.core.scope import (
    can,
    get_visible_or_404,
    has_permission,
    permission_required,
)

from ..filters import BookingFilter, VenueFilter
from ..forms import BookingForm, DecisionForm, VenueForm
from ..models import Booking, BookingStatus, Venue
from ..services import venues as services
from .common import act, flags, form_page


def qr_svg(url):
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=10)
    buffer = io.BytesIO()
    image.save(buffer)
    return mark_safe(buffer.getvalue().decode())  # noqa: S308 (our own SVG)


@permission_required("alliances.view")
def venue_list(request):
    rows = Venue.objects.visible_to(request.user).select_related("place", "owner_unit")
    filters = VenueFilter(request.GET or None, queryset=rows)
    return render_page(
        request,
        "alliances/venue_list.html",
        {
            "page": paginate(request, filters.qs),
            "filter": filters,
            "query": query_without_page(request),
            **flags(request.user),
        },
        partial="alliances/partials/venue_cards.html",
    )


def _monday(request):
    try:
        day = date.fromisoformat(request.GET.get("week", ""))
    except ValueError:
        day = timezone.localdate()
    if not date(2000, 1, 3) <= day <= date(2100, 1, 1):
        day = timezone.localdate()
    return day - timedelta(days=day.weekday())


@permission_required("alliances.view")
def venue_detail(request, pk):
    venue = get_visible_or_404(
        Venue.objects.select_related("place", "owner_unit"), request.user, pk=pk
    )
    monday = _monday(request)
    form = BookingForm(
        initial={"attendees": min(10, venue.capacity)}, user=request.user
    )
    return render(
        request,
        "alliances/venue_detail.html",
        {
            "venue": venue,
            "days": services.week_of(venue, monday),
            "monday": monday,
            "prev_week": monday - timedelta(days=7),
            "next_week": monday + timedelta(days=7),
            "today": timezone.localdate(),
            "form": form,
            "manages": can(request.user, venue, "approve"),
            **flags(request.user),
        },
    )


@permission_required("alliances.book")
def venue_book(request, pk):
    venue = get_visible_or_404(Venue.objects, request.user, pk=pk)
    form = BookingForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            booking = services.book_venue(
                actor=request.user,
                venue=venue,
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                purpose=data["purpose"],
                attendees=data["attendees"],
                meeting=data.get("meeting"),
                activity=data.get("activity"),
            )
        except (ValidationError, PermissionDenied) as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                "预约已提交，等待场地方审批"
                if booking.status == BookingStatus.PENDING
                else "预约成功",
            )
            return redirect(booking)
    return render(
        request,
        "alliances/form.html",
        {"form": form, "title": f"预约：{venue}", "submit": "提交预约"},
        status=400 if form.errors else 200,
    )


@permission_required("alliances.change", "alliances.approve")
def venue_new(request, pk=None):
    """Register a venue (community/street) or edit one the user manages."""
    venue = (
        get_visible_or_404(Venue.objects, request.user, "approve", pk=pk)
        if pk
        else None
    )
    if venue is None and not has_permission(request.user, "alliances.change"):
        raise PermissionDenied
    form = VenueForm(request.POST or None, instance=venue, user=request.user)

    def save(data):
        place = data.pop("place")
        return services.save_venue(actor=request.user, venue=venue, place=place, **data)

    return form_page(request, form, "共享场地", save)


def _bookings(user):
    return Booking.objects.visible_to(user).select_related(
        "venue", "booker_place", "booker_unit", "booker_org", "booked_by"
    )


@permission_required("alliances.view")
def booking_list(request):
    rows = _bookings(request.user).order_by("-starts_at", "-pk")
    filters = BookingFilter(request.GET or None, queryset=rows)
    return render_page(
        request,
        "alliances/booking_list.html",
        {
            "page": paginate(request, filters.qs),
            "filter": filters,
            "query": query_without_page(request),
        },
        partial="alliances/partials/booking_rows.html",
    )


@permission_required("alliances.view")
def booking_detail(request, pk):
    booking = get_visible_or_404(_bookings(request.user), request.user, pk=pk)
    checkin_url = request.build_absolute_uri(
        reverse("alliances:booking_checkin", args=[booking.checkin_token])
    )
    mine = booking.booked_by_id == request.user.pk
    return render(
        request,
        "alliances/booking_detail.html",
        {
            "booking": booking,
            "mine": mine,
            "manages": services.may_decide(request.user, booking),
            "qr": qr_svg(checkin_url) if mine and booking.is_live else "",
            "checkin_url": checkin_url,
            "decision_form": DecisionForm(),
        },
    )


@require_POST
@permission_required("alliances.approve")
def booking_decide(request, pk):
    booking = get_visible_or_404(_bookings(request.user), request.user, pk=pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请选择审批结果")
        return redirect(booking)
    return act(
        request,
        lambda: services.decide_booking(
            actor=request.user,
            booking=booking,
            approve=form.cleaned_data["approve"],
            note=form.cleaned_data["note"],
            version=request.POST.get("version") or None,
        ),
        lambda b: f"预约{b.get_status_display()}",
        booking.get_absolute_url(),
    )


@require_POST
@permission_required("alliances.view")
def booking_cancel(request, pk):
    booking = get_visible_or_404(_bookings(request.user), request.user, pk=pk)
    return act(
        request,
        lambda: services.cancel_booking(actor=request.user, booking=booking),
        "预约已取消",
        booking.get_absolute_url(),
    )


@permission_required("alliances.view")
def booking_checkin(request, token):
    """The page the booking's QR code opens at the venue: one button to check in."""
    booking = services.booking_for_token(token)
    if booking is None or not can(request.user, booking, "view"):
        raise Http404
    if request.method == "POST":
        return act(
            request,
            lambda: services.check_in(actor=request.user, booking=booking),
            "签到成功",
            request.path,
        )
    return render(request, "alliances/booking_checkin.html", {"booking": booking})


@permission_required("alliances.view")
def usage(request):
    rows = Booking.objects.visible_to(request.user)
    since = timezone.now() - timedelta(days=365)
    figures = services.usage(rows.filter(starts_at__gte=since))
    return render(request, "alliances/usage.html", figures)
