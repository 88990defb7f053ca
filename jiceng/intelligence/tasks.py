"""Periodic work (run by the task worker, scheduled by cron): retrain, detect."""

from django_tasks import task

from .services import dispatch, hotspots


@task()
def retrain_dispatch_task():
    row = dispatch.retrain()
    return None if row is None else {"version": row.version, "accepted": row.accepted}


@task()
def detect_hotspots_task():
    created, extended = hotspots.detect()
    return {"created": created, "extended": extended}
