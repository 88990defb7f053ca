"""Shared venues: a community books a unit's room, the unit approves, the booker
checks in by the QR link; two live bookings of a venue never overlap."""

import itertools
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jiceng.alliances.errors import SlotTaken
from jiceng.alliances.models import LIVE_BOOKING, Booking, BookingStatus
from jiceng.alliances.services import venues as services
from jiceng.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def _iso(value):
    return value.isoformat()


def test_a_community_books_a_slot_through_the_api(api_for, room, at):
    # given shuji's token
    api = api_for("shuji")
    # when shuji books 09:00–11:00
    response = api.post(
        f"/api/v1/venues/{room.pk}/bookings/",
        {"starts_at": _iso(at(9)), "ends_at": _iso(at(11)), "purpose": "议事会"},
        content_type="application/json",
    )
    # then the booking waits for the owner's approval
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == BookingStatus.PENDING
    assert body["venue_id"] == room.pk
    assert AuditEntry.objects.filter(
        target_type="alliances.booking", target_id=str(body["id"])
    ).exists()


def test_an_overlapping_booking_is_a_409_with_the_structured_error(api_for, room, at):
    first = api_for("shuji").post(
        f"/api/v1/venues/{room.pk}/bookings/",
        {"starts_at": _iso(at(9)), "ends_at": _iso(at(11)), "purpose": "议事会"},
        content_type="application/json",
    )
    assert first.status_code == 201
    # when danwei asks for 10:00–12:00 of the same room
    second = api_for("danwei").post(
        f"/api/v1/venues/{room.pk}/bookings/",
        {"starts_at": _iso(at(10)), "ends_at": _iso(at(12)), "purpose": "党课"},
        content_type="application/json",
    )
    # then a conflict, and only the first booking holds the slot
    assert second.status_code == 409
    assert second.json()["code"] == "slot_taken"
    assert "已被预约" in second.json()["message"]
    assert Booking.objects.live().filter(venue=room, starts_at=at(10)).count() == 0


def test_back_to_back_bookings_do_not_overlap(people, room, at):
    services.book_venue(
        actor=people["shuji"], venue=room, starts_at=at(9), ends_at=at(11), purpose="a"
    )
    services.book_venue(
        actor=people["shuji"],
        venue=room,
        starts_at=at(11),
        ends_at=at(12),
        purpose="b",
    )
    assert Booking.objects.live().filter(venue=room).count() >= 2


def test_a_cancelled_booking_frees_its_slot(people, room, at):
    booking = services.book_venue(
        actor=people["shuji"], venue=room, starts_at=at(9), ends_at=at(11), purpose="a"
    )
    services.cancel_booking(actor=people["shuji"], booking=booking)
    again = services.book_venue(
        actor=people["danwei"], venue=room, starts_at=at(9), ends_at=at(11), purpose="b"
    )
    assert again.status == BookingStatus.PENDING


def test_the_owner_approves_and_the_booker_checks_in(people, client_for, room, at):
    booking = services.book_venue(
        actor=people["shuji"], venue=room, starts_at=at(9), ends_at=at(11), purpose="a"
    )
    # the booker cannot approve their own request
    with pytest.raises(PermissionDenied):
        services.decide_booking(actor=people["shuji"], booking=booking, approve=True)
    # the owner unit approves on the booking's page
    response = client_for("danwei").post(
        f"/alliances/bookings/{booking.pk}/decide/",
        {"approve": "1", "version": booking.version},
    )
    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.status == BookingStatus.APPROVED
    # too early to check in
    with pytest.raises(ValidationError):
        services.check_in(actor=people["shuji"], booking=booking, now=at(7))
    # at the venue, on time
    services.check_in(actor=people["shuji"], booking=booking, now=at(8, 45))
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CHECKED_IN


def test_another_streets_admin_cannot_decide(people, room, at):
    booking = services.book_venue(
        actor=people["shuji"], venue=room, starts_at=at(9), ends_at=at(11), purpose="a"
    )
    with pytest.raises(PermissionDenied):
        services.decide_booking(actor=people["jiedao2"], booking=booking, approve=True)


@pytest.mark.parametrize(
    "start,end,code",
    [
        ((7, 0), (9, 0), "closed"),  # before opening
        ((9, 0), (14, 0), "too_long"),  # beyond the room's three hours
    ],
)
def test_bookings_keep_to_opening_hours_and_length(people, room, at, start, end, code):
    with pytest.raises(ValidationError) as info:
        services.book_venue(
            actor=people["shuji"],
            venue=room,
            starts_at=at(*start),
            ends_at=at(*end),
            purpose="a",
        )
    assert code in str(info.value.error_dict) or info.value.error_dict


def test_a_booking_in_the_past_or_far_ahead_is_refused(api_for, room, at):
    api = api_for("shuji")
    for start in (at(9) - timedelta(days=60), at(9) + timedelta(days=400)):
        response = api.post(
            f"/api/v1/venues/{room.pk}/bookings/",
            {
                "starts_at": _iso(start),
                "ends_at": _iso(start + timedelta(hours=1)),
                "purpose": "x",
            },
            content_type="application/json",
        )
        assert response.status_code == 422


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the exclusion constraint is PostgreSQL's"
)
def test_the_database_itself_refuses_an_overlap(people, room, at):
    services.book_venue(
        actor=people["shuji"], venue=room, starts_at=at(9), ends_at=at(11), purpose="a"
    )
    # a write that skips the service still cannot overlap
    with pytest.raises(IntegrityError), transaction.atomic():
        Booking.objects.create(
            venue=room,
            starts_at=at(10),
            ends_at=at(12),
            purpose="b",
            booked_by=people["danwei"],
            status=BookingStatus.APPROVED,
        )


# --- property: random booking, cancelling and deciding never leaves an overlap -----

SLOTS = st.tuples(st.integers(0, 11), st.integers(1, 3))  # half-hours from 09:00
ACTIONS = st.lists(
    st.one_of(
        st.tuples(st.just("book"), st.sampled_from(["shuji", "danwei"]), SLOTS),
        st.tuples(st.just("cancel"), st.integers(0, 20)),
        st.tuples(st.just("approve"), st.integers(0, 20), st.booleans()),
    ),
    min_size=1,
    max_size=25,
)


class Rollback(Exception):
    pass


def assert_no_overlap(venue):
    live = list(
        Booking.objects.filter(venue=venue, status__in=LIVE_BOOKING).order_by(
            "starts_at"
        )
    )
    for before, after in itertools.pairwise(live):
        assert before.ends_at <= after.starts_at, (before, after)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(actions=ACTIONS)
def test_random_sequences_never_overlap(people, room, at, actions):
    try:
        with transaction.atomic():
            made = []
            for action in actions:
                if action[0] == "book":
                    _, who, (start, length) = action
                    begin = at(9) + timedelta(minutes=30 * start)
                    try:
                        made.append(
                            services.book_venue(
                                actor=people[who],
                                venue=room,
                                starts_at=begin,
                                ends_at=begin + timedelta(minutes=30 * length),
                                purpose="随机",
                            )
                        )
                    except SlotTaken:
                        pass
                elif made:
                    booking = made[action[1] % len(made)]
                    try:
                        if action[0] == "cancel":
                            services.cancel_booking(
                                actor=booking.booked_by, booking=booking
                            )
                        else:
                            services.decide_booking(
                                actor=people["danwei"],
                                booking=booking,
                                approve=action[2],
                            )
                    except ValidationError:
                        pass  # already decided or cancelled
                assert_no_overlap(room)
            raise Rollback
    except Rollback:
        pass


def test_the_week_calendar_shows_the_days_bookings(client_for, people, room, at):
    services.book_venue(
        actor=people["shuji"], venue=room, starts_at=at(9), ends_at=at(11), purpose="a"
    )
    day = at(9).date()
    response = client_for("shuji").get(
        f"/alliances/venues/{room.pk}/?week={day.isoformat()}"
    )
    assert response.status_code == 200
    assert "09:00–11:00" in response.content.decode()


def test_usage_counts_per_venue_and_booker(client_for):
    response = client_for("danwei").get("/alliances/usage/")
    assert response.status_code == 200
    venues = response.context["venues"]
    assert venues and venues[0]["checked_in"] >= 3  # the demo's three past uses
