"""微心愿 pages: staff list, collect, review and confirm; the public wish wall with
claim and fulfil; the beneficiary's confirmation link."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from jiceng.core.bounds import parse_id
from jiceng.core.forms import add_service_errors
from jiceng.core.htmx import paginate, query_without_page, render_page
from jiceng.core.scope import (
    can,
    get_visible_or_404,
    has_permission,
    permission_required,
)

from .. import services
from ..filters import WALL_STATUSES, WallFilter, WishFilter
from ..forms import CampaignForm, ConfirmForm, DecisionForm, FulfilForm, WishForm
from ..models import (
    PUBLIC_WISH_STATUSES,
    ClaimStatus,
    Wish,
    WishCampaign,
    WishStatus,
)
from ..services.wishes import may_confirm, owns_claim, teams_led_by, unit_of
from .activities import qr_svg
from .common import act, flags


@permission_required("volunteer.view")
def wish_list(request):
    # members and units meet wishes on the public wall, not in the staff register
    if not (
        has_permission(request.user, "volunteer.manage")
        or has_permission(request.user, "volunteer.collect")
    ):
        return redirect("volunteer:wall")
    rows = Wish.objects.visible_to(request.user).select_related("place")
    rows = WishFilter(request.GET, queryset=rows).qs
    return render_page(
        request,
        "volunteer/wish_list.html",
        {
            "page": paginate(request, rows),
            "query": query_without_page(request),
            "status": request.GET.get("status", ""),
            "statuses": WishStatus.choices,
            **flags(request.user),
        },
        partial="volunteer/partials/wish_table.html",
    )


@permission_required("volunteer.collect", "volunteer.manage")
def wish_new(request):
    form = WishForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            wish = services.collect_wish(actor=request.user, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "心愿已登记，等待社区审核")
            return redirect(wish)
    return render(
        request,
        "volunteer/form.html",
        {
            "form": form,
            "title": "征集微心愿",
            "submit": "登记心愿",
            "lead": "入户征集困难群众的心愿。只有心愿人同意公开的内容才会在心愿墙展示。",
        },
        status=400 if form.errors else 200,
    )


@permission_required("volunteer.view")
def wish_detail(request, pk):
    wish = get_visible_or_404(
        Wish.objects.select_related("place", "beneficiary"), request.user, pk=pk
    )
    can_confirm = may_confirm(request.user, wish)
    context = {
        "wish": wish,
        "claims": wish.claims.all(),
        "events": wish.events.all(),
        "can_review": can(request.user, wish, "manage"),
        "can_confirm": can_confirm,
        "decision": DecisionForm(initial={"version": wish.version}),
    }
    if can_confirm and wish.status == WishStatus.FULFILLED:
        link = request.build_absolute_uri(
            reverse("volunteer:wish_confirm", args=[wish.confirm_token])
        )
        context.update(confirm_link=link, confirm_qr=qr_svg(link))
    return render(request, "volunteer/wish_detail.html", context)


@permission_required("volunteer.manage")
@require_POST
def wish_review(request, pk):
    wish = get_visible_or_404(Wish.objects, request.user, "manage", pk=pk)
    publish = request.POST.get("decision") == "approve"
    form = DecisionForm(request.POST)
    form.is_valid()
    return act(
        request,
        lambda: services.review_wish(
            actor=request.user,
            wish=wish,
            publish=publish,
            note=form.cleaned_data.get("note", ""),
            version=form.cleaned_data.get("version"),
        ),
        "已发布到心愿墙" if publish else "已标记为不通过",
        wish,
    )


@permission_required("volunteer.collect", "volunteer.manage")
@require_POST
def wish_staff_confirm(request, pk):
    wish = get_visible_or_404(Wish.objects, request.user, pk=pk)
    return act(
        request,
        lambda: services.confirm_wish(
            actor=request.user, wish=wish, feedback=request.POST.get("feedback", "")
        ),
        "已确认心愿实现",
        wish,
    )


# --- the public wish wall ------------------------------------------------------------


def wall(request):
    """心愿墙: open to everyone, showing only what residents consented to publish."""
    wishes = Wish.objects.public()
    counts = dict.fromkeys(PUBLIC_WISH_STATUSES, 0)
    counts.update(
        wishes.order_by()
        .values("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    wishes = WallFilter(request.GET, queryset=wishes).qs
    return render(
        request,
        "volunteer/wall.html",
        {
            "page": paginate(request, wishes, per_page=12),
            "query": query_without_page(request),
            "status": request.GET.get("status", ""),
            "counts": counts,
            "statuses": WALL_STATUSES,
            "campaigns": _campaigns_now(),
        },
    )


def _campaigns_now():
    """This year's and last year's campaigns, for the walls' links."""
    year = timezone.localdate().year
    return WishCampaign.objects.filter(year__gte=year - 1).select_related("community")


@permission_required("volunteer.manage")
def campaign_new(request):
    """发起年度“微心愿”征集 (its period, its deadline, its 心愿热线)."""
    form = CampaignForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            campaign = services.start_campaign(actor=request.user, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "已发起年度微心愿征集")
            return redirect(campaign)
    return render(
        request,
        "volunteer/form.html",
        {
            "form": form,
            "title": "发起年度“微心愿”征集",
            "lead": "每年年初集中征集一次：征集期内登记的心愿归入本次征集，"
            "在本次征集的心愿墙上公示完成进度。",
            "submit": "发起",
        },
        status=400 if form.errors else 200,
    )


def campaign_wall(request, pk):
    """A yearly campaign's own wall: its period, hotline, progress and wishes
    (public, like the wish wall: only what residents consented to publish)."""
    campaign = get_object_or_404(
        WishCampaign.objects.select_related("community"), pk=pk
    )
    wishes = Wish.objects.public().filter(campaign=campaign)
    return render(
        request,
        "volunteer/campaign_wall.html",
        {
            "campaign": campaign,
            "progress": services.campaign_progress(campaign),
            "page": paginate(request, wishes, per_page=12),
            "query": query_without_page(request),
            "today": timezone.localdate(),
        },
    )


def _public_wish(pk):
    return get_object_or_404(Wish.objects.public(), pk=pk)


def wall_detail(request, pk):
    wish = _public_wish(pk)
    user = request.user
    my_claims = (
        [
            claim
            for claim in wish.claims.filter(status=ClaimStatus.ACTIVE)
            if owns_claim(user, claim)
        ]
        if user.is_authenticated
        else []
    )
    return render(
        request,
        "volunteer/wall_detail.html",
        {
            "wish": wish,
            "claims": wish.claims.exclude(status=ClaimStatus.WITHDRAWN),
            "events": wish.events.all(),
            "can_claim": user.is_authenticated
            and has_permission(user, "volunteer.join")
            and wish.status == WishStatus.PUBLISHED,
            "unit": unit_of(user) if user.is_authenticated else None,
            # a unit's account claims for its unit; only residents claim for themselves
            "can_claim_self": user.is_authenticated
            and getattr(user, "resident", None) is not None,
            "teams": teams_led_by(user) if user.is_authenticated else [],
            "my_claims": my_claims,
            "fulfil_form": FulfilForm(),
        },
    )


@permission_required("volunteer.join")
@require_POST
def wall_claim(request, pk):
    wish = _public_wish(pk)
    team = None
    if request.POST.get("team"):
        team = get_object_or_404(
            teams_led_by(request.user), pk=parse_id(request.POST.get("team"))
        )
    return act(
        request,
        lambda: services.claim_wish(
            actor=request.user,
            wish=wish,
            as_unit=request.POST.get("as") == "unit",
            team=team,
        ),
        lambda c: f"认领成功，请在{c.due_at:%m月%d日}前完成",
        reverse("volunteer:wall_detail", args=[pk]),
    )


@permission_required("volunteer.join")
@require_POST
def wall_fulfil(request, pk, claim_id):
    wish = _public_wish(pk)
    claim = get_object_or_404(wish.claims, pk=claim_id)
    form = FulfilForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "请填写完成说明并上传照片")
        return redirect("volunteer:wall_detail", pk=pk)
    return act(
        request,
        lambda: services.fulfil_claim(
            actor=request.user,
            claim=claim,
            note=form.cleaned_data["note"],
            photo=form.cleaned_data["photo"],
        ),
        "已反馈完成，等待心愿人确认",
        reverse("volunteer:wall_detail", args=[pk]),
    )


@permission_required("volunteer.join")
@require_POST
def wall_withdraw(request, pk, claim_id):
    wish = _public_wish(pk)
    claim = get_object_or_404(wish.claims, pk=claim_id)
    return act(
        request,
        lambda: services.withdraw_claim(actor=request.user, claim=claim),
        "已放弃认领",
        reverse("volunteer:wall_detail", args=[pk]),
    )


def wish_confirm(request, token):
    """The beneficiary confirms on the grid worker's phone (or their own) by the link."""
    wish = get_object_or_404(Wish.objects.public(), confirm_token=token)
    form = ConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.confirm_wish(wish=wish, token=token, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "感谢您的确认，心愿已实现！")
            return redirect("volunteer:wish_confirm", token=token)
    return render(
        request,
        "volunteer/wish_confirm.html",
        {
            "wish": wish,
            "form": form,
            "claims": wish.claims.filter(status=ClaimStatus.FULFILLED),
        },
        status=400 if form.errors else 200,
    )
