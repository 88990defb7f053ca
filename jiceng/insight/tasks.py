"""Periodic work for the dashboards (run by the task worker, scheduled by cron)."""

from django_tasks import task

from . import services


@task()
def refresh_figures_task(months=1):
    return services.refresh_figures(months=months)
