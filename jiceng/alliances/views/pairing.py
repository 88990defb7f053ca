"""包联: coverage page and map, pairs, visits that can turn into a case or a task."""

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from jiceng.cases.models import Category
from jiceng.core.bounds import parse_id
from jiceng.core.forms import add_service_errors
from jiceng.core.media import signed_url
from jiceng.core.scope import (
    can,
    get_visible_or_404,
    has_permission,
    permission_required,
)

from ..forms import PairForm, VisitForm
from ..models import VISIT_DAYS, Pair
from ..services import pairing as services
from .common import act, form_page

MAP_POINTS = 500  # at most this many markers per layer


def _days(request):
    try:
        days = int(request.GET.get("days", VISIT_DAYS))
    except ValueError:
        days = VISIT_DAYS
    return max(1, min(days, 3650))


@permission_required("alliances.view")
def coverage(request):
    days = _days(request)
    figures = services.coverage(request.user, days=days)
    points = []
    for row in figures:
        for place in row["unpaired"][:MAP_POINTS]:
            if place.lat is not None and place.lng is not None:
                points.append(
                    {
                        "lat": float(place.lat),
                        "lng": float(place.lng),
                        "name": place.name,
                        "kind": "unpaired",
                        "label": f"未包联{row['label'][-2:]}",
                    }
                )
        for pair in row["stale"][:MAP_POINTS]:
            if pair.place.lat is not None and pair.place.lng is not None:
                points.append(
                    {
                        "lat": float(pair.place.lat),
                        "lng": float(pair.place.lng),
                        "name": f"{pair.place.name}（{pair.partner}）",
                        "kind": "stale",
                        "label": f"{days}天未走访",
                    }
                )
    return render(
        request,
        "alliances/coverage.html",
        {
            "figures": figures,
            "days": days,
            "points": points,
            "can_change": has_permission(request.user, "alliances.change"),
        },
    )


@permission_required("alliances.change")
def pair_new(request):
    form = PairForm(request.POST or None, user=request.user)
    return form_page(
        request,
        form,
        "包联关系",
        lambda data: services.create_pair(actor=request.user, **data),
    )


@permission_required("alliances.view")
def pair_detail(request, pk):
    pair = get_visible_or_404(
        Pair.objects.select_related("place", "unit"), request.user, pk=pk
    )
    form = VisitForm(
        request.POST or None,
        request.FILES or None,
        initial={"visited_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.log_visit(actor=request.user, pair=pair, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "走访已记录")
            return redirect(pair)
    visits = list(pair.visits.select_related("case", "task"))
    for v in visits:
        v.photo_url = signed_url(v.photo)
    return render(
        request,
        "alliances/pair_detail.html",
        {
            "pair": pair,
            "visits": visits,
            "form": form,
            "manages": can(request.user, pair, "change"),
            "can_report_case": has_permission(request.user, "cases.report"),
            "categories": Category.objects.reportable()
            .select_related("parent")
            .order_by("code")[:200],
            "due_default": timezone.localdate() + timedelta(days=14),
        },
        status=400 if form.errors else 200,
    )


def _visit(request, pk):
    from ..models import Visit

    return get_visible_or_404(
        Visit.objects.select_related("pair__place", "pair__unit"), request.user, pk=pk
    )


@require_POST
@permission_required("cases.report")
def visit_to_case(request, pk):
    visit = _visit(request, pk)
    category = Category.objects.filter(
        pk=parse_id(request.POST.get("category")), active=True
    ).first()
    if category is None:
        messages.error(request, "请选择事件类别")
        return redirect(visit.pair)
    return act(
        request,
        lambda: services.visit_to_case(
            actor=request.user, visit=visit, category=category
        ),
        lambda case: f"已转为事件 {case.number}",
        visit.pair.get_absolute_url(),
    )


@require_POST
@permission_required("alliances.change")
def visit_to_task(request, pk):
    from datetime import date

    visit = _visit(request, pk)
    try:
        due_on = date.fromisoformat(request.POST.get("due_on", ""))
    except ValueError:
        messages.error(request, "请填写完成时限")
        return redirect(visit.pair)
    return act(
        request,
        lambda: services.visit_to_task(actor=request.user, visit=visit, due_on=due_on),
        "已转为督办事项",
        visit.pair.get_absolute_url(),
    )
