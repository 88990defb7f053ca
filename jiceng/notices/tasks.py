"""Background work: outside messages are sent by the task worker (db_worker)."""

from django_tasks import task

from . import services


@task()
def deliver_task(ids: list[int]):
    """Try each delivery once (idempotent: sent or not-yet-due rows are skipped)."""
    return {str(k): v for k, v in services.deliver_many(ids).items()}
