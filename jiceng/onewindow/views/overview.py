"""The window's first page: today's work and the figures that matter."""

from django.shortcuts import render
from django.utils import timezone

from .. import services
from ..models import Application, Appointment, AppointmentStatus, HomeVisit, Status
from .common import flags


def overview(request):
    user = request.user
    rows = Application.objects.visible_to(user)
    now = timezone.now()
    local = timezone.localtime(now)
    start = local.replace(hour=0, minute=0, second=0, microsecond=0)
    rates = services.one_visit_rates(rows, "community")
    finished = sum(r["finished"] for r in rates)
    once = sum(r["at_most_once"] for r in rates)
    return render(
        request,
        "onewindow/index.html",
        {
            "waiting": rows.filter(status=Status.SUBMITTED).count(),
            "incomplete": rows.filter(status=Status.INCOMPLETE).count(),
            "handling": rows.filter(
                status__in=[Status.ACCEPTED, Status.HANDED]
            ).count(),
            "overdue": rows.overdue(now).count(),
            "rate": round(100 * once / finished, 1) if finished else None,
            "finished": finished,
            "today_bookings": Appointment.objects.visible_to(user)
            .filter(
                status=AppointmentStatus.BOOKED,
                slot__starts_at__gte=start,
                slot__starts_at__lt=start + timezone.timedelta(days=1),
            )
            .count(),
            "visits_open": HomeVisit.objects.visible_to(user)
            .filter(status="requested")
            .count(),
            **flags(user),
        },
    )
