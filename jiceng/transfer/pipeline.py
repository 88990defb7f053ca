"""Prepared chunks of an import: read and checked here, or in a second process.

Checking a resident row (ID checksum, two HMAC digests, two SM4 encryptions,
place lookup) costs about as much CPU as writing it. For a large file a second
process reads and checks the next chunks while this one writes, so both cores
work; the writer stays in this process, in file order, with the job's counts.

The worker is a fresh interpreter (``python -m jiceng.transfer.pipeline``: no
inherited database connection, no re-run of whatever started this process). It
reads the same decrypted temporary file and pickles each prepared chunk into a
pipe; the pipe's small buffer holds it back while the writer is busy, so at most
a chunk or two are in flight and memory stays flat.

The interpreter takes a moment to start (Django, the importer). Meanwhile this
process prepares and writes the first chunks itself; when the worker says it is
ready, it is told how many chunks to skip and goes on from there.
"""

import gc
import logging
import os
import pickle
import resource
import select
import subprocess
import sys
from contextlib import contextmanager

from django.conf import settings
from django.db import connection

from jiceng.core.tabular import TabularError, read_rows

logger = logging.getLogger(__name__)

READY, CHUNK, DONE, FAILED, CRASHED = "ready", "chunk", "done", "failed", "crashed"


@contextmanager
def fewer_collections():
    """Run the cyclic garbage collector less often during an import.

    Each chunk makes and drops hundreds of thousands of small containers (cells,
    dicts, pickled rows), none in reference cycles, so reference counting frees
    them; but at the default thresholds the collector runs thousands of times
    per 100,000 rows and walks Django's long-lived objects too. Frozen start-up
    objects and a larger first threshold made unpickling a chunk 2.4× faster.
    """
    threshold = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(100_000, 50, 1000)
    try:
        yield
    finally:
        gc.set_threshold(*threshold)
        gc.unfreeze()


def chunks(rows, size):
    chunk = []
    for row in rows:
        chunk.append(row)
        if size and len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _file_chunks(importer, job, path):
    rows = read_rows(
        path,
        job.filename,
        required=importer.required,
        aliases=importer.aliases,
        mapping=job.mapping,
        sheet=job.sheet,
    )
    return chunks(rows, importer.chunk_size)


def use_worker(importer, job) -> bool:
    """A second process pays off for large files of kinds that prepare much.

    Not inside a caller's transaction (the worker could not see what it wrote)
    nor on an in-memory database (the worker could not open it).
    """
    if not importer.prepare_in_worker or connection.in_atomic_block:
        return False
    if job.size_estimate < settings.JICENG_IMPORT_WORKER_MIN_ROWS:
        return False
    return not (connection.vendor == "sqlite" and connection.is_in_memory_db())


def _ready(pipe, wait=False) -> bool:
    """Has the worker written anything yet (its READY, or an error, or EOF)?
    With wait, block until it has."""
    return bool(select.select([pipe], [], [], None if wait else 0)[0])


def prepared_chunks(importer, job, path):
    """Yield importer.prepare(chunk) for every chunk of the file, in order."""
    if not use_worker(importer, job):
        for chunk in _file_chunks(importer, job, path):
            yield importer.prepare(chunk)
        return
    read_end, write_end = os.pipe()
    worker = subprocess.Popen(  # noqa: S603 (this interpreter, our module, our args)
        [
            sys.executable,
            "-m",
            "jiceng.transfer.pipeline",
            str(connection.settings_dict["NAME"]),
            str(job.pk),
            str(path),
            str(write_end),
        ],
        cwd=settings.BASE_DIR,
        pass_fds=[write_end],
        stdin=subprocess.PIPE,
    )
    os.close(write_end)
    try:
        with os.fdopen(read_end, "rb") as pipe:
            # The first chunks are prepared here while the worker starts.
            prepared_here = 0
            head_start = settings.JICENG_IMPORT_WORKER_HEAD_START
            here = _file_chunks(importer, job, path)
            while not _ready(
                pipe, wait=head_start is not None and prepared_here >= head_start
            ):
                chunk = next(here, None)
                if chunk is None:
                    return  # all of it, before the worker was ready
                yield importer.prepare(chunk)
                prepared_here += 1
            here.close()
            logger.info(
                "import: %s chunks prepared before the worker was ready", prepared_here
            )
            try:
                worker.stdin.write(f"{prepared_here}\n".encode())
                worker.stdin.close()
            except BrokenPipeError:
                pass  # it has already stopped; the pipe below says why
            while True:
                try:
                    kind, payload = pickle.load(pipe)  # noqa: S301 (our own child)
                except EOFError:
                    raise RuntimeError(
                        "import worker exited without finishing"
                    ) from None
                if kind == READY:
                    continue
                if kind == DONE:
                    logger.info("import worker peak RSS %s MB", payload)
                    return
                if kind == FAILED:
                    raise TabularError(payload)
                if kind == CRASHED:
                    raise RuntimeError("import worker failed")
                yield payload
                del payload  # not alive while the next chunk unpickles
    finally:
        if worker.poll() is None:
            worker.terminate()
        worker.wait()


def run_worker(database_name, job_id, path, pipe):
    """The worker process: prepare every chunk of the job's file into the pipe."""
    from django.db import connections

    from jiceng.core.ledgers import IMPORTERS
    from jiceng.transfer.models import ImportJob

    connections["default"].settings_dict["NAME"] = database_name

    def send(kind, payload):
        pickle.dump((kind, payload), pipe, protocol=pickle.HIGHEST_PROTOCOL)
        pipe.flush()  # all of it now, not when the next chunk is ready

    try:
        job = ImportJob.objects.select_related("created_by").get(pk=job_id)
        importer = IMPORTERS[job.kind](job.created_by, dry_run=job.dry_run)
        send(READY, None)
        prepared_there = int(sys.stdin.readline() or 0)  # by the writer, meanwhile
        with fewer_collections():
            for index, chunk in enumerate(_file_chunks(importer, job, path)):
                if index >= prepared_there:
                    send(CHUNK, importer.prepare(chunk))
    except TabularError as exc:
        send(FAILED, str(exc))
    except BrokenPipeError:
        return  # the writer stopped (its own error); nothing to say
    except Exception:
        logger.exception("import worker for job %s failed", job_id)
        send(CRASHED, None)
    else:
        send(DONE, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)
    finally:
        connections.close_all()


if __name__ == "__main__":
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jiceng.settings")
    django.setup()
    database, job_pk, file_path, fd = sys.argv[1:5]
    with os.fdopen(int(fd), "wb") as out:
        run_worker(database, job_pk, file_path, out)
