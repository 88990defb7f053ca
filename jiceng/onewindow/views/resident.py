"""The resident's phone pages: apply, follow, complete, rate; appointments and
上门服务; and the progress page anyone holding the link opens without logging in."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from jiceng.core.forms import add_service_errors
from jiceng.core.scope import get_visible_or_404, has_permission, permission_required

from .. import services
from ..forms import RateForm, VisitForm
from ..models import (
    Application,
    Appointment,
    Channel,
    HomeVisit,
    ServiceItem,
    ServicePoint,
)
from .applications import lines_of
from .common import act, error_text, is_staff, ticked_from, uploads_from


@permission_required("onewindow.view")
def index(request):
    if not is_staff(request.user) and not has_permission(
        request.user, "onewindow.configure"
    ):
        return redirect("onewindow:my")
    from .overview import overview

    return overview(request)


@permission_required("onewindow.apply")
def apply_pick(request):
    items = (
        ServiceItem.objects.visible_to(request.user)
        .filter(active=True)
        .select_related("refused_proof")
    )
    return render(request, "onewindow/apply_pick.html", {"items": items})


@permission_required("onewindow.apply")
def apply_item(request, pk):
    item = get_visible_or_404(
        ServiceItem.objects.select_related("refused_proof"), request.user, pk=pk
    )
    error = None
    if request.method == "POST":
        try:
            application = services.submit(
                actor=request.user,
                item=item,
                channel=Channel.ONLINE,
                note=request.POST.get("note", "")[:300],
                provided=[],
                uploads=uploads_from(request),
            )
        except (ValidationError, PermissionDenied) as exc:
            error = error_text(exc)
        else:
            messages.success(
                request,
                f"申请已提交（{application.number}），社区窗口核对材料后会通知您",
            )
            return redirect("onewindow:my_application", pk=application.pk)
    return render(
        request,
        "onewindow/apply_item.html",
        {
            "item": item,
            "materials": item.materials.all(),
            "error": error,
            "note": request.POST.get("note", ""),
        },
        status=400 if error else 200,
    )


@permission_required("onewindow.view")
def my(request):
    user = request.user
    return render(
        request,
        "onewindow/my.html",
        {
            "applications": Application.objects.filter(applicant_user=user)
            .select_related("item")
            .order_by("-submitted_at")[:50],
            "appointments": Appointment.objects.filter(user=user)
            .select_related("slot__point", "slot__item")
            .order_by("-slot__starts_at")[:20],
            "visits": HomeVisit.objects.filter(requested_by=user)
            .select_related("resident")
            .order_by("-requested_at")[:20],
            "can_apply": has_permission(user, "onewindow.apply"),
            "can_book": has_permission(user, "onewindow.book"),
            "can_visit": getattr(user, "resident", None) is not None
            and services.visit_reason(user.resident) is not None,
        },
    )


def _mine(request, pk):
    application = (
        Application.objects.select_related("item", "community")
        .filter(pk=pk, applicant_user=request.user)
        .first()
    )
    if application is None:
        raise Http404
    return application


@permission_required("onewindow.view")
def my_application(request, pk):
    application = _mine(request, pk)
    from ..models import Notice

    notice = Notice.objects.filter(application=application).first()
    return render(
        request,
        "onewindow/my_application.html",
        {
            "a": application,
            "lines": lines_of(application),
            "missing": services.missing_materials(application),
            "notice": notice,
            "steps": services.timeline(application),
            "rate_form": RateForm(),
        },
    )


@permission_required("onewindow.view")
@require_POST
def my_resupply(request, pk):
    application = _mine(request, pk)
    return act(
        request,
        lambda: services.resupply(
            actor=request.user,
            application=application,
            provided=ticked_from(request),
            uploads=uploads_from(request),
        ),
        lambda a: (
            "材料已补齐，等待社区受理"
            if a.status == "submitted"
            else "已上传，还有材料未补齐"
        ),
        reverse("onewindow:my_application", args=[pk]),
    )


@permission_required("onewindow.view")
@require_POST
def my_rate(request, pk):
    application = _mine(request, pk)
    form = RateForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请选择满意度")
        return redirect("onewindow:my_application", pk=pk)
    return act(
        request,
        lambda: services.rate(
            actor=request.user,
            application=application,
            score=form.cleaned_data["score"],
            comment=form.cleaned_data["comment"],
        ),
        "感谢您的评价",
        "onewindow:my",
    )


def track(request, token):
    """Progress by the link on the receipt: no login, no personal data beyond the
    masked name."""
    application = services.by_token(token)
    if application is None:
        raise Http404
    form = RateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.rate(
                actor=None,
                application=application,
                score=form.cleaned_data["score"],
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(request, "感谢您的评价")
        return redirect("onewindow:track", token=token)
    from ..models import Notice

    return render(
        request,
        "onewindow/track.html",
        {
            "a": application,
            "name": (application.applicant_name[:1] + "＊")
            if application.applicant_name
            else "",
            "steps": services.timeline(application),
            "notice": Notice.objects.filter(application=application).first(),
            "rate_form": form,
        },
    )


@permission_required("onewindow.book")
def book(request, pk):
    point = get_visible_or_404(ServicePoint.objects, request.user, pk=pk)
    from django.utils import timezone

    from ..models import Slot

    slots = (
        Slot.objects.visible_to(request.user)
        .filter(point=point, starts_at__gt=timezone.now())
        .select_related("item")
        .order_by("starts_at")[:200]
    )
    if request.method == "POST":
        slot = next(
            (s for s in slots if str(s.pk) == request.POST.get("slot", "")), None
        )
        if slot is None:
            messages.error(request, "请选择可预约的时段")
        else:
            try:
                services.book(actor=request.user, slot=slot)
            except (ValidationError, PermissionDenied) as exc:
                messages.error(request, error_text(exc))
            else:
                messages.success(request, "预约成功，办理前一天会提醒您")
                return redirect("onewindow:my")
        return redirect("onewindow:book", pk=pk)
    return render(request, "onewindow/book.html", {"point": point, "slots": slots})


@permission_required("onewindow.book")
@require_POST
def cancel_appointment(request, pk):
    appointment = Appointment.objects.filter(pk=pk, user=request.user).first()
    if appointment is None:
        raise Http404
    return act(
        request,
        lambda: services.cancel(actor=request.user, appointment=appointment),
        "预约已取消",
        "onewindow:my",
    )


@permission_required("onewindow.view")
def visit_request(request):
    """An elderly or disabled resident asks for someone to come to their home."""
    resident = getattr(request.user, "resident", None)
    if resident is None:
        raise Http404
    form = VisitForm(request.POST or None, user=request.user, staff=False)
    if request.method == "POST" and form.is_valid():
        try:
            services.request_visit(
                actor=request.user,
                resident=resident,
                need=form.cleaned_data["need"],
                item=form.cleaned_data["item"],
                preferred_on=form.cleaned_data["preferred_on"],
            )
        except (ValidationError, PermissionDenied) as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "已提交，社区会尽快联系您安排上门")
            return redirect("onewindow:my")
    return render(
        request,
        "onewindow/form.html",
        {
            "form": form,
            "title": "申请上门服务",
            "submit": "提交申请",
            "lead": "70周岁以上、行动不便的老人和残疾人，可请社区工作人员或志愿者上门办理。",
        },
        status=400 if form.errors else 200,
    )
