"""Activities, QR check-in, hours approval, 主题党日 plans, teams."""

import io

import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from jiceng.core.forms import add_service_errors
from jiceng.core.htmx import paginate, query_without_page, render_page
from jiceng.core.scope import get_visible_or_404, has_permission

from .. import services
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
from .common import act, error_text, flags, require


def open_activities():
    """Published activities still to come or under way: any joiner may sign up."""
    return Activity.objects.filter(
        status=ActivityStatus.PUBLISHED, ends_at__gt=timezone.now()
    ).select_related("community")


def _activity_for(user, pk):
    """Staff reach activities in scope; joiners reach the open ones and their own."""
    if has_permission(user, "volunteer.join"):
        found = (
            Activity.objects.filter(pk=pk)
            .filter(
                Q(status=ActivityStatus.PUBLISHED, ends_at__gt=timezone.now())
                | Q(signups__volunteer__user=user)
            )
            .distinct()
            .first()
        )
        if found is not None:
            return found
    return get_visible_or_404(Activity.objects.select_related("community"), user, pk=pk)


@login_required
def activity_list(request):
    require(request.user, "volunteer.view")
    if has_permission(request.user, "volunteer.manage"):
        rows = Activity.objects.visible_to(request.user).select_related("community")
    else:
        rows = open_activities()
    rows = rows.annotate(
        signed=Count("signups", filter=Q(signups__status=SignupStatus.SIGNED))
    ).order_by("-starts_at")
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


@login_required
def activity_new(request):
    require(request.user, "volunteer.manage")
    form = ActivityForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        community = data.pop("community")
        try:
            activity = services.publish_activity(
                actor=request.user, community=community, **data
            )
        except (ValidationError, PermissionDenied) as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "活动已发布")
            return redirect(activity)
    return render(
        request,
        "volunteer/form.html",
        {"form": form, "title": "发布志愿活动", "submit": "发布"},
        status=400 if form.errors else 200,
    )


def qr_svg(url):
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=12)
    buffer = io.BytesIO()
    image.save(buffer)
    return mark_safe(buffer.getvalue().decode())  # noqa: S308 (our own generated SVG)


@login_required
def activity_detail(request, pk):
    activity = _activity_for(request.user, pk)
    managing = (
        Activity.objects.visible_to(request.user, "manage").filter(pk=pk).exists()
    )
    signups = activity.signups.select_related("volunteer", "hours")
    mine = signups.filter(volunteer__user=request.user).first()
    context = {
        "activity": activity,
        "managing": managing,
        "mine": mine,
        "signed": signups.filter(status=SignupStatus.SIGNED).count(),
        "now": timezone.now(),
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


@login_required
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


@login_required
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


@login_required
@require_POST
def activity_status(request, pk):
    activity = get_visible_or_404(Activity.objects, request.user, pk=pk)
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


@login_required
@require_POST
def activity_confirm_hours(request, pk):
    activity = get_visible_or_404(Activity.objects, request.user, pk=pk)
    return act(
        request,
        lambda: services.confirm_activity_hours(actor=request.user, activity=activity),
        lambda n: f"已确认 {n} 人的服务时长，积分已发放",
        activity,
    )


@login_required
def checkin(request, token):
    """The page the organiser's QR code opens: check in, later check out."""
    activity = activity_for_token(token)
    if activity is None:
        from django.http import Http404

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


@login_required
def hours_list(request):
    require(request.user, "volunteer.view")
    status = request.GET.get("status", HoursStatus.PENDING)
    rows = ServiceHours.objects.visible_to(request.user).select_related(
        "volunteer", "community", "activity"
    )
    if status in HoursStatus.values:
        rows = rows.filter(status=status)
    return render_page(
        request,
        "volunteer/hours_list.html",
        {
            "page": paginate(request, rows),
            "query": query_without_page(request),
            "status": status,
            "statuses": HoursStatus.choices,
            **flags(request.user),
        },
        partial="volunteer/partials/hours_table.html",
    )


@login_required
@require_POST
def hours_decide(request, pk):
    record = get_visible_or_404(ServiceHours.objects, request.user, pk=pk)
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


@login_required
def hours_new(request):
    require(request.user, "volunteer.join")
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


@login_required
def theme_list(request):
    require(request.user, "volunteer.view")
    form = ThemePlanForm(
        request.POST or None,
        user=request.user,
        initial={
            "year": timezone.localdate().year,
            "month": timezone.localdate().month,
        },
    )
    if request.method == "POST":
        require(request.user, "volunteer.manage")
        if form.is_valid():
            data = form.cleaned_data
            if ThemePlan.objects.filter(
                community=data["community"], year=data["year"], month=data["month"]
            ).exists():
                form.add_error("month", "该月已有主题")
            else:
                from jiceng.core import audit
                from jiceng.core.models import AuditAction

                plan = ThemePlan.objects.create(**data)
                audit.record(actor=request.user, action=AuditAction.CREATE, target=plan)
                messages.success(request, "已添加月度主题")
                return redirect("volunteer:themes")
    plans = ThemePlan.objects.visible_to(request.user).select_related("community")
    rows = []
    for plan in plans[:36]:
        members = MemberRegistration.objects.filter(
            community=plan.community, status=RegistrationStatus.CONFIRMED
        ).count()
        attended = (
            Signup.objects.filter(
                activity__theme_plan=plan,
                activity__kind=ActivityKind.THEME_DAY,
                checked_in_at__isnull=False,
            )
            .values("volunteer")
            .distinct()
            .count()
        )
        rows.append((plan, attended, members))
    return render(
        request,
        "volunteer/themes.html",
        {"rows": rows, "form": form, **flags(request.user)},
        status=400 if form.errors else 200,
    )


@login_required
def team_list(request):
    require(request.user, "volunteer.view")
    form = TeamForm(request.POST or None, user=request.user)
    if request.method == "POST":
        require(request.user, "volunteer.manage")
        if form.is_valid():
            from jiceng.core import audit
            from jiceng.core.models import AuditAction
            from jiceng.core.scope import require_place_in_scope

            try:
                require_place_in_scope(
                    form.cleaned_data["community"], request.user, "volunteer.manage"
                )
            except PermissionDenied as exc:
                form.add_error(None, str(exc))
            else:
                team = Team.objects.create(**form.cleaned_data)
                audit.record(actor=request.user, action=AuditAction.CREATE, target=team)
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


@login_required
def team_detail(request, pk):
    team = get_visible_or_404(
        Team.objects.select_related("community", "leader"), request.user, pk=pk
    )
    managing = Team.objects.visible_to(request.user, "manage").filter(pk=pk).exists()
    form = TeamMemberForm(request.POST or None, team=team, user=request.user)
    if request.method == "POST":
        if not managing:
            raise PermissionDenied
        if form.is_valid():
            volunteer = form.cleaned_data["volunteer"]
            team.members.add(volunteer)
            if form.cleaned_data["leader"]:
                team.leader = volunteer
                team.save(update_fields=["leader"])
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
