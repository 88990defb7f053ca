"""Exports of 台账 to Excel, within the user's scope and the list's filters.

A small export is written during the request. A large one (more rows than
JICENG_EXPORT_INLINE_ROWS) is queued: the task worker writes it, stores it
SM4-encrypted, and the one who asked downloads it from the job's page, so a web
worker is never held for seconds by a 台账 of thousands of rows. Asking for an
export, and each download of a stored one, leave an audit row; stored files are
deleted after EXPORT_RETENTION_DAYS.
"""

import logging
import tempfile
import time
from contextlib import closing
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import File
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, transaction
from django.utils import timezone

from jiceng.core import audit, crypto
from jiceng.core.ledgers import EXPORTERS
from jiceng.core.models import AuditAction
from jiceng.core.scope import require_permission

from ..errors import TransferError
from ..models import ExportJob, JobStatus
from ..workbooks import write_workbook

logger = logging.getLogger(__name__)

EXPORT_RETENTION_DAYS = 2
# Pressing export again within this many minutes returns the waiting job.
RESUME_WAITING_MINUTES = 10
# The job's page shows progress from its row count, saved at most this often: each
# save is a write, and on SQLite it waits its turn behind other writers.
PROGRESS_EVERY_SECONDS = 2
PROGRESS_EVERY_ROWS = 500  # the clock is looked at this often


def exporter_class(kind):
    try:
        return EXPORTERS[kind]
    except KeyError:
        raise ValidationError(
            f"未知的导出类型：{kind}", code=TransferError.UNKNOWN_KIND
        ) from None


def _allowed_exporter(user, kind, unmasked):
    """The kind's exporter once the user may export it (and see full values)."""
    exporter = exporter_class(kind)
    require_permission(user, exporter.permission)
    if unmasked:
        require_permission(user, exporter.reveal_permission)
    return exporter


def _filters(params):
    return {k: v for k, v in params.items() if k not in ("unmasked", "page") and v}


def _watermark(user, unmasked):
    stamp = timezone.localtime().strftime("%Y-%m-%d %H:%M")
    return (
        f"{user}（{user.get_username()}）于 {stamp} 导出 · "
        + ("含完整身份证号和手机号，" if unmasked else "")
        + "仅限工作使用，不得外传"
    )


def export_rows(*, user, kind, params, unmasked=False):
    """Return (rows with the header first, watermark note, label) for an export
    written now (a small one, or the CLI's).

    Exports follow the user's scope and the list's filters; full ID numbers and
    phones need the reveal permission. Every export is audited.
    """
    exporter = _allowed_exporter(user, kind, unmasked)
    filters = _filters(params)
    audit.record(
        actor=user,
        action=AuditAction.EXPORT,
        target_type=kind,
        target_repr=exporter.label,
        changes={"kind": kind, "unmasked": unmasked, "filters": filters},
    )
    rows = exporter(user, params=filters, unmasked=unmasked).rows()
    return (
        _with_header(exporter.columns, rows),
        _watermark(user, unmasked),
        exporter.label,
    )


def _with_header(header, rows):
    yield header
    yield from rows


def start_export(*, user, kind, params, unmasked=False) -> ExportJob | None:
    """Queue a large export for the task worker and return its job; return None
    when it is small enough to be written during the request (export_rows).

    Asking again while the same export waits or runs returns that job.
    """
    exporter = _allowed_exporter(user, kind, unmasked)
    filters = _filters(params)
    size = exporter(user, params=filters, unmasked=unmasked).count()
    if size <= settings.JICENG_EXPORT_INLINE_ROWS:
        return None
    waiting = ExportJob.objects.filter(
        created_by=user,
        kind=kind,
        unmasked=unmasked,
        status__in=[JobStatus.QUEUED, JobStatus.RUNNING],
        # a job whose worker died stays "running": it must not swallow new requests
        created_at__gte=timezone.now() - timedelta(minutes=RESUME_WAITING_MINUTES),
    )
    for job in waiting:
        if job.filters == filters:
            return job
    stamp = timezone.localtime().strftime("%Y%m%d%H%M")
    with transaction.atomic():
        job = ExportJob.objects.create(
            kind=kind,
            label=exporter.label,
            filters=filters,
            unmasked=unmasked,
            created_by=user,
            size_estimate=size,
            note=_watermark(user, unmasked),
            filename=f"{exporter.label}_{stamp}.xlsx",
        )
        audit.record(
            actor=user,
            action=AuditAction.EXPORT,
            target=job,
            changes={
                "kind": kind,
                "unmasked": unmasked,
                "filters": filters,
                "rows": size,
            },
        )
        _enqueue(job)
    return job


def _enqueue(job):
    from ..tasks import run_export_task

    job_id = str(job.pk)
    transaction.on_commit(lambda: run_export_task.enqueue(job_id))


def run_export(job) -> ExportJob:
    """Write a queued export's workbook and store it encrypted (the task worker).

    The rows are read with the asker's scope and permissions as they are now: if
    the export permission was taken away meanwhile, no file is written.
    """
    claimed = ExportJob.objects.filter(pk=job.pk, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING, started_at=timezone.now()
    )
    job.refresh_from_db()
    if not claimed:
        return job  # already taken by another worker
    user = job.created_by
    rows = None
    try:
        exporter = _allowed_exporter(user, job.kind, job.unmasked)(
            user, params=job.filters, unmasked=job.unmasked
        )
        rows = _counted(job, _with_header(exporter.columns, exporter.rows()))
        with tempfile.TemporaryFile() as plain, tempfile.TemporaryFile() as sealed:
            write_workbook(plain, rows, title=job.label, note=job.note)
            plain.seek(0)
            crypto.encrypt_file(plain, sealed)
            sealed.seek(0)
            job.file.save(f"{job.pk}.bin", File(sealed), save=False)
    except (PermissionDenied, ValidationError):
        job.status = JobStatus.FAILED
        job.message = "导出人已没有这类台账的导出权限，未生成文件。"
    except Exception:
        logger.exception("export job %s failed", job.pk)
        job.status = JobStatus.FAILED
        job.message = "生成文件时出错，未生成文件；请重新导出，仍失败请联系管理员。"
    else:
        job.status = JobStatus.DONE
    finally:
        if rows is not None:
            # a read left open holds its snapshot, and on SQLite the job's own
            # save below would then fail ("database is locked") once anyone wrote
            rows.close()
    job.finished_at = timezone.now()
    job.save()
    return job


def _counted(job, rows):
    """Pass the rows through, keeping job.total (data rows written) up to date.

    The count is saved on a connection of its own: the rows come from a cursor
    left open for the whole export (one consistent snapshot), and on SQLite a
    write on that connection fails at once when another process has written
    since the read began. The count only feeds the progress bar, so a save that
    fails is skipped."""
    written = -1  # the header is not a data row
    saved_at = time.monotonic()
    side = None  # opened when a first save is due: most exports end before that
    with closing(rows):
        try:
            for row in rows:
                yield row
                written += 1
                if (
                    written % PROGRESS_EVERY_ROWS == 0
                    and time.monotonic() - saved_at > PROGRESS_EVERY_SECONDS
                ):
                    side = side or connections.create_connection(DEFAULT_DB_ALIAS)
                    _save_progress(side, job, written)
                    saved_at = time.monotonic()
        finally:
            if side is not None:
                side.close()
    job.total = max(written, 0)


def _save_progress(side, job, written):
    meta = ExportJob._meta
    table, key = side.ops.quote_name(meta.db_table), side.ops.quote_name(meta.pk.column)
    total = side.ops.quote_name(meta.get_field("total").column)
    try:
        with side.cursor() as cursor:  # names from the model; values as parameters
            cursor.execute(
                f"UPDATE {table} SET {total} = %s WHERE {key} = %s",  # noqa: S608
                [written, meta.pk.get_db_prep_value(job.pk, side)],
            )
    except DatabaseError as exc:
        logger.warning("export job %s: progress not saved (%s)", job.pk, exc)


def open_export(*, user, job):
    """The decrypted workbook of a finished export as a temporary file; audited.

    Only the one who asked may download it (the views show anyone else a 404).
    """
    if job.created_by_id != user.pk:
        raise PermissionDenied
    if not job.downloadable or not job.file.storage.exists(job.file.name):
        raise ValidationError(
            "导出文件已过保留期删除或尚未生成，请重新导出。",
            code=TransferError.EXPORT_GONE,
        )
    plain = tempfile.TemporaryFile()
    with job.file.open("rb") as sealed:
        crypto.decrypt_file(sealed, plain)
    plain.seek(0)
    audit.record(
        actor=user,
        action=AuditAction.DOWNLOAD,
        target=job,
        changes={"kind": job.kind, "unmasked": job.unmasked, "rows": job.total},
    )
    return plain


def expires_at(job):
    """When a finished export's file is deleted (purge_old_exports)."""
    return (job.finished_at or job.created_at) + timedelta(days=EXPORT_RETENTION_DAYS)


def purge_old_exports(*, days=EXPORT_RETENTION_DAYS) -> int:
    """Delete the files of exports finished more than `days` ago; the jobs stay.
    Returns the number of files deleted."""
    cutoff = timezone.now() - timedelta(days=days)
    deleted = 0
    old = ExportJob.objects.filter(finished_at__lt=cutoff).exclude(file="")
    for job in old:
        job.file.delete(save=False)
        ExportJob.objects.filter(pk=job.pk).update(file="")
        deleted += 1
    return deleted
