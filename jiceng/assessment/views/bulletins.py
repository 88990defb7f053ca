"""通报 pages: generate, publish (internal, or public after approval), the
street's template, ad-hoc downloads (alliances' buttons come here), public list."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from jiceng.core.htmx import paginate
from jiceng.core.scope import (
    get_visible_or_404,
    has_permission,
    permission_required,
    place_prefixes,
)
from jiceng.places.models import Place, PlaceKind, indented

from .. import periods, services
from ..models import Bulletin, BulletinStatus
from .common import act, error_text, flags, posted_place

CURRENT = {"month", "quarter", "year"}


@permission_required("assessment.view")
def bulletin_list(request):
    rows = Bulletin.objects.visible_to(request.user).select_related("place")
    if request.method == "POST":
        place = posted_place(request)
        try:
            if place is None:
                raise ValidationError("请选择辖区")
            if request.FILES.get("template"):
                services.bulletins.save_template(
                    actor=request.user, place=place, file=request.FILES["template"]
                )
                messages.success(request, "通报模板已保存")
                return redirect("assessment:bulletin_list")
            bulletin = services.bulletins.generate(
                actor=request.user, place=place, period=request.POST.get("period", "")
            )
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, error_text(exc))
            return redirect("assessment:bulletin_list")
        messages.success(request, "通报已生成")
        return redirect(bulletin)
    context = flags(request.user)
    if context["can_bulletin"]:
        # every place the account may report on, in tree order: a district has a
        # hundred communities or more, and a cut-off list hid the last streets' ones
        context["places"] = indented(
            Place.objects.visible_to(request.user)
            .filter(
                kind__in=[PlaceKind.DISTRICT, PlaceKind.STREET, PlaceKind.COMMUNITY]
            )
            .only("pk", "name", "depth")
        )
    return render(
        request,
        "assessment/bulletin_list.html",
        {
            "page": paginate(request, rows),
            "period": services.bulletins.current_period("month"),
            **context,
        },
    )


@permission_required("assessment.view")
def bulletin_detail(request, pk):
    bulletin = get_visible_or_404(
        Bulletin.objects.select_related("place"), request.user, pk=pk
    )
    if request.method == "POST":
        step = request.POST.get("step")
        calls = {
            "internal": lambda: services.bulletins.publish(
                actor=request.user, bulletin=bulletin
            ),
            "public": lambda: services.bulletins.publish(
                actor=request.user, bulletin=bulletin, public=True
            ),
            "approve": lambda: services.bulletins.approve(
                actor=request.user, bulletin=bulletin
            ),
        }
        if step not in calls:
            return redirect(bulletin)
        return act(request, calls[step], "已保存", bulletin)
    if request.GET.get("file"):
        return FileResponse(
            bulletin.file.open("rb"),
            as_attachment=True,
            filename=f"{bulletin.title}.docx",
        )
    return render(
        request,
        "assessment/bulletin_detail.html",
        {"bulletin": bulletin, "S": BulletinStatus, **flags(request.user)},
    )


def bulletin_download(request):
    """A bulletin of the running (or given) period as .docx or PDF, built now."""
    if not request.user.is_authenticated:
        from django.contrib.auth.views import redirect_to_login

        return redirect_to_login(request.get_full_path())
    topic = request.GET.get("topic", "all")
    needed = "alliances.view" if topic == "alliances" else "assessment.bulletin"
    if topic not in services.bulletins.TOPICS or not has_permission(
        request.user, needed
    ):
        raise PermissionDenied("无权生成通报")
    period = request.GET.get("period", "month")
    if period in CURRENT:
        period = services.bulletins.current_period(period)
    place = None
    if request.GET.get("place"):
        place = get_visible_or_404(Place.objects, request.user, pk=request.GET["place"])
    elif topic != "alliances" and not request.user.is_superuser:
        prefixes = sorted(place_prefixes(request.user, needed), key=len)
        place = Place.objects.filter(path=prefixes[0]).first() if prefixes else None
    kind = "pdf" if request.GET.get("format") == "pdf" else "docx"
    try:
        _report, body = services.bulletins.document(
            request.user, period=period, place=place, topic=topic, kind=kind
        )
    except ValidationError as exc:
        return HttpResponse(error_text(exc), status=400, content_type="text/plain")
    content_type = "application/pdf" if kind == "pdf" else services.bulletins.DOCX_TYPE
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="bulletin-{period}.{kind}"'
    return response


def public_bulletins(request):
    rows = Bulletin.objects.filter(status=BulletinStatus.PUBLIC).select_related("place")
    return render(
        request, "assessment/public_bulletins.html", {"page": paginate(request, rows)}
    )


def public_bulletin_file(request, pk):
    bulletin = get_object_or_404(Bulletin, pk=pk, status=BulletinStatus.PUBLIC)
    if not bulletin.file:
        raise Http404
    return FileResponse(
        bulletin.file.open("rb"), as_attachment=True, filename=f"{bulletin.title}.docx"
    )


def period_label(period):
    return periods.label(period)
