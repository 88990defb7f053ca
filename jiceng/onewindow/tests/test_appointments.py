"""Booking on the phone: 201, or 409 once the slot is full; never overbooked, not
even by threads racing on the engine under test; reminders once; no-shows."""

import json
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from jiceng.notices.models import Notification
from jiceng.onewindow import services
from jiceng.onewindow.models import Appointment, AppointmentStatus, ServicePoint, Slot

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def slot():
    return (
        Slot.objects.filter(starts_at__gt=timezone.now(), booked=0)
        .select_related("point", "item")
        .order_by("starts_at")
        .first()
    )


def booking(slot):
    return {
        "item": slot.item_id,
        "slot": timezone.localtime(slot.starts_at).isoformat(),
    }


def test_booking_answers_201_then_409_when_full(slot, api_for, people):
    # given a slot with room for one
    Slot.objects.filter(pk=slot.pk).update(capacity=1)
    url = f"/api/v1/service-points/{slot.point_id}/appointments/"
    # when dangyuan books it
    first = api_for("dangyuan").post(
        url, booking(slot), content_type="application/json"
    )
    # then it is booked, and the next person is told it is full
    assert first.status_code == 201, first.content
    assert first.json()["status"] == "booked"
    from django.contrib.auth import get_user_model

    from jiceng.core.models import Assignment

    other = get_user_model().objects.create(username="another-resident")
    Assignment.objects.create(user=other, role="member")
    second = api_for("another-resident").post(
        url, booking(slot), content_type="application/json"
    )
    assert second.status_code == 409
    assert second.json()["code"] == "full"
    assert Slot.objects.get(pk=slot.pk).booked == 1


def test_a_naive_time_is_read_as_beijing_time(slot, api_for):
    naive = timezone.localtime(slot.starts_at).replace(tzinfo=None).isoformat()
    response = api_for("dangyuan").post(
        f"/api/v1/service-points/{slot.point_id}/appointments/",
        {"item": slot.item_id, "slot": naive},
        content_type="application/json",
    )
    assert response.status_code == 201


def test_an_unknown_slot_is_404(slot, api_for):
    response = api_for("dangyuan").post(
        f"/api/v1/service-points/{slot.point_id}/appointments/",
        {"item": slot.item_id, "slot": "2031-01-01T03:17:00+08:00"},
        content_type="application/json",
    )
    assert response.status_code == 404


def test_the_database_refuses_an_overbooked_slot(slot):
    with pytest.raises(IntegrityError), transaction.atomic():
        Slot.objects.filter(pk=slot.pk).update(booked=slot.capacity + 1)


def test_cancelling_frees_the_place(slot, people):
    appointment = services.book(actor=people["dangyuan"], slot=slot)
    assert Slot.objects.get(pk=slot.pk).booked == 1
    services.cancel(actor=people["dangyuan"], appointment=appointment)
    assert Slot.objects.get(pk=slot.pk).booked == 0
    # and the same person may book again
    services.book(actor=people["dangyuan"], slot=slot)


def test_reminders_are_sent_once_the_day_before(slot, people):
    appointment = services.book(actor=people["dangyuan"], slot=slot)
    the_eve = slot.starts_at - timedelta(hours=20)
    assert services.send_reminders(now=the_eve) >= 1
    assert services.send_reminders(now=the_eve) == 0
    reminders = Notification.objects.filter(
        user=people["dangyuan"],
        message__startswith="预约提醒",
        message__contains=slot.item.name,
    )
    assert reminders.count() == 1
    appointment.refresh_from_db()
    assert appointment.reminded_at is not None


def test_no_shows_are_recorded(slot, people, client_for):
    appointment = services.book(actor=people["dangyuan"], slot=slot)
    # the window marks a no-show by hand
    response = client_for("shegong").post(
        f"/onewindow/appointments/{appointment.pk}/attendance/", {"attended": "0"}
    )
    assert response.status_code == 302
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.NO_SHOW
    # and the sweep marks the rest once their slot is long over
    other = services.book(
        actor=people["dangyuan"],
        slot=Slot.objects.filter(starts_at__gt=slot.starts_at, booked=0).first(),
    )
    later = other.slot.ends_at + timedelta(hours=2)
    assert services.sweep_no_shows(now=later) >= 1
    other.refresh_from_db()
    assert other.status == AppointmentStatus.NO_SHOW


def test_the_booking_page_books_on_the_phone(slot, client_for):
    client = client_for("dangyuan")
    page = client.get(f"/onewindow/points/{slot.point_id}/book/")
    assert page.status_code == 200
    response = client.post(
        f"/onewindow/points/{slot.point_id}/book/", {"slot": slot.pk}
    )
    assert response.status_code == 302 and response["Location"] == "/onewindow/my/"
    assert Appointment.objects.filter(slot=slot, status="booked").count() == 1


def test_threads_racing_for_a_slot_never_overbook(race_database_url):
    # given 20 residents and a slot for 5, in a fresh database of this engine
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    if race_database_url:
        env["DATABASE_URL"] = race_database_url
    env["JICENG_ENV"] = "test"
    # when they all book at the same moment
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "benchmarks._onewindow_race",
            "--requests",
            "20",
            "--capacity",
            "5",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,  # hang guard: migrating a fresh database is slow on a busy machine
        check=True,
    )
    result = json.loads(completed.stdout)
    # then exactly five got a place and the rest were told it is full
    assert result["errors"] == []
    assert result["outcomes"] == {"booked": 5, "full": 15}
    assert result["booked_counter"] == result["appointments"] == 5


def test_points_expose_their_bookable_items(slot):
    assert (
        ServicePoint.objects.get(pk=slot.point_id)
        .items.filter(pk=slot.item_id)
        .exists()
    )
