"""The 全科受理 window: applications list, the checklist at the counter, the
一次性告知书, acceptance and hand-off, the handling level's decision, collection;
the 最多跑一次 rates."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from jiceng.core.forms import add_service_errors
from jiceng.core.htmx import paginate, query_without_page, render_page
from jiceng.core.media import signed_url
from jiceng.core.scope import can, get_visible_or_404, permission_required
from jiceng.people.models import Resident

from .. import services
from ..filters import ApplicationFilter
from ..forms import (
    CollectForm,
    NoteForm,
    ProxyApplicationForm,
    WindowApplicationForm,
)
from ..models import Application, Channel, ProofMatter, Status
from .common import act, flags, ticked_from, uploads_from

STAFF = ("onewindow.accept", "onewindow.handle", "onewindow.proxy")


def _rows(user):
    return Application.objects.visible_to(user).select_related(
        "item", "community", "handling_place", "handling_department"
    )


@permission_required(*STAFF)
def application_list(request):
    filters = ApplicationFilter(request.GET, queryset=_rows(request.user))
    return render_page(
        request,
        "onewindow/application_list.html",
        {
            "page": paginate(request, filters.qs, ids_first=True),
            "filters": filters,
            "query": query_without_page(request),
            **flags(request.user),
        },
        partial="onewindow/partials/application_table.html",
    )


def _resident_by_id_number(user, number):
    from jiceng.core.fields import BlindIndexField

    number = (number or "").strip().upper()
    if not number:
        return None
    digest = BlindIndexField(source="id_number").digest(number)
    return Resident.objects.visible_to(user).filter(id_number_index=digest).first()


@permission_required("onewindow.accept")
def application_new(request):
    """全科受理: the clerk takes any item for any resident at the counter."""
    form = WindowApplicationForm(request.POST or None, user=request.user)
    item = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        item = data["item"]
        try:
            application = services.submit(
                actor=request.user,
                item=item,
                channel=Channel.WINDOW,
                applicant_name=data["applicant_name"],
                applicant_phone=data["applicant_phone"],
                resident=_resident_by_id_number(request.user, data["id_number"]),
                community=data["community"],
                note=data["note"],
                provided=ticked_from(request),
                uploads=uploads_from(request),
            )
        except (ValidationError, PermissionDenied) as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"已登记办件 {application.number}，请核对材料")
            return redirect(application)
    return render(
        request,
        "onewindow/application_new.html",
        {
            "form": form,
            "refused": ProofMatter.objects.visible_to(request.user),
        },
        status=400 if form.errors else 200,
    )


@permission_required("onewindow.proxy")
def application_proxy(request):
    """代办: a grid worker files for a resident of their grids."""
    form = ProxyApplicationForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        resident = (
            Resident.objects.visible_to(request.user)
            .filter(pk=data["resident"])
            .first()
        )
        try:
            if resident is None:
                raise ValidationError({"resident": "找不到该居民，或不在您的网格内"})
            application = services.submit(
                actor=request.user,
                item=data["item"],
                channel=Channel.PROXY,
                resident=resident,
                note=data["note"],
                provided=ticked_from(request),
                uploads=uploads_from(request),
            )
        except (ValidationError, PermissionDenied) as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"已代办提交 {application.number}")
            return redirect(application)
    return render(
        request,
        "onewindow/form.html",
        {
            "form": form,
            "title": "代办申请",
            "submit": "提交代办",
            "lead": "为行动不便或不会使用手机的居民代为提交。材料可由社区窗口核对。",
        },
        status=400 if form.errors else 200,
    )


def lines_of(application):
    return [
        {
            "line": line,
            "material": line.material,
            "url": signed_url(line.file),
        }
        for line in application.materials.select_related("material")
    ]


@permission_required(*STAFF)
def application_detail(request, pk):
    application = get_visible_or_404(
        Application.objects.select_related(
            "item__refused_proof", "community", "handling_place", "handling_department"
        ),
        request.user,
        pk=pk,
    )
    notice = getattr(application, "notice", None) if _has_notice(application) else None
    return render(
        request,
        "onewindow/application_detail.html",
        {
            "a": application,
            "lines": lines_of(application),
            "missing": services.missing_materials(application),
            "notice": notice,
            "steps": services.timeline(application),
            "can_accept": can(request.user, application, "accept"),
            "can_decide": services.may_handle(request.user, application)
            and can(request.user, application, "handle"),
            "collect_form": CollectForm(),
            "note_form": NoteForm(initial={"version": application.version}),
            "Status": Status,
        },
    )


def _has_notice(application):
    from ..models import Notice

    return Notice.objects.filter(application=application).exists()


def _accepting(request, pk):
    return get_visible_or_404(Application.objects, request.user, "accept", pk=pk)


@permission_required("onewindow.accept")
@require_POST
def application_materials(request, pk):
    application = _accepting(request, pk)
    at_window = application.status == Status.INCOMPLETE
    if at_window:
        call = lambda: services.resupply(  # noqa: E731
            actor=request.user,
            application=application,
            provided=ticked_from(request),
            uploads=uploads_from(request),
            at_window=True,
        )
    else:
        call = lambda: services.check_materials(  # noqa: E731
            actor=request.user,
            application=application,
            provided=ticked_from(request),
            uploads=uploads_from(request),
        )
    return act(request, call, "材料已更新", application)


@permission_required("onewindow.accept")
@require_POST
def application_notice(request, pk):
    application = _accepting(request, pk)
    form = NoteForm(request.POST)
    form.is_valid()
    try:
        services.issue_notice(
            actor=request.user,
            application=application,
            note=form.cleaned_data.get("note", ""),
            version=form.cleaned_data.get("version"),
        )
    except (ValidationError, PermissionDenied) as exc:
        from .common import error_text

        messages.error(request, error_text(exc))
        return redirect(application)
    messages.success(request, "已出具一次性告知书，请打印交申请人")
    return redirect("onewindow:notice_print", pk=application.pk)


@permission_required(*STAFF)
def notice_print(request, pk):
    application = get_visible_or_404(
        Application.objects.select_related("item", "community"), request.user, pk=pk
    )
    if not _has_notice(application):
        messages.info(request, "该办件未出具一次性告知书")
        return redirect(application)
    return render(
        request,
        "onewindow/notice_print.html",
        {"a": application, "notice": application.notice},
    )


@permission_required("onewindow.accept")
@require_POST
def application_accept(request, pk):
    application = _accepting(request, pk)
    return act(
        request,
        lambda: services.accept(
            actor=request.user,
            application=application,
            version=request.POST.get("version") or None,
        ),
        lambda a: (
            f"已受理，办结时限 {a.deadline:%Y-%m-%d %H:%M}（{a.handler_label}办理）"
        ),
        application,
    )


@permission_required("onewindow.handle")
@require_POST
def application_decide(request, pk):
    application = get_visible_or_404(Application.objects, request.user, "handle", pk=pk)
    approve = request.POST.get("decision") == "approve"
    return act(
        request,
        lambda: services.decide(
            actor=request.user,
            application=application,
            approve=approve,
            note=request.POST.get("note", ""),
            version=request.POST.get("version") or None,
        ),
        "已办结",
        application,
    )


@permission_required("onewindow.accept")
@require_POST
def application_collect(request, pk):
    application = _accepting(request, pk)
    return act(
        request,
        lambda: services.collect(
            actor=request.user,
            application=application,
            method=request.POST.get("method", ""),
        ),
        "已登记领取",
        application,
    )


@permission_required(*STAFF)
def rates(request):
    rows = Application.objects.visible_to(request.user)
    return render(
        request,
        "onewindow/rates.html",
        {
            "by_community": services.one_visit_rates(rows, "community"),
            "by_item": services.one_visit_rates(rows, "item"),
        },
    )
