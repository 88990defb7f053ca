"""SQLite whose writers queue at a file lock instead of in SQLite's busy handler.

With two gunicorn workers writing at once, the second's BEGIN IMMEDIATE finds the
database locked, and SQLite's busy handler sleeps 1, 2, 5, 10 … ms between tries
whatever the first one's transaction takes. A case report holds the write lock a
few milliseconds, so under load the workers spent much of their time asleep with
the lock free (docs/performance.md). A transaction here first takes an exclusive
flock on a file beside the database, waiting in steps of at most a millisecond,
and gives it back after COMMIT or ROLLBACK: the next writer starts as soon as the
previous one ends, and SQLite's own lock then seldom waits. Writes outside a
transaction (single autocommit statements) keep SQLite's busy handler.
"""

import fcntl
import os
import time

from django.db.backends.sqlite3 import base
from django.db.utils import OperationalError

FIRST_WAIT, LONGEST_WAIT = 0.00005, 0.001  # seconds between tries


class DatabaseWrapper(base.DatabaseWrapper):
    _writer_lock = None  # the open lock file while a transaction holds it

    def _lock_file(self):
        if self.is_in_memory_db():
            return None  # one process: nobody to queue with
        return f"{self.settings_dict['NAME']}.writer-lock"

    def _take_writer_lock(self):
        path = self._lock_file()
        if path is None or self._writer_lock is not None:
            return
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        deadline = time.monotonic() + self.settings_dict["OPTIONS"].get("timeout", 5)
        wait = FIRST_WAIT
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    os.close(fd)
                    raise OperationalError("database is locked") from None
                time.sleep(wait)
                wait = min(wait * 2, LONGEST_WAIT)
        self._writer_lock = fd

    def _release_writer_lock(self):
        fd, self._writer_lock = self._writer_lock, None
        if fd is not None:
            os.close(fd)  # closing the file releases its flock

    def _start_transaction_under_autocommit(self):
        self._take_writer_lock()
        try:
            super()._start_transaction_under_autocommit()
        except BaseException:
            self._release_writer_lock()
            raise

    def _commit(self):
        try:
            return super()._commit()
        finally:
            self._release_writer_lock()

    def _rollback(self):
        try:
            return super()._rollback()
        finally:
            self._release_writer_lock()

    def _close(self):
        try:
            return super()._close()
        finally:
            self._release_writer_lock()
