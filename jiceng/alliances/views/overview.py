"""The co-governance overview and the generated 月通报/季调度/年总结 documents."""

from urllib.parse import urlencode

from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from jiceng.core.scope import permission_required

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
    """The 月通报 / 季调度 / 年总结 buttons: one bulletin mechanism for the platform
    (assessment's), asked for its 共建共治 sections of the running period."""
    period = request.GET.get("period", "month")
    kind = "pdf" if request.GET.get("format") == "pdf" else "docx"
    query = urlencode({"period": period, "format": kind, "topic": "alliances"})
    return redirect(f"{reverse('assessment:bulletin_download')}?{query}")
