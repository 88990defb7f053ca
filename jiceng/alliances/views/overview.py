"""The co-governance overview and the generated 月通报/季调度/年总结 documents."""

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from jiceng.core import audit
from jiceng.core.models import AuditAction
from jiceng.core.scope import permission_required

from .. import reports
from ..models import (
    Agreement,
    Alliance,
    Booking,
    BookingStatus,
    Meeting,
    Task,
    Venue,
)
from ..services import pairing
from .common import flags


@permission_required("alliances.view")
def index(request):
    user, now = request.user, timezone.now()
    today = timezone.localdate()
    tasks = Task.objects.visible_to(user)
    return render(
        request,
        "alliances/index.html",
        {
            "alliances": Alliance.objects.visible_to(user).select_related("place")[:6],
            "meetings": Meeting.objects.visible_to(user)
            .filter(ends_at__gte=now)
            .order_by("starts_at")[:5],
            "open_tasks": tasks.open().count(),
            "overdue": tasks.overdue(today).select_related("owner_unit")[:8],
            "expiring": Agreement.objects.visible_to(user)
            .expiring(today)
            .select_related("unit")[:5],
            "pending": Booking.objects.filter(
                venue__in=Venue.objects.visible_to(user, "approve"),
                status=BookingStatus.PENDING,
            ).select_related("venue")[:8],
            "coverage": [
                {k: row[k] for k in ("label", "total", "paired", "stale_count")}
                for row in pairing.coverage(user)
            ],
            **flags(user),
        },
    )


@permission_required("alliances.view")
def report(request):
    period = request.GET.get("period", "month")
    if period not in reports.PERIODS:
        period = "month"
    kind = "pdf" if request.GET.get("format") == "pdf" else "docx"
    built = reports.build(request.user, period)
    body = reports.to_pdf(built) if kind == "pdf" else reports.to_docx(built)
    audit.record(
        actor=request.user,
        action=AuditAction.EXPORT,
        target_type="alliances.report",
        target_id=period,
        target_repr=built.title,
    )
    content_type = (
        "application/pdf"
        if kind == "pdf"
        else "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    response = HttpResponse(body, content_type=content_type)
    filename = f"co-governance-{period}-{timezone.localdate():%Y%m%d}.{kind}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
