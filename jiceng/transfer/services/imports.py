"""Imports of 台账: start, choose the sheet, map columns, run, commit a dry run.

Uploaded files are stored SM4-encrypted and decrypted only into a private
temporary file while a job reads them.
"""

import json
import logging
import os
import tempfile
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import File
from django.db import transaction
from django.utils import timezone

from jiceng.core import audit, crypto
from jiceng.core.ledgers import (
    CREATED,
    IMPORTERS,
    REJECTED,
    UNCHANGED,
    UPDATED,
)
from jiceng.core.models import AuditAction
from jiceng.core.planner import (
    ANALYZE_AFTER_ROWS,
    asynchronous_commit,
    refresh_statistics,
    sqlite_cache,
)
from jiceng.core.scope import require_permission
from jiceng.core.tabular import (
    SUPPORTED_SUFFIXES,
    TabularError,
    clean_header,
    estimate_rows,
    find_table,
    sheet_names,
    sheets_with_data,
)
from jiceng.core.tiles import figures_changed

from ..errors import TransferError
from ..models import ImportJob, ImportRejection, JobStatus
from ..pipeline import fewer_collections, prepared_chunks

logger = logging.getLogger(__name__)
MAX_UPLOAD_BYTES = 512 * 1024 * 1024


def importer_class(kind):
    try:
        return IMPORTERS[kind]
    except KeyError:
        raise ValidationError(
            f"未知的导入类型：{kind}", code=TransferError.UNKNOWN_KIND
        ) from None


@contextmanager
def decrypted_copy(job):
    """Yield the path of a plaintext copy of the job's file, removed afterwards."""
    suffix = Path(job.filename).suffix.lower()
    handle, path = tempfile.mkstemp(prefix="jiceng-import-", suffix=suffix)
    try:
        with os.fdopen(handle, "wb") as target, job.file.open("rb") as source:
            crypto.decrypt_file(source, target)
        yield path
    finally:
        os.unlink(path)


def missing_columns(job, header=None):
    """Template columns the file lacks after aliases and the user's mapping."""
    importer = importer_class(job.kind)
    rename = {**importer.aliases, **job.mapping}
    present = {rename.get(h, h) for h in (header if header is not None else job.header)}
    return sorted(importer.required - present)


def _enqueue(job):
    from ..tasks import run_import_task

    job_id = str(job.pk)
    transaction.on_commit(lambda: run_import_task.enqueue(job_id))


def start_import(
    *,
    actor,
    kind,
    upload,
    dry_run=True,
    mapping=None,
    defer=True,
    sheet=None,
    offer_sheets=False,
) -> ImportJob:
    """Store an uploaded file (encrypted) and queue it, or ask for a column mapping.

    sheet is the workbook's sheet to read (0-based); without it the table is found
    (core.tabular.find_table), and with offer_sheets (the web upload) a workbook
    with several sheets holding data waits for the user to choose one
    (choose_sheet), the found one offered first. defer=False leaves running to the
    caller (the CLI runs the job in-process).
    """
    importer = importer_class(kind)
    require_permission(actor, importer.permission)
    name = os.path.basename(upload.name or "")
    if not name.lower().endswith(SUPPORTED_SUFFIXES):
        raise ValidationError(
            "仅支持 xlsx、xls、ods、csv 格式的文件", code=TransferError.FILE_TYPE
        )
    if upload.size and upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            "文件超过512MB，请拆分后导入", code=TransferError.FILE_SIZE
        )
    job = ImportJob(
        kind=kind,
        filename=name[:255],
        dry_run=dry_run,
        created_by=actor,
        mapping=mapping or {},
    )
    with tempfile.TemporaryFile() as encrypted:
        upload.seek(0)
        crypto.encrypt_file(upload, encrypted)
        encrypted.seek(0)
        # Streamed into storage in chunks: read() would hold the whole file in memory.
        job.file.save(f"{job.pk}.bin", File(encrypted), save=False)
    with decrypted_copy(job) as path:
        try:
            table = _table(path, job, importer, sheet)
            several = (
                offer_sheets and sheet is None and len(sheet_choices(path, name)) > 1
            )
        except (TabularError, ValidationError) as exc:
            job.file.delete(save=False)
            if isinstance(exc, ValidationError):
                raise
            raise ValidationError(str(exc), code=TransferError.UNREADABLE) from exc
        job.size_estimate = estimate_rows(path, name)
    _found(job, table)
    if several:
        job.status = JobStatus.NEEDS_SHEET
    with transaction.atomic():
        job.save()
        if job.status == JobStatus.QUEUED and defer:
            _enqueue(job)
    return job


def _table(path, job, importer, sheet):
    """The file's table, on the given sheet (0-based) or wherever it is found."""
    if sheet is not None:
        names = sheet_names(path, job.filename)
        if not 0 <= sheet < len(names):
            raise ValidationError(
                f"文件里没有第{sheet + 1}个工作表（共{len(names)}个）",
                code=TransferError.NO_SHEET,
            )
    return find_table(
        path,
        job.filename,
        required=importer.required,
        aliases=importer.aliases,
        sheet=sheet,
    )


def _found(job, table):
    """Record where the table is and what comes next: a mapping, or the queue."""
    job.sheet = table.sheet
    job.header = table.header
    job.notices = table.notices  # what the reader noticed, for the uploader
    job.status = JobStatus.NEEDS_MAPPING if missing_columns(job) else JobStatus.QUEUED


def sheet_choices(path, filename) -> list[tuple[int, str]]:
    """(index, name) of the workbook's sheets that hold data, to choose from."""
    with_data = set(sheets_with_data(path, filename))
    return [
        (index, name)
        for index, name in enumerate(sheet_names(path, filename))
        if name in with_data
    ]


def job_sheet_choices(job) -> list[tuple[int, str]]:
    with decrypted_copy(job) as path:
        return sheet_choices(path, job.filename)


def choose_sheet(*, actor, job, sheet: int) -> ImportJob:
    """Read the sheet the user chose, then ask for a mapping or queue the job."""
    if job.created_by_id != actor.pk or job.status != JobStatus.NEEDS_SHEET:
        raise PermissionDenied("该导入任务不能修改")
    importer = importer_class(job.kind)
    with decrypted_copy(job) as path:
        try:
            table = _table(path, job, importer, sheet)
        except TabularError as exc:
            raise ValidationError(str(exc), code=TransferError.UNREADABLE) from exc
    _found(job, table)
    with transaction.atomic():
        job.save(update_fields=["sheet", "header", "status"])
        if job.status == JobStatus.QUEUED:
            _enqueue(job)
    return job


def set_mapping(*, actor, job, mapping: dict) -> ImportJob:
    """Record which file column holds each template column, then queue the job."""
    if job.created_by_id != actor.pk or job.status != JobStatus.NEEDS_MAPPING:
        raise PermissionDenied("该导入任务不能修改")
    importer = importer_class(job.kind)
    # mapping arrives as template column -> file column; the reader wants the reverse.
    reverse = {
        clean_header(source): target for target, source in mapping.items() if source
    }
    unknown = set(reverse) - set(job.header)
    if unknown or not set(reverse.values()) <= set(importer.columns):
        raise ValidationError("列对应无效", code=TransferError.MAPPING)
    job.mapping = reverse
    missing = missing_columns(job)
    if missing:
        raise ValidationError(
            "仍缺少必填列：" + "、".join(missing),
            code=TransferError.MAPPING_INCOMPLETE,
        )
    job.status = JobStatus.QUEUED
    with transaction.atomic():
        job.save(update_fields=["mapping", "status"])
        _enqueue(job)
    return job


def commit_dry_run(*, actor, job) -> ImportJob:
    """Import for real the file a finished dry run checked."""
    if job.created_by_id != actor.pk:
        raise PermissionDenied("只能确认自己的导入")
    if not (job.dry_run and job.status == JobStatus.DONE) or job.commits.exists():
        raise ValidationError(
            "该预检已确认导入或尚未完成", code=TransferError.NOT_COMMITTABLE
        )
    require_permission(actor, importer_class(job.kind).permission)
    commit = ImportJob.objects.create(
        kind=job.kind,
        file=job.file.name,
        filename=job.filename,
        sheet=job.sheet,
        header=job.header,
        mapping=job.mapping,
        dry_run=False,
        created_by=actor,
        checked_by=job,
        size_estimate=job.size_estimate,
    )
    _enqueue(commit)
    return commit


COUNTERS = {
    CREATED: "created",
    UPDATED: "updated",
    UNCHANGED: "unchanged",
    REJECTED: "rejected",
}


def _record(job, outcomes):
    rejections = []
    for outcome in outcomes:
        setattr(
            job, COUNTERS[outcome.result], getattr(job, COUNTERS[outcome.result]) + 1
        )
        if outcome.result == REJECTED:
            rejections.append(
                ImportRejection(
                    job=job,
                    row_number=outcome.row.number,
                    reason=outcome.reason[:500],
                    cells=json.dumps(
                        outcome.row.cells, ensure_ascii=False, default=str
                    ),
                )
            )
    job.total += len(outcomes)
    ImportRejection.objects.bulk_create(rejections, batch_size=1000)
    ImportJob.objects.filter(pk=job.pk).update(**job.summary())


def bulk_write_cache(kib=32768):
    """A larger SQLite page cache while an import writes (core.planner.sqlite_cache).

    32 MB, not more: the cache counts in the job's memory, which must stay < 300 MB
    with the preparing worker's (pipeline.py); 64 MB was ~10 % faster at 200k rows.
    """
    return sqlite_cache(kib)


def _write_chunk(importer, job, prepared):
    with transaction.atomic():
        asynchronous_commit()
        outcomes = importer.write(prepared)
        if job.dry_run:
            transaction.set_rollback(True)
    _record(job, outcomes)


def run_job(job) -> ImportJob:
    """Read the whole file chunk by chunk; every row ends created, updated,
    unchanged or rejected. A dry run rolls each chunk back."""
    importer = importer_class(job.kind)(job.created_by, dry_run=job.dry_run)
    importer.expect(job.size_estimate)
    job.status, job.started_at = JobStatus.RUNNING, timezone.now()
    job.save(update_fields=["status", "started_at"])
    try:
        with decrypted_copy(job) as path, bulk_write_cache(), fewer_collections():
            for prepared in prepared_chunks(importer, job, path):
                _write_chunk(importer, job, prepared)
                del prepared  # let it go before the next chunk is read
    except (TabularError, crypto.DecryptionError) as exc:
        job.status, job.message = JobStatus.FAILED, str(exc)
    except Exception:
        logger.exception("import job %s failed", job.pk)
        job.status = JobStatus.FAILED
        job.message = f"处理第{job.total}行之后出错，之后的行未处理；已处理的行已保存。"
    else:
        job.status = JobStatus.DONE
    if not job.dry_run and job.created + job.updated >= ANALYZE_AFTER_ROWS:
        refresh_statistics(*importer.bulk_models)
    job.finished_at = timezone.now()
    job.save()
    if not job.dry_run:
        audit.record(
            actor=job.created_by,
            action=AuditAction.IMPORT,
            target=job,
            changes={"kind": job.kind, "filename": job.filename, **job.summary()},
        )
        # The checked file is no longer needed once imported; it holds personal data.
        job.file.delete(save=False)
        if job.created + job.updated:
            figures_changed.send(sender=ImportJob, job=job)
    return job


def rejected_rows(job):
    """Yield the header then each rejected row: original cells, row number, reason."""
    yield [*job.header, "原行号", "错误原因"]
    for rejection in job.rejections.all().iterator(chunk_size=2000):
        cells = json.loads(rejection.cells or "[]")
        cells = (cells + [""] * len(job.header))[: len(job.header)]
        yield [*cells, rejection.row_number, rejection.reason]


FILE_RETENTION_DAYS = 7


def purge_old_files(*, days=FILE_RETENTION_DAYS) -> int:
    """Delete uploaded files no longer needed: unconfirmed dry runs and failed jobs
    older than the retention period (committed imports drop theirs at once).

    The jobs, their counts and rejected rows stay; only the files (personal data)
    go. Returns the number of files deleted.
    """
    cutoff = timezone.now() - timedelta(days=days)
    deleted = 0
    for job in ImportJob.objects.filter(created_at__lt=cutoff).exclude(file=""):
        if job.status in (JobStatus.QUEUED, JobStatus.RUNNING):
            continue
        name = job.file.name
        sharing = ImportJob.objects.filter(file=name)  # a dry run and its commit
        if not job.file.storage.exists(name):
            sharing.update(file="")  # already gone with the job that shared it
        elif not sharing.filter(
            status__in=[JobStatus.QUEUED, JobStatus.RUNNING]
        ).exists():
            job.file.delete(save=False)
            sharing.update(file="")
            deleted += 1
    return deleted
