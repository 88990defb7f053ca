"""Large exports are written by the task worker and downloaded from their page.

A community's 台账 of thousands of residents used to hold a web worker for seconds;
past JICENG_EXPORT_INLINE_ROWS rows the export button queues the file instead. It
is stored encrypted, only the one who asked can download it, every download is
audited, and the file is deleted after the retention period.
"""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from jiceng.core.models import AuditAction, AuditEntry
from jiceng.people.models import Resident
from jiceng.transfer import services
from jiceng.transfer.models import ExportJob, JobStatus
from jiceng.transfer.workbooks import read_workbook

pytestmark = pytest.mark.django_db

EXPORT = "/transfer/export/residents.xlsx"


@pytest.fixture
def small_inline_limit(settings):
    """Any export of more than three rows goes to the task worker."""
    settings.JICENG_EXPORT_INLINE_ROWS = 3


def queue_export(client, params=None, *, run, capture):
    """Press the export button; with run, the (immediate) task worker writes it."""
    with capture(execute=run):
        response = client.get(EXPORT, params or {})
    assert response.status_code == 302, response.status_code
    return response, ExportJob.objects.get(pk=response.url.split("/")[-2])


def test_a_grid_workers_large_export_is_written_in_the_background_for_them_alone(
    client_for, people, small_inline_limit, django_capture_on_commit_callbacks
):
    client = client_for("wangge")
    # When the grid worker exports more residents than the inline limit
    response, job = queue_export(
        client, run=True, capture=django_capture_on_commit_callbacks
    )
    # Then the button leads to the job's page, and the worker wrote the grid's residents
    assert response.url == job.get_absolute_url()
    visible = Resident.objects.visible_to(people["wangge"]).count()
    assert job.status == JobStatus.DONE and job.size_estimate == job.total == visible
    assert visible < Resident.objects.count()
    page = client.get(job.get_absolute_url())
    assert 'data-export-status="done"' in page.content.decode()
    assert "下载" in page.content.decode()
    # And the stored file is encrypted: not a workbook (a zip) on disk
    with job.file.open("rb") as stored:
        assert not stored.read(4).startswith(b"PK")
    # When they download it
    download = client.get(f"/transfer/exports/{job.pk}/download/")
    note, header, rows = read_workbook(download)
    # Then it is the masked, watermarked sheet of their residents
    assert "不得外传" in note and header[:3] == ["姓名", "身份证号", "手机号码"]
    assert len(rows) == visible and all("********" in r[1] for r in rows)
    # And both the request and the download left an audit row about the job
    about_job = AuditEntry.objects.filter(target_id=str(job.pk))
    assert set(about_job.values_list("action", flat=True)) == {
        AuditAction.EXPORT,
        AuditAction.DOWNLOAD,
    }


def test_no_one_else_sees_or_downloads_someone_elses_export(
    client_for, small_inline_limit, django_capture_on_commit_callbacks
):
    _, job = queue_export(
        client_for("shuji"), run=True, capture=django_capture_on_commit_callbacks
    )
    for username in ("wangge", "jiedao", "quadmin"):
        other = client_for(username)
        assert other.get(job.get_absolute_url()).status_code == 404
        assert other.get(f"/transfer/exports/{job.pk}/download/").status_code == 404
    assert not AuditEntry.objects.filter(action=AuditAction.DOWNLOAD).exists()


def test_pressing_export_again_while_it_waits_gives_the_same_job(
    client_for, small_inline_limit, django_capture_on_commit_callbacks
):
    client = client_for("shuji")
    _, first = queue_export(
        client, run=False, capture=django_capture_on_commit_callbacks
    )
    _, again = queue_export(
        client, run=False, capture=django_capture_on_commit_callbacks
    )
    assert again == first and first.status == JobStatus.QUEUED
    # a different selection is a different export
    _, other = queue_export(
        client, {"q": "张"}, run=False, capture=django_capture_on_commit_callbacks
    )
    assert other != first and other.filters == {"q": "张"}
    # the waiting page polls and says how many rows are coming
    page = client.get(first.get_absolute_url()).content.decode()
    assert 'hx-trigger="every 1s"' in page and f"共约 {first.size_estimate} 行" in page
    # a job left "running" by a worker that died does not swallow later requests
    ExportJob.objects.filter(pk=first.pk).update(
        status=JobStatus.RUNNING, created_at=timezone.now() - timedelta(minutes=11)
    )
    _, fresh = queue_export(
        client, run=False, capture=django_capture_on_commit_callbacks
    )
    assert fresh != first


def test_full_values_in_a_queued_export_still_need_the_reveal_permission(
    client_for, small_inline_limit
):
    assert client_for("loudong").get(EXPORT, {"unmasked": "1"}).status_code == 403
    assert not ExportJob.objects.exists()


def test_an_export_whose_asker_lost_the_permission_meanwhile_writes_no_file(
    client_for, people, small_inline_limit, django_capture_on_commit_callbacks
):
    _, job = queue_export(
        client_for("wangge"), run=False, capture=django_capture_on_commit_callbacks
    )
    people["wangge"].assignments.all().delete()
    job = services.run_export(ExportJob.objects.get(pk=job.pk))
    assert job.status == JobStatus.FAILED and "权限" in job.message
    assert not job.file
    page = client_for("wangge").get(job.get_absolute_url()).content.decode()
    assert "导出失败" in page


def test_a_job_taken_by_another_worker_is_not_written_twice(
    client_for, small_inline_limit, django_capture_on_commit_callbacks
):
    _, job = queue_export(
        client_for("shuji"), run=True, capture=django_capture_on_commit_callbacks
    )
    stored = job.file.name
    again = services.run_export(ExportJob.objects.get(pk=job.pk))
    assert again.status == JobStatus.DONE and again.file.name == stored


def test_old_export_files_are_deleted_and_the_job_says_so(
    client_for, small_inline_limit, django_capture_on_commit_callbacks
):
    client = client_for("shuji")
    _, job = queue_export(client, run=True, capture=django_capture_on_commit_callbacks)
    storage, name = job.file.storage, job.file.name
    # Given an export finished three days ago
    ExportJob.objects.filter(pk=job.pk).update(
        finished_at=timezone.now() - timedelta(days=3)
    )
    # When the daily purge runs
    call_command("purge_imports", stdout=io.StringIO())
    # Then the file is gone, the job stays, and the page and download say so
    job.refresh_from_db()
    assert not job.file and not storage.exists(name)
    assert "已过保留期删除" in client.get(job.get_absolute_url()).content.decode()
    response = client.get(f"/transfer/exports/{job.pk}/download/", follow=True)
    assert "请重新导出" in response.content.decode()
    mine = client.get("/transfer/exports/").content.decode()
    assert job.filename in mine and "已删除" in mine


def test_a_fresh_export_survives_the_purge(
    client_for, small_inline_limit, django_capture_on_commit_callbacks
):
    _, job = queue_export(
        client_for("shuji"), run=True, capture=django_capture_on_commit_callbacks
    )
    assert services.purge_old_exports() == 0
    job.refresh_from_db()
    assert job.file and job.file.storage.exists(job.file.name)


def test_an_export_within_the_limit_still_downloads_at_once(client_for, people):
    response = client_for("wangge").get(EXPORT)
    assert response.status_code == 200 and response["Content-Type"].endswith("sheet")
    assert not ExportJob.objects.exists()


def test_a_department_without_imports_finds_its_case_exports(
    client_for, small_inline_limit, django_capture_on_commit_callbacks
):
    client = client_for("bumen")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get("/transfer/export/cases.xlsx")
    assert response.status_code == 302
    assert client.get("/transfer/").status_code == 403  # imports are not theirs
    page = client.get("/transfer/exports/")
    assert page.status_code == 200 and "事件案卷_" in page.content.decode()
