"""Periodic volunteering work (run by the task worker, scheduled by cron)."""

from django_tasks import task

from . import services


@task()
def release_stale_claims_task():
    return services.release_stale_claims()


@task()
def expire_points_task():
    return services.expire_points()
