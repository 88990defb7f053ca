"""The volunteering overview, the member's own H5 page, and reports with export."""

from django.shortcuts import redirect, render
from django.utils import timezone

from jiceng.core import audit
from jiceng.core.models import AuditAction
from jiceng.core.scope import has_permission, permission_required
from jiceng.transfer.workbooks import xlsx_response

from .. import reports, services
from ..forms import StatsForm
from ..models import (
    Activity,
    HoursStatus,
    MemberRegistration,
    RegistrationStatus,
    ServiceHours,
    Signup,
    SignupStatus,
    UnitRegistration,
    Wish,
    WishStatus,
    next_tier,
)
from ..services.registration import current_quarter
from ..services.wishes import unit_of
from .common import flags


@permission_required("volunteer.view")
def index(request):
    user = request.user
    if not has_permission(user, "volunteer.manage") and not has_permission(
        user, "volunteer.collect"
    ):
        if unit_of(user) is not None:
            return redirect("volunteer:unit_home")
        return redirect("volunteer:me")
    pending = {
        "units": UnitRegistration.objects.visible_to(user, "manage")
        .filter(status=RegistrationStatus.PENDING)
        .count(),
        "members": MemberRegistration.objects.visible_to(user, "manage")
        .filter(status=RegistrationStatus.PENDING)
        .count(),
        "hours": ServiceHours.objects.visible_to(user, "manage")
        .filter(status=HoursStatus.PENDING)
        .count(),
        "wishes": Wish.objects.visible_to(user)
        .filter(status=WishStatus.COLLECTED)
        .count(),
        "fulfilled": Wish.objects.visible_to(user)
        .filter(status=WishStatus.FULFILLED)
        .count(),
    }
    return render(
        request,
        "volunteer/index.html",
        {
            "pending": pending,
            "upcoming": Activity.objects.visible_to(user)
            .open()
            .order_by("starts_at")[:8],
            **flags(user),
        },
    )


@permission_required("volunteer.join")
def me(request):
    """我的志愿服务 (H5): registrations, activities, hours, points."""
    user = request.user
    volunteer = services.volunteer_of(user, create=False)
    if volunteer is None and getattr(user, "resident", None) is not None:
        volunteer = services.volunteer_of(user)
    context = {"volunteer": volunteer, **flags(user)}
    if volunteer is not None:
        context.update(
            registrations=volunteer.registrations.select_related("community"),
            can_register=volunteer.member_id is not None
            and not volunteer.registrations.filter(
                status__in=(RegistrationStatus.PENDING, RegistrationStatus.CONFIRMED)
            ).exists(),
            signups=Signup.objects.filter(volunteer=volunteer)
            .exclude(status=SignupStatus.CANCELLED)
            .select_related("activity")
            .order_by("-activity__starts_at")[:10],
            hours=volunteer.hours.all()[:10],
            ledger=volunteer.ledger.all()[:10],
            next=next_tier(volunteer.hours_total),
            open_activities=Activity.objects.visible_to(user)
            .open()
            .filter(community=volunteer.community)
            .exclude(signups__volunteer=volunteer)
            .order_by("starts_at")[:5],
            claims=volunteer.wish_claims.select_related("wish").order_by("-claimed_at")[
                :5
            ],
        )
    return render(request, "volunteer/me.html", context)


@permission_required("volunteer.join")
def unit_home(request):
    """The unit party organisation's page: its registrations, members, quarter."""
    unit = unit_of(request.user)
    if unit is None:
        return redirect("volunteer:index")
    year, quarter = current_quarter()
    members = MemberRegistration.objects.visible_to(request.user).filter(unit=unit)
    return render(
        request,
        "volunteer/unit_home.html",
        {
            "unit": unit,
            "registrations": UnitRegistration.objects.visible_to(request.user)
            .filter(unit=unit)
            .select_related("community"),
            "members": members.select_related("volunteer", "community"),
            "idle": services.idle_members(members, year, quarter),
            "year": year,
            "quarter": quarter,
        },
    )


@permission_required("volunteer.view")
def stats(request):
    year = timezone.localdate().year
    form = StatsForm(request.GET or None, user=request.user, initial={"year": year})
    place, quarter = None, None
    if form.is_valid():
        year = form.cleaned_data["year"]
        place, quarter = form.cleaned_data["place"], form.cleaned_data["quarter"]
    result = reports.figures(
        actor=request.user, year=year, quarter=quarter, place=place
    )
    if request.GET.get("export") == "xlsx":
        period = f"{year}年" + (f"第{quarter}季度" if quarter else "")
        audit.record(
            actor=request.user,
            action=AuditAction.EXPORT,
            target_type="volunteer.report",
            target_repr=f"志愿服务统计 {period}",
        )
        return xlsx_response(
            reports.table(result),
            f"volunteer-{year}{'-q' + str(quarter) if quarter else ''}.xlsx",
            title="志愿服务统计",
            note=f"{period} 双报到与志愿服务统计 · 导出人 {request.user}",
        )
    return render(
        request,
        "volunteer/stats.html",
        {
            "form": form,
            "result": result,
            "columns": reports.COLUMNS,
            "year": year,
            "quarter": quarter,
        },
    )
