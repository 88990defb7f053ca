"""Activities, QR check-in, hours approval, 主题党日 plans, teams."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from jiceng.core.forms import add_service_errors
from jiceng.core.htmx import paginate, query_without_page, render_page
from jiceng.core.qr import qr_svg
from jiceng.core.scope import can, get_visible_or_404, permission_required

from .. import services
from ..filters import HoursFilter
from ..forms import (
    ActivityForm,
    DecisionForm,
    HoursForm,
    TeamForm,
    TeamMemberForm,
    ThemePlanForm,
)
from ..models import (
    Activity,
    ActivityKind,
    ActivityStatus,
    HoursStatus,
    MemberRegistration,
    RegistrationStatus,
    ServiceHours,
    Signup,
    SignupStatus,
    Team,
    ThemePlan,
)
from ..services.activities import activity_for_token
from .common import act, error_text, flags


def _activity_for(user, pk):
    """Staff reach their communities' activities, joiners every open one (Scope)."""
    return get_visible_or_404(Activity.objects.select_related("community"), user, pk=pk)


@permission_required("volunteer.view")
def activity_list(request):
    rows = (
        Activity.objects.visible_to(request.user)
        .select_related("community")
        .annotate(
            signed=Count("signups", filter=Q(signups__status=SignupStatus.SIGNED))
        )
        .order_by("-starts_at", "-pk")
    )
    return render_page(
        request,
        "volunteer/activity_list.html",
        {
            "page": paginate(request, rows),
            "query": query_without_page(request),
            **flags(request.user),
        },
        partial="volunteer/partials/activity_table.html",
    )


@permission_required("volunteer.manage")
def activity_new(request):
    form = ActivityForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        community = data.pop("community")
        recurrence, repeat_until = data.pop("recurrence"), data.pop("repeat_until")
        try:
            if recurrence:
                series = services.publish_series(
                    actor=request.user,
                    community=community,
                    recurrence=recurrence,
                    repeat_until=repeat_until,
                    **data,
                )
                activity = series.occurrences.order_by("starts_at").first()
                done = f"系列活动已发布，共{series.occurrences.count()}场，每场单独报名"
            else:
                activity = services.publish_activity(
                    actor=request.user, community=community, **data
                )
                done = "活动已发布"
        except (ValidationError, PermissionDenied) as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, done)
            return redirect(activity)
    return render(
        request,
        "volunteer/form.html",
        {"form": form, "title": "发布志愿活动", "submit": "发布"},
        status=400 if form.errors else 200,
    )


@permission_required("volunteer.view")
def activity_detail(request, pk):
    activity = _activity_for(request.user, pk)
    managing = can(request.user, activity, "manage")
    signups = activity.signups.select_related("volunteer", "hours")
    mine = signups.filter(volunteer__user=request.user).first()
    context = {
        "activity": activity,
        "managing": managing,
        "mine": mine,
        "signed": signups.filter(status=SignupStatus.SIGNED).count(),
        "now": timezone.now(),
        # the series' other dates the reader may open, upcoming first (逢六上街)
        "occurrences": (
            Activity.objects.visible_to(request.user)
            .filter(series=activity.series_id, ends_at__gt=timezone.now())
            .exclude(pk=activity.pk)
            .order_by("starts_at")[:8]
            if activity.series_id
            else []
        ),
        **flags(request.user),
    }
    if managing:
        checkin_url = request.build_absolute_uri(activity.get_checkin_url())
        context.update(
            signups=signups.exclude(status=SignupStatus.CANCELLED),
            checkin_url=checkin_url,
            qr=qr_svg(checkin_url),
            pending=ServiceHours.objects.filter(
                activity=activity, status=HoursStatus.PENDING
            ).count(),
        )
    return render(request, "volunteer/activity_detail.html", context)


@permission_required("volunteer.join")
@require_POST
def activity_signup(request, pk):
    activity = _activity_for(request.user, pk)
    return act(
        request,
        lambda: services.sign_up(actor=request.user, activity=activity),
        lambda s: (
            "报名成功" if s.status == SignupStatus.SIGNED else "名额已满，已进入候补"
        ),
        activity,
    )


@permission_required("volunteer.view")
@require_POST
def activity_cancel_signup(request, pk):
    activity = _activity_for(request.user, pk)
    signup = Signup.objects.filter(
        activity=activity, volunteer__user=request.user
    ).first()
    if signup is None:
        messages.error(request, "您未报名该活动")
        return redirect(activity)
    return act(
        request,
        lambda: services.cancel_signup(actor=request.user, signup=signup),
        "已取消报名",
        activity,
    )


@permission_required("volunteer.manage")
@require_POST
def activity_status(request, pk):
    activity = get_visible_or_404(Activity.objects, request.user, "manage", pk=pk)
    status = (
        ActivityStatus.CANCELLED
        if request.POST.get("status") == "cancelled"
        else ActivityStatus.CLOSED
    )
    return act(
        request,
        lambda: services.set_activity_status(
            actor=request.user, activity=activity, status=status
        ),
        f"活动{ActivityStatus(status).label}",
        activity,
    )


@permission_required("volunteer.manage")
@require_POST
def activity_confirm_hours(request, pk):
    activity = get_visible_or_404(Activity.objects, request.user, "manage", pk=pk)
    return act(
        request,
        lambda: services.confirm_activity_hours(actor=request.user, activity=activity),
        lambda n: f"已确认 {n} 人的服务时长，积分已发放",
        activity,
    )


@permission_required("volunteer.view")
def checkin(request, token):
    """The page the organiser's QR code opens: check in, later check out.

    The token in the code is what opens the activity here (it is shown only at the
    venue), so the page does not ask whether the activity is still open.
    """
    activity = activity_for_token(token)
    if activity is None:
        raise Http404
    signup = Signup.objects.filter(
        activity=activity, volunteer__user=request.user
    ).first()
    if request.method == "POST":

        def number(name):
            try:
                return float(request.POST.get(name, ""))
            except ValueError:
                return None

        lat, lng = number("lat"), number("lng")
        out = signup is not None and signup.checked_in_at is not None
        call = services.check_out if out else services.check_in
        try:
            call(actor=request.user, activity=activity, lat=lat, lng=lng)
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(
                request, "签退成功，服务时长待组织者确认" if out else "签到成功"
            )
        return redirect("volunteer:checkin", token=token)
    return render(
        request,
        "volunteer/checkin.html",
        {"activity": activity, "signup": signup, "now": timezone.now()},
    )


@permission_required("volunteer.view")
def hours_list(request):
    params = request.GET.copy()
    params.setdefault("status", HoursStatus.PENDING)  # the page opens on the queue
    rows = ServiceHours.objects.visible_to(request.user).select_related(
        "volunteer", "community", "activity"
    )
    rows = HoursFilter(params, queryset=rows).qs
    return render_page(
        request,
        "volunteer/hours_list.html",
        {
            "page": paginate(request, rows),
            "query": query_without_page(request),
            "status": params["status"],
            "statuses": HoursStatus.choices,
            **flags(request.user),
        },
        partial="volunteer/partials/hours_table.html",
    )


@permission_required("volunteer.manage")
@require_POST
def hours_decide(request, pk):
    record = get_visible_or_404(ServiceHours.objects, request.user, "manage", pk=pk)
    form = DecisionForm(request.POST)
    form.is_valid()
    approve = request.POST.get("decision") == "approve"
    return act(
        request,
        lambda: services.decide_hours(
            actor=request.user,
            record=record,
            approve=approve,
            note=form.cleaned_data.get("note", ""),
            version=form.cleaned_data.get("version"),
        ),
        "已确认时长，积分已发放" if approve else "已退回",
        request.POST.get("next") or "volunteer:hours",
    )


@permission_required("volunteer.join")
def hours_new(request):
    form = HoursForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            volunteer = services.volunteer_of(request.user)
            services.log_hours(
                actor=request.user,
                community=volunteer.community,
                title=data["title"],
                started_at=data["started_at"],
                ended_at=data["ended_at"],
                evidence=data["evidence"],
                evidence_note=data["evidence_note"],
            )
        except (ValidationError, PermissionDenied) as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "已提交，等待社区审核")
            return redirect("volunteer:me")
    return render(
        request,
        "volunteer/form.html",
        {
            "form": form,
            "title": "申报服务时长",
            "submit": "提交申报",
            "multipart": True,
            "lead": "未通过扫码签到的服务，可上传照片或填写佐证说明申报，社区审核后计入时长。",
        },
        status=400 if form.errors else 200,
    )


@permission_required("volunteer.view")
def theme_list(request):
    form = ThemePlanForm(
        request.POST or None,
        user=request.user,
        initial={
            "year": timezone.localdate().year,
            "month": timezone.localdate().month,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.create_theme_plan(actor=request.user, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "已添加月度主题")
            return redirect("volunteer:themes")
    plans = list(
        ThemePlan.objects.visible_to(request.user).select_related("community")[:36]
    )
    # two grouped queries for all plans: registered members per community, and
    # members who checked in at each plan's 主题党日 activities
    members = dict(
        MemberRegistration.objects.filter(
            community__in={p.community_id for p in plans},
            status=RegistrationStatus.CONFIRMED,
        )
        .values("community")
        .annotate(n=Count("pk"))
        .values_list("community", "n")
    )
    attended = dict(
        Signup.objects.filter(
            activity__theme_plan__in=plans,
            activity__kind=ActivityKind.THEME_DAY,
            checked_in_at__isnull=False,
        )
        .values("activity__theme_plan")
        .annotate(n=Count("volunteer", distinct=True))
        .values_list("activity__theme_plan", "n")
    )
    rows = [
        (plan, attended.get(plan.pk, 0), members.get(plan.community_id, 0))
        for plan in plans
    ]
    return render(
        request,
        "volunteer/themes.html",
        {"rows": rows, "form": form, **flags(request.user)},
        status=400 if form.errors else 200,
    )


@permission_required("volunteer.view")
def team_list(request):
    form = TeamForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            team = services.create_team(actor=request.user, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "已成立服务队")
            return redirect(team)
    teams = (
        Team.objects.visible_to(request.user)
        .select_related("community", "leader")
        .annotate(size=Count("members"))
    )
    return render(
        request,
        "volunteer/teams.html",
        {"teams": teams, "form": form, **flags(request.user)},
        status=400 if form.errors else 200,
    )


@permission_required("volunteer.view")
def team_detail(request, pk):
    team = get_visible_or_404(
        Team.objects.select_related("community", "leader"), request.user, pk=pk
    )
    managing = can(request.user, team, "manage")
    form = TeamMemberForm(request.POST or None, team=team, user=request.user)
    if request.method == "POST" and form.is_valid():
        volunteer = form.cleaned_data["volunteer"]
        try:
            services.add_team_member(
                actor=request.user,
                team=team,
                volunteer=volunteer,
                leader=form.cleaned_data["leader"],
            )
        except (ValidationError, PermissionDenied) as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"已将{volunteer}加入服务队")
            return redirect(team)
    return render(
        request,
        "volunteer/team_detail.html",
        {
            "team": team,
            "members": team.members.all(),
            "form": form,
            "managing": managing,
            "activities": team.activities.all()[:20],
        },
    )
