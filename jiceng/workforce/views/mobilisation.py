"""平急结合 pages: the street's modes, posts, shifts and assignments with live gaps;
the member's duties on the phone, confirm and QR check-in/out."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from jiceng.core.actions import act, error_text
from jiceng.core.forms import add_service_errors
from jiceng.core.htmx import paginate, render_page
from jiceng.core.scope import (
    can,
    get_visible_or_404,
    path_prefix,
    permission_required,
)
from jiceng.places.models import Place
from jiceng.volunteer.models import Volunteer

from .. import services
from ..forms import ModeForm
from ..models import (
    Deployment,
    DutyPost,
    Mobilisation,
    ModeKind,
    PersonKind,
    PostKind,
    Shift,
)
from .common import int_or
from .grid import streets_for


@permission_required("workforce.manage")
def mode_list(request):
    rows = Mobilisation.objects.visible_to(request.user).select_related("area")
    return render(
        request,
        "workforce/mode_list.html",
        {
            "page": paginate(request, rows),
            "can_declare": streets_for(request.user).exists(),
        },
    )


@permission_required("workforce.mobilise")
def mode_new(request):
    form = ModeForm(
        request.POST or None, areas=streets_for(request.user), kinds=ModeKind.choices
    )
    if request.method == "POST" and form.is_valid():
        try:
            mode = services.declare(actor=request.user, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "已启动应急状态")
            return redirect(mode)
    return render(
        request,
        "workforce/form.html",
        {"form": form, "title": "启动应急状态（平急转换）", "submit": "启动"},
        status=400 if form.errors else 200,
    )


@permission_required("workforce.manage")
def mode_detail(request, pk):
    mode = get_visible_or_404(
        Mobilisation.objects.select_related("area"), request.user, pk=pk
    )
    shifts = (
        Shift.objects.filter(post__mobilisation=mode)
        .select_related("post")
        .prefetch_related("deployments__volunteer")
    )
    q = request.GET.get("q", "").strip()[:20]
    context = {
        "mode": mode,
        "q": q,
        "candidates": _candidates(request.user, mode, q) if q else [],
        "posts": mode.posts.select_related("place"),
        "shifts": shifts,
        "gaps": services.gaps(mode),
        "can_manage": can(request.user, mode, "manage") and mode.status == "active",
        "post_kinds": PostKind.choices,
        "person_kinds": PersonKind.choices,
        "now": timezone.now(),
    }
    return render_page(
        request,
        "workforce/mode_detail.html",
        context,
        partial="workforce/partials/gaps.html",
    )


def _candidates(user, mode, q):
    """People the street may put on a post: registered volunteers (双报到 members and
    cadres register as volunteers) of the mode's area whose name matches."""
    return list(
        Volunteer.objects.visible_to(user)
        .filter(path_prefix(mode.area.path, "community__path"), name__icontains=q)
        .select_related("community", "unit")
        .order_by("name", "pk")[:30]
    )


def _mode_for_change(request, pk):
    return get_visible_or_404(Mobilisation.objects, request.user, "manage", pk=pk)


@permission_required("workforce.mobilise")
@require_POST
def mode_post_add(request, pk):
    mode = _mode_for_change(request, pk)
    place = (
        Place.objects.visible_to(request.user)
        .filter(pk=int_or(request.POST.get("place"), 0))
        .first()
        or mode.area
    )
    return act(
        request,
        lambda: services.add_post(
            actor=request.user,
            mobilisation=mode,
            kind=request.POST.get("kind", PostKind.CHECKPOINT),
            name=request.POST.get("name", ""),
            place=place,
        ),
        "已添加点位",
        mode,
    )


def _dt(value):
    from django.utils.dateparse import parse_datetime

    moment = parse_datetime(value or "")
    if moment is None:
        raise ValidationError("请填写班次时间")
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


@permission_required("workforce.mobilise")
@require_POST
def mode_shift_add(request, pk):
    mode = _mode_for_change(request, pk)
    post = DutyPost.objects.filter(
        mobilisation=mode, pk=int_or(request.POST.get("post"), 0)
    ).first()

    def call():
        if post is None:
            raise ValidationError("请选择点位")
        return services.add_shift(
            actor=request.user,
            post=post,
            starts_at=_dt(request.POST.get("starts_at")),
            ends_at=_dt(request.POST.get("ends_at")),
            needed=int_or(request.POST.get("needed"), 2),
        )

    return act(request, call, "已添加班次", mode)


@permission_required("workforce.mobilise")
@require_POST
def mode_assign(request, pk):
    mode = _mode_for_change(request, pk)
    shift = Shift.objects.filter(
        post__mobilisation=mode, pk=int_or(request.POST.get("shift"), 0)
    ).first()
    volunteer = (
        Volunteer.objects.visible_to(request.user)
        .filter(pk=int_or(request.POST.get("volunteer"), 0))
        .first()
    )

    def call():
        if shift is None or volunteer is None:
            raise ValidationError("请选择班次，并先按姓名搜索、选择人员")
        return services.assign(
            actor=request.user,
            shift=shift,
            volunteer=volunteer,
            kind=request.POST.get("kind", PersonKind.VOLUNTEER),
        )

    return act(request, call, lambda d: f"已安排{d.volunteer.name}", mode)


@permission_required("workforce.mobilise")
@require_POST
def mode_end(request, pk):
    mode = _mode_for_change(request, pk)
    return act(
        request,
        lambda: services.end_mode(actor=request.user, mobilisation=mode),
        "已转为平时状态，值守时长已计入积分",
        mode,
    )


@permission_required("workforce.manage")
def post_qr(request, pk):
    post = DutyPost.objects.select_related("mobilisation").filter(pk=pk).first()
    if post is None or not can(request.user, post.mobilisation):
        from django.http import Http404

        raise Http404
    url = request.build_absolute_uri(f"/workforce/m/checkin/{post.token}/")
    import base64
    import io

    import qrcode

    buffer = io.BytesIO()
    qrcode.make(url).save(buffer, "PNG")
    return render(
        request,
        "workforce/post_qr.html",
        {
            "post": post,
            "url": url,
            "qr": base64.b64encode(buffer.getvalue()).decode(),
        },
    )


@permission_required("workforce.duty")
def my_duties(request):
    rows = (
        Deployment.objects.filter(volunteer__user=request.user)
        .select_related("shift__post__mobilisation")
        .order_by("-starts_at")[:50]
    )
    return render(
        request, "workforce/my_duties.html", {"rows": rows, "now": timezone.now()}
    )


@permission_required("workforce.duty")
@require_POST
def duty_confirm(request, pk):
    deployment = Deployment.objects.filter(pk=pk, volunteer__user=request.user).first()

    def call():
        if deployment is None:
            raise PermissionDenied("这不是您的值守安排")
        return services.confirm(actor=request.user, deployment=deployment)

    return act(request, call, "已确认到岗安排", "/workforce/m/duties/")


@permission_required("workforce.duty")
def checkin(request, token):
    """The post's QR code opens this page; one button checks in, then out."""
    try:
        deployment = services.deployment_for_token(request.user, token)
    except ValidationError as exc:
        return render(request, "workforce/checkin.html", {"error": error_text(exc)})
    if request.method == "POST":
        step = services.check_out if deployment.checked_in_at else services.check_in
        return act(
            request,
            lambda: step(actor=request.user, deployment=deployment),
            "已签退" if deployment.checked_in_at else "已签到",
            request.path,
        )
    return render(request, "workforce/checkin.html", {"d": deployment})
