"""Upload → (map columns) → dry run → commit → download rejected rows; exports,
written at once when small, queued and downloaded from their page when large."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from jiceng.core.forms import add_service_errors
from jiceng.core.ledgers import importers_for
from jiceng.core.scope import require_permission

from . import services
from .forms import MappingForm, SheetForm, UploadForm
from .models import ExportJob, ImportJob, JobStatus
from .workbooks import XLSX, xlsx_response


def _importer(user, kind):
    try:
        importer = services.importer_class(kind)
    except ValidationError as exc:
        raise Http404 from exc
    require_permission(user, importer.permission)
    return importer


def _own_job(request, pk):
    """Jobs are personal: someone else's job looks like a missing one."""
    jobs = ImportJob.objects.select_related("created_by")
    if not request.user.is_superuser:
        jobs = jobs.filter(created_by=request.user)
    return get_object_or_404(jobs, pk=pk)


def _own_export(request, pk):
    """A stored export holds personal data: only the one who asked sees it."""
    return get_object_or_404(
        ExportJob.objects.select_related("created_by"),
        pk=pk,
        created_by=request.user,
    )


@login_required
def index(request):
    importers = importers_for(request.user)
    if not importers:
        raise PermissionDenied
    jobs = ImportJob.objects.filter(created_by=request.user)[:20]
    return render(
        request, "transfer/index.html", {"importers": importers, "jobs": jobs}
    )


@login_required
def export_list(request):
    """One's own queued exports: personal, like the jobs, so open to anyone signed in."""
    return render(
        request,
        "transfer/export_list.html",
        {
            "exports": ExportJob.objects.filter(created_by=request.user)[:50],
            "inline_rows": settings.JICENG_EXPORT_INLINE_ROWS,
            "retention_days": services.EXPORT_RETENTION_DAYS,
        },
    )


@login_required
def start(request, kind):
    importer = _importer(request.user, kind)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = services.start_import(
                actor=request.user,
                kind=kind,
                upload=form.cleaned_data["file"],
                dry_run=form.cleaned_data["dry_run"],
                offer_sheets=True,
            )
        except (ValidationError, PermissionDenied) as exc:
            add_service_errors(form, exc)
        else:
            return _next_step(request, job)
    return render(
        request,
        "transfer/start.html",
        {
            "form": form,
            "importer": importer,
        },
        status=400 if form.errors else 200,
    )


def _next_step(request, job):
    """After the upload or a choice: choose the sheet, map columns, or follow the job."""
    if job.status == JobStatus.NEEDS_SHEET:
        return redirect("transfer:sheet", pk=job.pk)
    for notice in getattr(job, "notices", []):
        messages.info(request, notice)
    if job.status == JobStatus.NEEDS_MAPPING:
        return redirect("transfer:mapping", pk=job.pk)
    return redirect(job)


@login_required
def sheet(request, pk):
    """Several sheets hold data: the user picks the one to import."""
    job = _own_job(request, pk)
    if job.status != JobStatus.NEEDS_SHEET:
        return redirect(job)
    form = SheetForm(
        request.POST or None,
        choices=services.job_sheet_choices(job),
        initial={"sheet": job.sheet},
    )
    if request.method == "POST" and form.is_valid():
        try:
            job = services.choose_sheet(
                actor=request.user, job=job, sheet=form.cleaned_data["sheet"]
            )
        except (ValidationError, PermissionDenied) as exc:
            add_service_errors(form, exc)
        else:
            return _next_step(request, job)
    return render(
        request,
        "transfer/sheet.html",
        {"job": job, "form": form, "importer": services.importer_class(job.kind)},
        status=400 if form.errors else 200,
    )


@login_required
def template(request, kind):
    importer = _importer(request.user, kind)
    return xlsx_response(
        [importer.columns, *importer.example_rows],
        f"{importer.label}导入模板.xlsx",
        title="导入模板",
    )


@login_required
def job(request, pk):
    job = _own_job(request, pk)
    context = {"job": job, "rejections": job.rejections.all()[:200]}
    if request.htmx:
        return render(request, "transfer/partials/job_status.html", context)
    return render(request, "transfer/job.html", context)


@login_required
def mapping(request, pk):
    job = _own_job(request, pk)
    importer = services.importer_class(job.kind)
    form = MappingForm(
        request.POST or None,
        columns=importer.columns,
        required=importer.required,
        header=job.header,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.set_mapping(actor=request.user, job=job, mapping=form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            add_service_errors(form, exc)
        else:
            return redirect(job)
    return render(
        request,
        "transfer/mapping.html",
        {
            "job": job,
            "form": form,
            "importer": importer,
            "missing": services.missing_columns(job),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def commit(request, pk):
    job = _own_job(request, pk)
    try:
        committed = services.commit_dry_run(actor=request.user, job=job)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, "；".join(getattr(exc, "messages", [str(exc)])))
        return redirect(job)
    return redirect(committed)


@login_required
def rejected(request, pk):
    job = _own_job(request, pk)
    stem = job.filename.rsplit(".", 1)[0]
    return xlsx_response(
        services.rejected_rows(job), f"{stem}_被拒绝的行.xlsx", title="被拒绝的行"
    )


@login_required
def export(request, kind):
    """The list's export button: the file now, or the queued job's page."""
    unmasked = request.GET.get("unmasked") == "1"
    options = {"user": request.user, "kind": kind, "params": request.GET}
    try:
        job = services.start_export(**options, unmasked=unmasked)
        if job is not None:
            return redirect(job)
        rows, note, label = services.export_rows(**options, unmasked=unmasked)
    except ValidationError as exc:
        raise Http404 from exc
    stamp = timezone.localtime().strftime("%Y%m%d%H%M")
    return xlsx_response(rows, f"{label}_{stamp}.xlsx", title=label, note=note)


@login_required
def export_job(request, pk):
    job = _own_export(request, pk)
    context = {"job": job, "expires_at": services.expires_at(job)}
    if request.htmx:
        return render(request, "transfer/partials/export_status.html", context)
    return render(request, "transfer/export_job.html", context)


@login_required
def export_download(request, pk):
    job = _own_export(request, pk)
    try:
        plain = services.open_export(user=request.user, job=job)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return redirect(job)
    return FileResponse(
        plain, as_attachment=True, filename=job.filename, content_type=XLSX
    )
