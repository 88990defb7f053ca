"""Dashboard tiles of 考核评价与督察 (registered in AssessmentConfig.ready): the
rectification ledger (found, rectified rate, overdue: the reports' "发现问题792个，
已整改746个"), residents' rating of the property service, and community spending;
each one grouped query by the place lookup of the model's Scope."""

from django.db.models import Count, Sum
from django.urls import reverse

from jiceng.core.tiles import (
    TileKind,
    as_of_day,
    count_by_subtree,
    month_bounds,
    month_span,
    register_tile,
    tally_by_subtree,
)

from . import periods
from .models import Problem, Rating, Spending
from .services.supervision import rectification_figures

SECTION = "考核督察"
PERMISSION = "assessment.view"


def ledger(places, month):
    """The rectification figures of the problems found by the month's end."""
    _start, end = month_span(month)
    return tally_by_subtree(
        Problem.objects.filter(created_at__lt=end),
        places,
        "place__path",
        **rectification_figures(as_of_day(month)),
    )


def problems_link(place):
    return reverse("assessment:problem_list")


@register_tile(
    "assessment.rectified_rate",
    history=False,
    title="督察问题整改率",
    unit="%",
    section=SECTION,
    permission=PERMISSION,
    kind=TileKind.RATE,
    order=10,
    link=problems_link,
)
def rectified_rate(places, month):
    """Problems verified as rectified (销号), of all found by the month's end."""
    places = list(places)
    rows = ledger(places, month)
    rates = {}
    for place in places:
        row = rows.get(place.pk, {"found": 0, "fixed": 0})
        found = row["found"]
        rates[place.pk] = round(100 * row["fixed"] / found, 1) if found else None
    return rates


@register_tile(
    "assessment.problems_found",
    title="督察发现问题",
    unit="个",
    section=SECTION,
    permission=PERMISSION,
    kind=TileKind.FLOW,
    order=20,
    better="lower",
    link=problems_link,
)
def problems_found(places, month):
    """Problems entered in the rectification ledger within the month."""
    start, end = month_span(month)
    rows = Problem.objects.filter(created_at__gte=start, created_at__lt=end)
    return count_by_subtree(rows, places, "place__path")


@register_tile(
    "assessment.problems_overdue",
    history=False,
    title="逾期未整改",
    unit="个",
    section=SECTION,
    permission=PERMISSION,
    order=30,
    better="lower",
    link=problems_link,
)
def problems_overdue(places, month):
    """Problems still open (待整改 or reopened) past their deadline."""
    return {pk: row["overdue"] for pk, row in ledger(places, month).items()}


@register_tile(
    "assessment.property_rating",
    title="红色物业居民评价",
    unit="分",
    section=SECTION,
    permission=PERMISSION,
    kind=TileKind.RATE,
    order=40,
    link=lambda place: reverse("assessment:rating_list"),
)
def property_rating(places, month):
    """Mean of the households' ratings (0–100) of their compound's property company
    in the month's quarter; None where no household has rated yet."""
    places = list(places)
    rows = tally_by_subtree(
        Rating.objects.filter(period=periods.quarter_of(month)),
        places,
        "compound__path",
        total=Sum("score"),
        n=Count("pk"),
    )
    return {
        p.pk: round(float(rows[p.pk]["total"]) / rows[p.pk]["n"], 1)
        if p.pk in rows
        else None
        for p in places
    }


@register_tile(
    "assessment.spending",
    title="社区经费支出",
    unit="元",
    section=SECTION,
    permission=PERMISSION,
    kind=TileKind.FLOW,
    order=50,
    link=lambda place: reverse("assessment:fund_list"),
)
def spending(places, month):
    """Community funds spent within the month, all sources."""
    first, following = month_bounds(month)
    rows = tally_by_subtree(
        Spending.objects.filter(spent_on__gte=first, spent_on__lt=following),
        places,
        "budget__community__path",
        amount=Sum("amount"),
    )
    return {pk: float(row["amount"] or 0) for pk, row in rows.items()}
