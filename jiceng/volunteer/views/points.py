"""Volunteers (hours, stars, ledger, certificate) and the points mall."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from jiceng.core import audit
from jiceng.core.forms import add_service_errors
from jiceng.core.htmx import paginate, query_without_page, render_page
from jiceng.core.models import AuditAction
from jiceng.core.scope import (
    can,
    get_visible_or_404,
    has_permission,
    permission_required,
)

from .. import certificate, services
from ..filters import VolunteerFilter
from ..forms import AdjustForm, MallItemForm
from ..models import MallItem, Redemption, RedemptionStatus, Volunteer, next_tier
from .common import act, flags


@permission_required("volunteer.view")
def volunteer_list(request):
    rows = Volunteer.objects.visible_to(request.user).select_related(
        "community", "unit"
    )
    rows = VolunteerFilter(request.GET, queryset=rows).qs
    rows = rows.order_by("-hours_total", "name", "pk")
    return render_page(
        request,
        "volunteer/volunteer_list.html",
        {
            "page": paginate(request, rows),
            "query": query_without_page(request),
            "q": request.GET.get("q", "").strip(),
        },
        partial="volunteer/partials/volunteer_table.html",
    )


@permission_required("volunteer.view")
def volunteer_detail(request, pk):
    volunteer = get_visible_or_404(
        Volunteer.objects.select_related("community", "unit"), request.user, pk=pk
    )
    managing = can(request.user, volunteer, "manage")
    form = AdjustForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.adjust_points(
                actor=request.user, volunteer=volunteer, **form.cleaned_data
            )
        except (ValidationError, PermissionDenied) as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "已调整积分")
            return redirect(volunteer)
    return render(
        request,
        "volunteer/volunteer_detail.html",
        {
            "v": volunteer,
            "ledger": volunteer.ledger.all()[:50],
            "hours": volunteer.hours.select_related("community")[:50],
            "next": next_tier(volunteer.hours_total),
            "form": form,
            "managing": managing,
        },
        status=400 if form.errors else 200,
    )


@permission_required("volunteer.view")
def volunteer_certificate(request, pk):
    """The printable service record (PDF)."""
    volunteer = get_visible_or_404(
        Volunteer.objects.select_related("community"), request.user, pk=pk
    )
    pdf = certificate.render(volunteer)
    audit.record(
        actor=request.user,
        action=AuditAction.EXPORT,
        target=volunteer,
        changes={"document": "certificate"},
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f"inline; filename=certificate-{volunteer.pk}.pdf"
    return response


@permission_required("volunteer.view")
def mall(request):
    user = request.user
    volunteer = services.volunteer_of(user, create=False)
    managing = has_permission(user, "volunteer.manage")
    items = MallItem.objects.visible_to(user)
    if not managing:
        # joiners shop in their own community's mall (the redeem rule)
        items = items.filter(community=volunteer.community if volunteer else None)
    form = MallItemForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_item(actor=user, item=MallItem(**form.cleaned_data))
        except (ValidationError, PermissionDenied) as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "已上架")
            return redirect("volunteer:mall")
    redemptions = Redemption.objects.visible_to(user).select_related(
        "item", "volunteer"
    )
    if managing:
        redemptions = redemptions.filter(status=RedemptionStatus.PLACED)
    redemptions = redemptions[:50]
    return render(
        request,
        "volunteer/mall.html",
        {
            "items": items.select_related("community"),
            "volunteer": volunteer,
            "redemptions": redemptions,
            "form": form,
            "managing": managing,
            **flags(user),
        },
        status=400 if form.errors else 200,
    )


@permission_required("volunteer.join")
@require_POST
def mall_redeem(request, pk):
    item = get_visible_or_404(MallItem.objects, request.user, pk=pk)
    quantity = request.POST.get("quantity") or 1
    return act(
        request,
        lambda: services.redeem(actor=request.user, item=item, quantity=quantity),
        lambda r: f"兑换成功：{r.item.name}，消耗 {r.points} 积分，请到社区领取",
        request.POST.get("next") or "volunteer:mall",
    )


@permission_required("volunteer.manage")
@require_POST
def redemption_handle(request, pk):
    redemption = get_visible_or_404(Redemption.objects, request.user, "manage", pk=pk)
    deliver = request.POST.get("decision") == "deliver"
    return act(
        request,
        lambda: services.handle_redemption(
            actor=request.user, redemption=redemption, deliver=deliver
        ),
        "已登记领取" if deliver else "已取消兑换，积分已退回",
        "volunteer:mall",
    )
