"""The district's (or a street's) settings for party work: the 标准化 checklist
with its weights and the 党费 income bands; and the standardisation results as a
sheet for the 党委 above."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from jiceng.core.errors import Conflict
from jiceng.core.scope import permission_required
from jiceng.places.models import Place
from jiceng.transfer.workbooks import xlsx_response

from ..forms import DuesBandFormSet, StandardFormSet
from ..models import DuesBand, PartyOrg, Standard
from ..services import config
from ..services.life import BRANCH_KINDS
from ..services.membership import bands_for
from ..services.standards import results, standards_at


def _place(request):
    """The place being configured: ?place=CODE among those the user may change,
    else the first of them; None when the user may change none (read only)."""
    places = config.configurable_places(request.user)
    code = request.GET.get("place", "").strip()
    if code:
        place = places.filter(code=code).first()
        if place is None:
            raise Http404
        return place, places
    return places.first(), places


def _status(formset):
    if getattr(formset, "status", None):
        return formset.status
    return 400 if formset.total_error_count() else 200


def _read_only(request):
    if request.method == "POST":
        raise PermissionDenied("只有区、街道的党建管理员可以修改这项设置")


def _home_place(user):
    return Place.objects.visible_to(user).order_by("depth", "path").first()


def _refuse(formset, exc):
    if isinstance(exc, PermissionDenied):
        raise exc
    messages_ = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
    formset.service_errors = messages_
    formset.status = 409 if isinstance(exc, Conflict) else 400


@permission_required("party.view")
def checklist(request):
    """党支部标准化条目: items and weights of a district or street."""
    place, places = _place(request)
    if place is None:
        # Branches and communities read the checklist that applies to them.
        _read_only(request)
        home = _home_place(request.user)
        return render(
            request,
            "party/checklist.html",
            {"place": home, "in_force": standards_at(home) if home else []},
        )
    rows = Standard.objects.filter(place=place).order_by("order", "pk")
    formset = StandardFormSet(
        request.POST or None,
        initial=[
            {
                "pk": s.pk,
                "area": s.area,
                "title": s.title,
                "weight": s.weight,
                "active": s.active,
            }
            for s in rows
        ],
    )
    seen = request.POST.get("seen") or config.checklist_stamp(place)
    if request.method == "POST" and formset.is_valid():
        items = [f.cleaned_data for f in formset if f.cleaned_data]
        try:
            config.save_checklist(
                actor=request.user, place=place, items=items, seen=seen
            )
        except (ValidationError, Conflict) as exc:
            _refuse(formset, exc)
        else:
            messages.success(request, "已保存标准化条目")
            return redirect(f"{reverse('party:checklist')}?place={place.code}")
    errors = getattr(formset, "service_errors", None)
    return render(
        request,
        "party/checklist.html",
        {
            "place": place,
            "places": places,
            "formset": formset,
            "seen": seen,
            "service_errors": errors,
            "in_force": standards_at(place),
        },
        status=_status(formset),
    )


@permission_required("party.view")
def dues_bands(request):
    """党费档次: monthly income bands and rates of a district or street."""
    place, places = _place(request)
    if place is None:
        _read_only(request)
        home = _home_place(request.user)
        return render(
            request,
            "party/dues_bands.html",
            {
                "place": home,
                "in_force": [
                    (label, bands_for(home, retired))
                    for retired, label in ((False, "在职党员"), (True, "离退休党员"))
                ]
                if home
                else [],
            },
        )
    bands = DuesBand.objects.filter(place=place).order_by("retired", "above")
    formset = DuesBandFormSet(
        request.POST or None,
        initial=[
            {"retired": "1" if b.retired else "0", "above": b.above, "rate": b.rate}
            for b in bands
        ],
    )
    seen = request.POST.get("seen") or config.bands_stamp(place)
    if request.method == "POST" and formset.is_valid():
        kept = [
            (f.cleaned_data["retired"], f.cleaned_data["above"], f.cleaned_data["rate"])
            for f in formset
            if f.cleaned_data and not f.cleaned_data.get("delete")
        ]
        blank = [b for b in kept if b[1] is None or b[2] is None]
        try:
            if any(b[1] is not None or b[2] is not None for b in blank):
                raise ValidationError("每一档都要填写月收入下限和比例")
            config.save_dues_bands(
                actor=request.user,
                place=place,
                bands=[b for b in kept if b not in blank],
                seen=seen,
            )
        except (ValidationError, Conflict) as exc:
            _refuse(formset, exc)
        else:
            messages.success(request, "已保存党费档次")
            return redirect(f"{reverse('party:dues_bands')}?place={place.code}")
    errors = getattr(formset, "service_errors", None)
    return render(
        request,
        "party/dues_bands.html",
        {
            "place": place,
            "places": places,
            "formset": formset,
            "seen": seen,
            "service_errors": errors,
        },
        status=_status(formset),
    )


@permission_required("party.view")
def standards_export(request):
    """标准化评定结果 of every visible branch for a year, for the 党委 above."""
    year = request.GET.get("year", "")
    year = int(year) if year.isdigit() else timezone.localdate().year
    branches = (
        PartyOrg.objects.visible_to(request.user)
        .filter(kind__in=BRANCH_KINDS)
        .order_by("path")
    )
    header = ["党支部", "年度", "自评得分", "审核得分", "等次", "整改情况"]
    rows = [header] + [
        [
            org.name,
            year,
            a.self_score if a else None,
            a.review_score if a else None,
            a.get_grade_display() if a and a.grade else "",
            status,
        ]
        for org, a, status in results(branches, year)
    ]
    return xlsx_response(rows, f"党支部标准化{year}.xlsx", title="标准化评定")
