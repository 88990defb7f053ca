"""红色物业 pages: a resident's rating on the phone, the two-way ratings, the
红黑榜 (compute, approve, publish, 约谈) and its public page."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from jiceng.core.bounds import parse_id
from jiceng.core.forms import add_service_errors
from jiceng.core.htmx import paginate
from jiceng.core.scope import get_visible_or_404, permission_required
from jiceng.places.models import Place, PlaceKind

from .. import periods, services
from ..forms import MutualForm
from ..models import (
    Board,
    IndicatorSource,
    Interview,
    MutualRating,
    Ranking,
    RankingStatus,
    Rating,
)
from .common import act, error_text, flags, posted_date, posted_place, version_of


@permission_required("assessment.view")
def index(request):
    return render(request, "assessment/index.html", flags(request.user))


@permission_required("assessment.rate")
def rate(request):
    """The resident's phone page: stars per indicator, a reason for low scores."""
    period = periods.quarter_of(timezone.localdate())
    context = {"period": period, "label": periods.label(period), "error": ""}
    try:
        household, compound = services.property.home_of(request.user)
        company = services.property.company_for(compound)
        indicators = [
            i
            for i in services.property.indicator_set(period).indicators.all()
            if i.source == IndicatorSource.RESIDENT
        ]
    except ValidationError as exc:
        context["error"] = error_text(exc)
        return render(request, "assessment/rate.html", context)
    done = Rating.objects.filter(household=household, period=period).first()
    context.update(compound=compound, company=company, indicators=indicators, done=done)
    if request.method == "POST" and company and not done:
        scores = {i.code: request.POST.get(i.code) for i in indicators}
        try:
            services.property.rate(
                actor=request.user,
                company=company,
                period=period,
                scores=scores,
                reason=request.POST.get("reason", ""),
            )
        except (ValidationError, PermissionDenied) as exc:
            for indicator in indicators:  # keep the stars that were tapped
                indicator.chosen = request.POST.get(indicator.code, "")
            context.update(error=error_text(exc), posted=request.POST)
            return render(request, "assessment/rate.html", context, status=400)
        return redirect("assessment:rate")
    return render(request, "assessment/rate.html", context)


@permission_required("assessment.view")
def rating_list(request):
    rows = Rating.objects.visible_to(request.user).select_related("company", "compound")
    period = request.GET.get("period", "")
    if period:
        rows = rows.filter(period=period)
    return render(
        request,
        "assessment/rating_list.html",
        {"page": paginate(request, rows), "period": period},
    )


@permission_required("assessment.view")
def rating_detail(request, pk):
    rating = get_visible_or_404(
        Rating.objects.select_related("company", "compound"), request.user, pk=pk
    )
    return render(request, "assessment/rating_detail.html", {"rating": rating})


@permission_required("assessment.view")
def mutual_list(request):
    rows = MutualRating.objects.visible_to(request.user).select_related(
        "company", "community"
    )
    may_rate = flags(request.user)["can_mutual"]
    form = MutualForm(
        request.POST if request.method == "POST" and may_rate else None,
        user=request.user,
        initial={"period": periods.quarter_of(timezone.localdate())},
    )
    if form.is_bound and form.is_valid():
        try:
            services.property.rate_mutual(actor=request.user, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "评价已提交")
            return redirect("assessment:mutual_list")
    return render(
        request,
        "assessment/mutual_list.html",
        {
            "page": paginate(request, rows),
            "form": form,
            "can_mutual": may_rate,
        },
        status=400 if form.errors else 200,
    )


@permission_required("assessment.view")
def ranking_list(request):
    rows = Ranking.objects.visible_to(request.user).select_related("place")
    if request.method == "POST":
        place = posted_place(request)
        try:
            if place is None:
                raise ValidationError("请选择街道或全区")
            ranking = services.property.compute_ranking(
                actor=request.user, place=place, period=request.POST.get("period", "")
            )
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, error_text(exc))
            return redirect("assessment:ranking_list")
        messages.success(request, "红黑榜已计算，请核对后审定")
        return redirect(ranking)
    places = Place.objects.visible_to(request.user).filter(
        kind__in=[PlaceKind.STREET, PlaceKind.DISTRICT]
    )
    return render(
        request,
        "assessment/ranking_list.html",
        {
            "page": paginate(request, rows),
            "places": places,
            "period": periods.previous_quarter(timezone.localdate()),
            **flags(request.user),
        },
    )


@permission_required("assessment.view")
def ranking_detail(request, pk):
    ranking = get_visible_or_404(
        Ranking.objects.select_related("place"), request.user, pk=pk
    )
    if request.method == "POST":
        step = request.POST.get("step")
        version = version_of(request)
        if step == "interview":
            entry = ranking.rows.filter(pk=parse_id(request.POST.get("entry"))).first()
            return act(
                request,
                lambda: services.property.interview(
                    actor=request.user,
                    entry=entry,
                    held_on=posted_date(request, "held_on", "约谈日期"),
                    interviewer=request.POST.get("interviewer", ""),
                    notes=request.POST.get("notes", ""),
                    deadline=posted_date(request, "deadline", "整改时限"),
                    owner_name=request.POST.get("owner_name", ""),
                ),
                "已记录约谈并下达整改任务",
                ranking,
            )
        call = {
            "approve": services.property.approve_ranking,
            "publish": services.property.publish_ranking,
            "recompute": None,
        }.get(step)
        if step == "recompute":
            return act(
                request,
                lambda: services.property.compute_ranking(
                    actor=request.user, place=ranking.place, period=ranking.period
                ),
                "已重新计算",
                ranking,
            )
        if call is None:
            return redirect(ranking)
        return act(
            request,
            lambda: call(actor=request.user, ranking=ranking, version=version),
            "已审定" if step == "approve" else "已在公开页面公布",
            ranking,
        )
    entries = ranking.rows.visible_to(request.user).select_related("company")
    interviewed = set(
        Interview.objects.filter(entry__ranking=ranking).values_list(
            "entry_id", flat=True
        )
    )
    return render(
        request,
        "assessment/ranking_detail.html",
        {
            "ranking": ranking,
            "entries": entries,
            "interviewed": interviewed,
            "today": timezone.localdate(),
            "BLACK": Board.BLACK,
            "DRAFT": RankingStatus.DRAFT,
            "APPROVED": RankingStatus.APPROVED,
            **flags(request.user),
        },
    )


@permission_required("assessment.view")
def interview_list(request):
    rows = Interview.objects.visible_to(request.user).select_related(
        "company", "problem", "entry__ranking"
    )
    return render(
        request, "assessment/interview_list.html", {"page": paginate(request, rows)}
    )


def public_rankings(request):
    """The public page (no login): the published 红黑榜 of every street."""
    period = request.GET.get("period", "")
    rows = services.property.published(period or None).select_related("place")
    shown = [
        (
            r,
            r.rows.select_related("company").order_by("rank")[:20],
        )
        for r in rows[:12]
    ]
    return render(
        request, "assessment/public_rankings.html", {"shown": shown, "period": period}
    )


def public_ranking(request, pk):
    ranking = get_object_or_404(
        Ranking.objects.select_related("place"),
        pk=pk,
        status=RankingStatus.PUBLISHED,
    )
    return render(
        request,
        "assessment/public_ranking.html",
        {"ranking": ranking, "entries": ranking.rows.select_related("company")},
    )
