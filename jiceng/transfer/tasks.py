"""Background work: imports and large exports run in the task worker
(manage.py db_worker)."""

from django_tasks import task

from . import services
from .models import ExportJob, ImportJob, JobStatus


@task()
def run_import_task(job_id: str):
    job = ImportJob.objects.select_related("created_by").filter(pk=job_id).first()
    if job is None or job.status != JobStatus.QUEUED:
        return None  # deleted, or already picked up by another worker
    return services.run_job(job).summary()


@task()
def run_export_task(job_id: str):
    job = ExportJob.objects.select_related("created_by").filter(pk=job_id).first()
    if job is None:
        return None
    return services.run_export(job).status
