"""Periodic work for the case loop (run by the task worker, scheduled by cron)."""

from django_tasks import task

from . import services


@task()
def escalate_overdue_task():
    return services.escalate_overdue()
